/**
 * Issue 8 item 9, "Done when": onboard, plan, offboard, plan again: the last plan shows everything
 * created anew, and the sandbox holds nothing the product made. Plus what an offboarding must never
 * do: delete what is not ours, or run while an onboarding of the same tenant runs.
 * Three landscapes on one devhost and sandbox; each describe uses its own.
 */
import { z } from 'zod';
import { destroySharedSapAgents } from '../../../shared/sap/http/agent';
import { communicationUserPasswordSecret } from '../../../shared/secrets';
import { runViewSchema } from '../../../shared/workflow/runViewSchema';
import { onboarding } from '../../../orchestrations/onboarding/workflow';
import { offboarding } from '../../../orchestrations/offboarding/workflow';
import { OnboardingSubject } from '../../../orchestrations/onboarding/result';
import { OffboardingResult } from '../../../orchestrations/offboarding/result';
import { sandboxObjects, sapWrites, startOnboardingStack, type Landscape, type OnboardingStack } from '../../support/onboardingStack';
import { adminDestinations } from '../onboarding/adminActions';

jest.setTimeout(240_000);

const RunView = runViewSchema(OnboardingSubject, OffboardingResult.or(z.unknown()));
type RunView = z.infer<typeof RunView>;
const FINAL = new Set(['completed', 'failed', 'terminated']);

let stack: OnboardingStack;

beforeAll(async () => {
  stack = await startOnboardingStack({ landscapes: 3 });
});

afterAll(async () => {
  destroySharedSapAgents();
  await stack?.stop();
});

async function startOffboarding(request: unknown): Promise<RunView> {
  const answer = await stack.api('POST', '/api/offboardings', request);
  if (answer.status !== 202) throw new Error(`POST /api/offboardings: HTTP ${answer.status} ${answer.text}`);
  return RunView.parse(answer.body);
}

async function waitForRun(kind: string, id: string): Promise<RunView> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const answer = await stack.api('GET', `/api/${kind}/${encodeURIComponent(id)}`);
    const view = RunView.parse(answer.body);
    if (FINAL.has(view.status)) return view;
    if (Date.now() > deadline) throw new Error(`${id} still ${view.status}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

const offboard = async (request: unknown) => waitForRun('offboardings', (await startOffboarding(request)).id);

async function plan(kind: string, request: unknown): Promise<RunView> {
  const answer = await stack.api('POST', `/api/${kind}/plans`, request);
  if (answer.status !== 200) throw new Error(`POST /api/${kind}/plans: HTTP ${answer.status} ${answer.text}`);
  return RunView.parse(answer.body);
}

/** What one landscape's tenant and subaccount hold in SAP. */
async function sapObjectsOf(landscape: Landscape) {
  const all = sandboxObjects(await stack.sandboxState()) as { s4: Record<string, unknown>; btp: { guid: string; destinations: unknown[] }[] };
  return { s4: all.s4[landscape.tenant], btp: all.btp.find((s) => s.guid === landscape.subaccountId) };
}

const outcomes = (view: RunView) => Object.fromEntries(view.steps.map((s) => [s.id, s.outcome]));
const actions = (view: RunView) => Object.fromEntries(view.steps.map((s) => [s.id, s.plan?.action]));
const passwordSecretOf = (l: Landscape) => communicationUserPasswordSecret(l.s4Host, `COM0501_${l.subaccountId.slice(0, 8).toUpperCase()}`).name;

describe('onboard, plan, offboard, offboard again, plan the onboarding', () => {
  let landscape: Landscape;
  let beforeOnboarding: Awaited<ReturnType<typeof sapObjectsOf>>;

  beforeAll(async () => {
    landscape = stack.landscapes[0];
    beforeOnboarding = await sapObjectsOf(landscape);
    const onboarded = await stack.onboard(landscape.request());
    expect(onboarded.status).toBe('completed');
    // The comparisons below mean something only if the onboarding's objects show up in them.
    expect(beforeOnboarding.s4).toBeDefined();
    expect(beforeOnboarding.btp).toBeDefined();
    expect(await sapObjectsOf(landscape)).not.toEqual(beforeOnboarding);
  });

  it('the plan lists a delete for every object and writes nothing', async () => {
    const before = await sapObjectsOf(landscape);
    await stack.clearSandboxRequests();
    const view = await plan('offboardings', landscape.request());
    expect(view.mode).toBe('plan');
    expect(view.status).toBe('completed');
    expect(actions(view)).toEqual({ destination: 'delete', arrangement: 'delete', communicationSystem: 'delete', communicationUser: 'delete', passwordSecret: 'delete', registryRow: 'delete' });
    expect(view.steps.find((s) => s.id === 'destination')!.plan!.object).toBe('destination S4HC_MY100001_SAP_COM_0501');
    const requests = await stack.sandboxRequests();
    expect(requests.length).toBeGreaterThan(0);
    expect(sapWrites(requests)).toEqual([]);
    expect(await sapObjectsOf(landscape)).toEqual(before);
    expect((await stack.api('GET', `/api/credentials/${passwordSecretOf(landscape)}`)).status).toBe(200);
  });

  it('the offboarding completes and deletes each object in reverse order', async () => {
    await stack.clearSandboxRequests();
    const view = await offboard(landscape.request());
    expect(view.error).toBeUndefined();
    expect(view.status).toBe('completed');
    expect(view.id).toBe(`offboard-${landscape.tenant}-${landscape.subaccountId}-r1`);
    expect(view.steps.map((s) => s.id)).toEqual(offboarding.steps.map((s) => s.id));
    expect(outcomes(view)).toEqual({ destination: 'deleted', arrangement: 'deleted', communicationSystem: 'deleted', communicationUser: 'deleted', passwordSecret: 'deleted', registryRow: 'deleted' });
    expect((view.result as OffboardingResult).removed).toHaveLength(6);
    // S/4 refuses a system under an arrangement and a user under an inbound user: the order is the point.
    const deletes = sapWrites(await stack.sandboxRequests()).map((r) => `${r.method} ${r.path.replace(/\(.*$/, '')}`);
    expect(deletes).toEqual([
      expect.stringMatching(/^DELETE \/destination-configuration\/v1\/subaccountDestinations\/S4HC_MY100001_SAP_COM_0501$/),
      expect.stringMatching(/^DELETE .*\/CommunicationArrangements$/),
      expect.stringMatching(/^DELETE .*\/CommunicationSystems$/),
      expect.stringMatching(/^DELETE .*\/CommunicationUsers$/),
    ]);
  });

  it('a second offboarding finds everything gone, says unchanged and writes nothing', async () => {
    await stack.clearSandboxRequests();
    const view = await offboard(landscape.request());
    expect(view.status).toBe('completed');
    expect(view.id).toBe(`offboard-${landscape.tenant}-${landscape.subaccountId}-r2`);
    expect(new Set(view.steps.map((s) => s.outcome))).toEqual(new Set(['unchanged']));
    expect((view.result as OffboardingResult).alreadyGone).toHaveLength(6);
    expect(sapWrites(await stack.sandboxRequests())).toEqual([]);
  });

  it('the onboarding plan afterwards creates every object anew; only the subaccount trust certificate stays', async () => {
    const view = await plan('onboardings', landscape.request());
    const ensure = onboarding.steps.filter((s) => s.kind === 'ensure').map((s) => s.id);
    expect(Object.fromEntries(ensure.map((id) => [id, actions(view)[id]]))).toEqual({
      trustCertificate: 'unchanged',
      communicationUser: 'create',
      communicationSystem: 'create',
      arrangement: 'create',
      destination: 'create',
      record: 'create',
    });
  });

  it('the sandbox holds nothing the product made, and the password secret is gone', async () => {
    expect(await sapObjectsOf(landscape)).toEqual(beforeOnboarding);
    expect((await stack.api('GET', `/api/credentials/${passwordSecretOf(landscape)}`)).status).toBe(404);
  });
});

describe('a destination of the same name that is not ours', () => {
  let landscape: Landscape;
  const name = 'S4HC_MY100002_SAP_COM_0501';

  beforeAll(async () => {
    landscape = stack.landscapes[1];
    expect((await stack.onboard(landscape.request())).status).toBe('completed');
    // Someone replaced the destination by hand: same name, no owner mark.
    const destinations = adminDestinations(stack, landscape);
    await destinations.deleteDestination(name);
    await destinations.createDestination({ Name: name, Type: 'HTTP', URL: 'https://legacy.example.hana.ondemand.com', ProxyType: 'Internet', Authentication: 'NoAuthentication' });
  });

  it('the plan says conflict for the destination and names who holds it', async () => {
    const view = await plan('offboardings', landscape.request());
    const step = view.steps.find((s) => s.id === 'destination')!;
    expect(step.plan).toMatchObject({ action: 'conflict', object: `destination ${name}`, conflict: { usedBy: ['someone else (it has no sap-trust owner mark)'] } });
    expect(actions(view).communicationSystem).toBe('delete');
  });

  it('the offboarding fails at the destination with a Conflict, and deletes nothing', async () => {
    const before = await sapObjectsOf(landscape);
    expect(before.btp!.destinations).toHaveLength(1);
    const view = await offboard(landscape.request());
    expect(view.status).toBe('failed');
    expect(view.error).toMatchObject({ step: 'destination', kind: 'Conflict', system: `subaccount ${landscape.subaccountId}` });
    expect(view.error!.message).toContain(`destination ${name}`);
    expect(view.error!.fix).toContain('BTP cockpit');
    expect(outcomes(view)).toEqual({ destination: 'failed', arrangement: undefined, communicationSystem: undefined, communicationUser: undefined, passwordSecret: undefined, registryRow: undefined });
    expect(await sapObjectsOf(landscape)).toEqual(before);
    expect((await stack.api('GET', `/api/credentials/${passwordSecretOf(landscape)}`)).status).toBe(200);
  });

  it('once the hand-made destination is gone, the same request finishes the job', async () => {
    await adminDestinations(stack, landscape).deleteDestination(name);
    const view = await offboard(landscape.request());
    expect(view.status).toBe('completed');
    expect(outcomes(view)).toMatchObject({ destination: 'unchanged', arrangement: 'deleted', communicationSystem: 'deleted', communicationUser: 'deleted', passwordSecret: 'deleted', registryRow: 'deleted' });
  });
});

describe('onboarding and offboarding of one tenant exclude each other', () => {
  let landscape: Landscape;

  beforeAll(() => {
    landscape = stack.landscapes[2];
  });

  afterEach(() => stack.setLatency(0));

  it('an offboarding while an onboarding of the same tenant runs is refused with 409', async () => {
    await stack.setLatency(150);
    const running = await stack.start(landscape.request());
    const answer = await stack.api('POST', '/api/offboardings', landscape.request());
    expect(answer.status).toBe(409);
    expect(answer.body).toMatchObject({ id: running.id, statusUrl: expect.stringContaining(`/api/onboardings/${running.id}`) });
    expect(answer.body.error).toContain('onboarding');
    await stack.setLatency(0);
    expect((await stack.waitFor(running.id)).status).toBe('completed');
  });

  it('an onboarding while an offboarding of the same tenant runs is refused with 409', async () => {
    await stack.setLatency(150);
    const running = await startOffboarding(landscape.request());
    const answer = await stack.api('POST', '/api/onboardings', landscape.request());
    expect(answer.status).toBe(409);
    expect(answer.body).toMatchObject({ id: running.id, statusUrl: expect.stringContaining(`/api/offboardings/${running.id}`) });
    await stack.setLatency(0);
    expect((await waitForRun('offboardings', running.id)).status).toBe('completed');
  });
});
