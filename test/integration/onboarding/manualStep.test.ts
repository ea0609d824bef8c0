/**
 * Issue 4, "Done when": the manual-step path. The tenant refuses the signing certificate through
 * the API (sandbox switch rejectSigningCertificateField), so the run waits for a person: the status
 * says what to do in which Fiori app, which CN, and where the PEM is; a confirmation before the
 * upload keeps it waiting with what was found; after the upload it completes and verifies.
 */
import { X509Certificate } from 'node:crypto';
import { destroySharedSapAgents } from '../../../shared/sap/http/agent';
import { s4Tenant, startOnboardingStack, subaccount, type Landscape, type OnboardingStack, type OnboardingView } from '../../support/onboardingStack';
import { normalizeFingerprint, uploadInFiori } from './adminActions';

jest.setTimeout(180_000);

let stack: OnboardingStack;
let landscape: Landscape;
let cn: string;
let activeFingerprint: string;

beforeAll(async () => {
  stack = await startOnboardingStack({ landscapes: 1 });
  landscape = stack.landscapes[0];
  await stack.setSwitches(landscape.tenant, { rejectSigningCertificateField: true });
  const sub = subaccount(await stack.sandboxState(), landscape.subaccountId);
  cn = /CN=([^,]+)/.exec(sub.trustCertificate.active.subject)![1];
  activeFingerprint = normalizeFingerprint(sub.trustCertificate.active.fingerprint256);
});

afterAll(async () => {
  destroySharedSapAgents();
  await stack?.stop();
});

describe('a tenant that does not take the signing certificate through the API', () => {
  let waiting: OnboardingView;
  const systemId = () => `BTP_${landscape.subaccountId.slice(0, 8).toUpperCase()}`;

  it('pauses with status "waiting for manual step" and says what to do, where, with which CN and certificate', async () => {
    waiting = await stack.onboard(landscape.request());
    expect(waiting.error).toBeUndefined();
    expect(waiting.status).toBe('waiting for manual step');
    const action = waiting.manualAction!;
    expect(action).toBeDefined();
    expect(action.step).toBe('communicationSystem');
    expect(action.facts['Fiori app']).toBe('Communication Systems');
    expect(action.facts['OAuth 2.0 SAML Issuer']).toBe(cn);
    expect(action.instructions.join('\n')).toContain(cn);
    expect(action.instructions.join('\n')).toContain(systemId());
    expect(action.instructions.join('\n')).toContain('Communication Systems');
    expect(Date.parse(action.deadline) - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    expect(action.resumeUrl).toBe(`${stack.devhostUrl}/api/onboardings/${waiting.id}/manual-steps/communicationSystem`);
    expect(waiting.steps.find((s) => s.id === 'communicationSystem')!.outcome).toBe('waiting');
    for (const later of ['arrangement', 'oauthDetails', 'destination', 'verify', 'record']) {
      expect(waiting.steps.find((s) => s.id === later)!.outcome).toBeUndefined();
    }

    // The system exists without the certificate: the API write left it out.
    const system = s4Tenant(await stack.sandboxState(), landscape.tenant).communicationSystems.find((s: any) => s.ID === systemId());
    expect(system).toBeDefined();
    expect(system.OAuth2IdentityProviderCertificatePublicKeyBase64 ?? null).toBeNull();

    // The list shows it under its status.
    const listed = await stack.api('GET', `/api/onboardings?status=${encodeURIComponent('waiting for manual step')}`);
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((v: OnboardingView) => v.id)).toContain(waiting.id);
  });

  it('serves the certificate to upload as PEM, the subaccount trust certificate', async () => {
    const answer = await stack.api('GET', waiting.manualAction!.attachments[0].url);
    expect(answer.status).toBe(200);
    expect(String(answer.headers['content-type'])).toMatch(/application\/x-pem-file/);
    expect(answer.text).toMatch(/^-----BEGIN CERTIFICATE-----/);
    const cert = new X509Certificate(answer.text);
    expect(normalizeFingerprint(cert.fingerprint256)).toBe(activeFingerprint);
    expect(cert.subject).toContain(`CN=${cn}`);
    // Not without a key.
    expect((await stack.api('GET', waiting.manualAction!.attachments[0].url, undefined, { key: null })).status).toBe(401);
  });

  it('answers GET with 202 and Retry-After while it waits, as generic Durable pollers expect', async () => {
    const answer = await stack.api('GET', `/api/onboardings/${waiting.id}`);
    expect(answer.status).toBe(202);
    expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
    expect(answer.body.status).toBe('waiting for manual step');
  });

  it('refuses a confirmation for another step with 409', async () => {
    const answer = await stack.api('POST', `/api/onboardings/${waiting.id}/manual-steps/destination`, {});
    expect(answer.status).toBe(409);
    expect(answer.body.error).toMatch(/communicationSystem/);
    expect((await stack.get(waiting.id)).status).toBe('waiting for manual step');
  });

  it('stays waiting, saying what it found, when confirmed before the upload', async () => {
    const answer = await stack.api('POST', `/api/onboardings/${waiting.id}/manual-steps/communicationSystem`, {});
    expect(answer.status).toBe(202);
    const checked = await stack.waitFor(waiting.id, (v) => ['completed', 'failed', 'terminated'].includes(v.status) || v.manualAction?.lastVerification !== undefined, 60_000);
    expect({ status: checked.status, error: checked.error }).toEqual({ status: 'waiting for manual step', error: undefined });
    expect(checked.manualAction!.lastVerification).toContain(systemId());
    expect(checked.manualAction!.lastVerification).toContain(cn);
  });

  it('completes and verifies the token exchange after the person uploaded the certificate', async () => {
    const pem = (await stack.api('GET', waiting.manualAction!.attachments[0].url)).text;
    await uploadInFiori(stack, landscape, systemId(), pem, waiting.manualAction!.facts['OAuth 2.0 SAML Issuer']);

    const answer = await stack.api('POST', `/api/onboardings/${waiting.id}/manual-steps/communicationSystem`, { note: 'uploaded in Fiori' });
    expect(answer.status).toBe(202);
    const done = await stack.waitFor(waiting.id);
    expect(done.error).toBeUndefined();
    expect(done.status).toBe('completed');
    // Ended: 200, no more polling.
    const ended = await stack.api('GET', `/api/onboardings/${waiting.id}`);
    expect(ended.status).toBe(200);
    expect(ended.headers['retry-after']).toBeUndefined();
    expect(done.manualAction).toBeUndefined();
    expect(done.result!.tokenExchangeVerified).toBe(true);
    expect(done.steps.every((s) => ['created', 'updated', 'unchanged', 'checked', 'verified', 'done by hand'].includes(s.outcome ?? ''))).toBe(true);
    // Honest words: the person did the system's certificate, and the detail is the final check, not the stale problem.
    const system = done.steps.find((s) => s.id === 'communicationSystem')!;
    expect(system.outcome).toBe('done by hand');
    expect(system.detail ?? '').not.toMatch(/signing certificate is not/);

    const tenant = s4Tenant(await stack.sandboxState(), landscape.tenant);
    expect(tenant.tokenLog).toEqual(expect.arrayContaining([expect.objectContaining({ outcome: 'granted', issuer: cn })]));

    // Nothing waits any more.
    const late = await stack.api('POST', `/api/onboardings/${waiting.id}/manual-steps/communicationSystem`, {});
    expect(late.status).toBe(409);
  });
});
