/**
 * Issue 7 item 8: after a crash, a step reports what the run did, not what it finds. When SAP carried
 * out a create and the answer never reached the product (the sandbox's lostResponseRate: the client
 * times out, the step is retried), or devhost died while the create was in flight (SIGKILL, restart
 * on the same DATA_DIR), the step that runs again finds the object its first attempt made. It must
 * report "created", and SAP must hold exactly one.
 */
import { destroySharedSapAgents } from '../../../shared/sap/http/agent';
import { s4Tenant, startOnboardingStack, subaccount, type Landscape, type OnboardingStack, type OnboardingView } from '../../support/onboardingStack';
import { normalizeFingerprint } from './adminActions';

jest.setTimeout(240_000);

/** Lost answers end by the product's own timeout. */
const SAP_HTTP_TIMEOUT_MS = 2000;

let stack: OnboardingStack;

const sub8 = (l: Landscape) => l.subaccountId.slice(0, 8).toUpperCase();
const systemId = (l: Landscape) => `BTP_${sub8(l)}`;
const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const stepOf = (view: OnboardingView, id: string) => view.steps.find((s) => s.id === id)!;
const systemsOf = (state: any, l: Landscape) => s4Tenant(state, l.tenant).communicationSystems.filter((s: any) => s.ID === systemId(l));
const systemCreateRule = (l: Landscape) => ({ host: `^${escapeRegex(l.s4Host)}$`, method: 'POST', path: '/CommunicationSystems$', lostResponseRate: 1 });

beforeAll(async () => {
  stack = await startOnboardingStack({
    landscapes: [{}, { trustCertificate: 'none' }, {}],
    devhostEnv: { SAP_HTTP_TIMEOUT_MS: String(SAP_HTTP_TIMEOUT_MS) },
  });
});

afterAll(async () => {
  destroySharedSapAgents();
  await stack?.stop();
});

describe('the answer to a create is lost: SAP carried it out, the client timed out, the step ran again', () => {
  let systemView: OnboardingView;
  let certificateView: OnboardingView;
  let lost: { method: string; host: string; path: string; fault?: string }[];
  let state: any;
  const systemLandscape = () => stack.landscapes[0];
  const certificateLandscape = () => stack.landscapes[1];

  beforeAll(async () => {
    await stack.clearSandboxRequests();
    await stack.setFaults([
      systemCreateRule(systemLandscape()),
      // Only the second subaccount has no trust certificate, so only its onboarding generates one.
      { host: `^destination-configuration\\.cfapps\\.${certificateLandscape().region}\\.`, method: 'POST', path: '/saml2Metadata/certificate$', lostResponseRate: 1 },
    ]);
    try {
      [systemView, certificateView] = await Promise.all([stack.onboard(systemLandscape().request()), stack.onboard(certificateLandscape().request())]);
    } finally {
      lost = (await stack.sandboxRequests()).filter((r) => r.fault === 'lost-response');
      await stack.clearFaults();
    }
    state = await stack.sandboxState();
  });

  it('lost exactly the two answers meant: one communication system create, one trust certificate generation', () => {
    expect(lost.map((r) => `${r.method} ${r.host} ${r.path.split('/').pop()}`).sort()).toEqual(
      [`POST ${systemLandscape().s4Host} CommunicationSystems`, `POST destination-configuration.cfapps.${certificateLandscape().region}.hana.ondemand.com certificate`].sort(),
    );
  });

  it('communicationSystem reports created, and the tenant holds exactly one system with one inbound user', () => {
    expect({ status: systemView.status, error: systemView.error }).toEqual({ status: 'completed', error: undefined });
    expect(systemView.result?.tokenExchangeVerified).toBe(true);
    expect(stepOf(systemView, 'communicationSystem')).toMatchObject({ outcome: 'created', detail: expect.stringMatching(/finished after a restart/) });
    const systems = systemsOf(state, systemLandscape());
    expect(systems).toHaveLength(1);
    expect(s4Tenant(state, systemLandscape().tenant).inboundUsers.filter((u: any) => u.CommunicationSystemUUID === systems[0].UUID)).toHaveLength(1);
  });

  it('trustCertificate reports created, and the subaccount holds the certificate the run returned', () => {
    expect({ status: certificateView.status, error: certificateView.error }).toEqual({ status: 'completed', error: undefined });
    expect(stepOf(certificateView, 'trustCertificate').outcome).toBe('created');
    const active = subaccount(state, certificateLandscape().subaccountId).trustCertificate.active;
    expect(normalizeFingerprint(active.fingerprint256)).toBe(normalizeFingerprint(certificateView.result!.certificateFingerprint));
  });
});

describe('devhost is killed (SIGKILL) while the communication system create is in flight, and restarted', () => {
  let beforeKill: OnboardingView;
  let view: OnboardingView;
  let state: any;
  const l = () => stack.landscapes[2];

  beforeAll(async () => {
    // A long client timeout, so that the create is still waiting for its answer when the host dies.
    await stack.restartDevhost({ env: { SAP_HTTP_TIMEOUT_MS: '60000' } });
    await stack.setFaults([systemCreateRule(l())]);
    const started = await stack.start(l().request());
    const deadline = Date.now() + 60_000;
    while (systemsOf(await stack.sandboxState(), l()).length === 0) {
      if (Date.now() > deadline) throw new Error(`communication system ${systemId(l())} was not created within 60 s:\n${stack.devhostOutput().slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    beforeKill = await stack.get(started.id);
    await stack.clearFaults();
    await stack.restartDevhost();
    view = await stack.waitFor(started.id);
    state = await stack.sandboxState();
  });

  it('was killed after SAP created the system and before the step finished', () => {
    const step = stepOf(beforeKill, 'communicationSystem');
    expect(beforeKill.status).toBe('running');
    expect(step.startedAt).toBeDefined();
    expect(step.outcome).toBeUndefined();
  });

  it('completes after the restart; communicationSystem reports created; exactly one system exists', () => {
    expect({ status: view.status, error: view.error }).toEqual({ status: 'completed', error: undefined });
    expect(view.result?.tokenExchangeVerified).toBe(true);
    expect(stepOf(view, 'communicationSystem').outcome).toBe('created');
    const systems = systemsOf(state, l());
    expect(systems).toHaveLength(1);
    expect(s4Tenant(state, l().tenant).inboundUsers.filter((u: any) => u.CommunicationSystemUUID === systems[0].UUID)).toHaveLength(1);
  });
});
