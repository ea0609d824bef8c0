/**
 * Issue 8 item 4: plan mode over HTTP (POST /api/onboardings/plans) on devhost with the SAP sandbox.
 * A plan reads and compares, and writes nothing anywhere: not to SAP (the sandbox request log shows
 * only reads, token fetches and CSRF fetches), not to the secret store, not to the registry. A plan
 * followed by a run writes exactly what the plan said; a plan of a drifted landscape names the
 * drifted fields; secret values never appear in a plan, only "(secret, not shown)".
 * One landscape; the tests follow each other as an administrator would work.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { communicationUserPasswordSecret, fileSecretStore } from '../../../shared/secrets';
import { destroySharedSapAgents } from '../../../shared/sap/http/agent';
import { OAUTH2_IDP_FIELDS, SIGNING_CERTIFICATE_FIELD } from '../../../shared/sap/s4/unconfirmedFields';
import { MASKED, type StepPlan } from '../../../shared/workflow/stepPlan';
import { sandboxObjects, sapWrites, s4Tenant, startOnboardingStack, subaccount, type ApiAnswer, type Landscape, type OnboardingStack, type OnboardingView } from '../../support/onboardingStack';
import { adminDestinations, adminS4 } from './adminActions';

jest.setTimeout(180_000);

let stack: OnboardingStack;
let l: Landscape;

const sub8 = () => l.subaccountId.slice(0, 8).toUpperCase();
const userName = () => `COM0501_${sub8()}`;
const systemId = () => `BTP_${sub8()}`;
const destinationName = () => `S4HC_${l.tenant.toUpperCase()}_SAP_COM_0501`;
const passwordSecret = () => communicationUserPasswordSecret(l.s4Host, userName()).name;

/** What a plan shows for a value S/4 assigns when the object is created. */
const ASSIGNED = '(assigned by S/4 on create)';
const TOKEN_PATHS = /\/oauth\/token$|\/oauth2\/token$|\/sap\/bc\/sec\/oauth2\/token$/;
/** Reads (GET, and HEAD; SAP hands out CSRF tokens on GETs) and token fetches: nothing that changes SAP. */
const isReadOrTokenFetch = (r: { method: string; path: string }) => r.method === 'GET' || r.method === 'HEAD' || (r.method === 'POST' && TOKEN_PATHS.test(r.path));

const plans = (view: OnboardingView) => Object.fromEntries(view.steps.map((s) => [s.id, s.plan])) as Record<string, StepPlan | undefined>;
const actions = (view: OnboardingView) => Object.fromEntries(view.steps.map((s) => [s.id, s.plan?.action]));
const changedFields = (plan: StepPlan | undefined) => (plan?.changes ?? []).map((c) => c.field);
const change = (plan: StepPlan | undefined, field: string) => plan?.changes.find((c) => c.field === field);

async function plan(request: unknown): Promise<{ answer: ApiAnswer<OnboardingView>; view: OnboardingView }> {
  const answer = await stack.api<OnboardingView>('POST', '/api/onboardings/plans', request);
  expect([answer.status, answer.text.slice(0, 300)]).toEqual([200, expect.any(String)]);
  return { answer, view: answer.body };
}

/** A plan, with everything it made SAP and the stores do. */
async function planWatched(request: unknown) {
  await stack.clearSandboxRequests();
  const before = sandboxObjects(await stack.sandboxState());
  const registryBefore = await stack.registry.list();
  const planned = await plan(request);
  const requests = await stack.sandboxRequests();
  return { ...planned, requests, before, after: sandboxObjects(await stack.sandboxState()), registryBefore, registryAfter: await stack.registry.list() };
}

beforeAll(async () => {
  stack = await startOnboardingStack({ landscapes: [{}, {}, { trustCertificate: 'none' }] });
  l = stack.landscapes[0];
});

afterAll(async () => {
  destroySharedSapAgents();
  await stack?.stop();
});

describe('a plan of a landscape never onboarded', () => {
  let watched: Awaited<ReturnType<typeof planWatched>>;

  beforeAll(async () => {
    watched = await planWatched(l.request());
  });

  it('is a completed plan-mode view that says what a run would create', () => {
    const { view } = watched;
    expect({ mode: view.mode, status: view.status, error: view.error }).toEqual({ mode: 'plan', status: 'completed', error: undefined });
    expect(view.id).toMatch(new RegExp(`^onboard-${l.tenant}-${l.subaccountId}-plan-[0-9a-f]{8}$`));
    expect(actions(view)).toMatchObject({
      preflight: 'check',
      trustCertificate: 'unchanged',
      communicationUser: 'create',
      communicationSystem: 'create',
      arrangement: 'create',
      destination: 'create',
      verify: 'check',
      record: 'create',
    });
    expect(change(plans(view).communicationUser, 'Name')?.to).toBe(userName());
    expect(change(plans(view).communicationSystem, 'ID')?.to).toBe(systemId());
    expect(change(plans(view).destination, 'Name')?.to).toBe(destinationName());
  });

  it('writes nothing to SAP: only reads, token fetches and CSRF fetches, and every object is as it was', () => {
    const { requests, before, after } = watched;
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.some((r) => r.host === l.s4Host)).toBe(true);
    expect(requests.filter((r) => !isReadOrTokenFetch(r))).toEqual([]);
    expect(sapWrites(requests)).toEqual([]);
    expect(after).toEqual(before);
  });

  it('does not create the communication user password secret, and records no tenant', async () => {
    const credential = await stack.api('GET', `/api/credentials/${passwordSecret()}`);
    expect(credential.status).toBe(404);
    expect(await fileSecretStore({ dir: path.join(stack.dataDir, 'secrets') }).exists(passwordSecret())).toBe(false);
    expect(watched.registryAfter).toEqual(watched.registryBefore);
    expect(await stack.registry.get(l.s4Host, l.subaccountId)).toBeUndefined();
  });

  it("masks the password it would generate, and never shows the service key's client secret or the SAP_COM_0A48 password", async () => {
    const text = watched.answer.text;
    expect(change(plans(watched.view).communicationUser, 'Password')?.to).toContain(MASKED);
    expect(change(plans(watched.view).destination, 'tokenServicePassword')).toEqual({ field: 'tokenServicePassword', to: MASKED });
    const again = await stack.api('GET', `/api/onboardings/${watched.view.id}`);
    for (const shown of [text, again.text]) {
      expect(shown).not.toContain(l.serviceKey.clientsecret);
      expect(shown).not.toContain(l.bootstrapUser.password);
    }
  });
});

describe('the run after the plan', () => {
  let planned: OnboardingView;
  let run: OnboardingView;
  let writes: string[];
  let state: any;

  beforeAll(async () => {
    planned = (await plan(l.request())).view;
    await stack.clearSandboxRequests();
    run = await stack.onboard(l.request());
    writes = sapWrites(await stack.sandboxRequests()).map((r) => `${r.method} ${r.path.split('/').pop()}`);
    state = await stack.sandboxState();
  });

  it('does what each step planned: create → created, unchanged → unchanged, and changes the fields it listed', () => {
    expect(run.status).toBe('completed');
    const past: Record<string, string> = { create: 'created', update: 'updated', unchanged: 'unchanged' };
    for (const step of run.steps) {
      const action = plans(planned)[step.id]?.action;
      if (action && action in past) expect([step.id, step.outcome]).toEqual([step.id, past[action]]);
      expect([step.id, changedFields(step.plan)]).toEqual([step.id, changedFields(plans(planned)[step.id])]);
    }
  });

  it('makes exactly the SAP writes the plan implies: one create per planned object, nothing else', () => {
    expect(writes.sort()).toEqual(
      [
        'POST CommunicationUsers', // communicationUser: create
        'POST CommunicationSystems', // communicationSystem: create
        'POST InboundUsers', // communicationSystem: "inbound user"
        'POST CommunicationArrangements', // arrangement: create
        'POST subaccountDestinations', // destination: create
      ].sort(),
    );
  });

  it('writes the values the plan showed', async () => {
    const t = s4Tenant(state, l.tenant);
    const user = t.communicationUsers.find((u: any) => u.Name === userName());
    expect(user.Description).toBe(change(plans(planned).communicationUser, 'Description')?.to);

    const system = t.communicationSystems.find((s: any) => s.ID === systemId());
    for (const c of plans(planned).communicationSystem!.changes) {
      if (c.field === 'inbound user' || c.field === SIGNING_CERTIFICATE_FIELD) continue;
      expect([c.field, String(system[c.field])]).toEqual([c.field, c.to]);
    }
    expect(change(plans(planned).communicationSystem, SIGNING_CERTIFICATE_FIELD)?.to).toBe(`certificate ${run.result!.certificateFingerprint}`);

    // Read through the Destination service: the sandbox state masks tokenServicePassword.
    const destination = (await adminDestinations(stack, l).getDestination(destinationName()))!.destination as Record<string, unknown>;
    const password = await fileSecretStore({ dir: path.join(stack.dataDir, 'secrets') }).get(passwordSecret());
    expect(password).toEqual(expect.any(String));
    for (const c of plans(planned).destination!.changes) {
      // Masked in the plan: the value written is the password the run stored; assigned by S/4: known only after the write.
      const expected = c.to === MASKED ? password : c.to === ASSIGNED ? expect.any(String) : c.to;
      expect([c.field, destination[c.field]]).toEqual([c.field, expected]);
    }
  });
});

describe('a plan of a drifted landscape', () => {
  let watched: Awaited<ReturnType<typeof planWatched>>;
  const driftedPassword = `Drifted-${Date.now()}-tokenServicePassword`;

  beforeAll(async () => {
    // The landscape is onboarded (previous describe). Now someone edits it by hand.
    const s4 = adminS4(stack, l);
    const user = (await s4.users.findByName(userName()))!;
    await s4.users.update(user.ID, { description: 'edited by hand' });
    const system = (await s4.systems.findById(systemId()))!;
    await s4.systems.patch(system.UUID, { [OAUTH2_IDP_FIELDS.samlIssuer]: 'CN=someone-else' });
    const destinations = adminDestinations(stack, l);
    const { destination, etag } = (await destinations.getDestination(destinationName()))!;
    await destinations.updateDestination({ ...(destination as Record<string, string>), Name: destinationName(), Type: 'HTTP', audience: 'https://drifted.example.com', tokenServicePassword: driftedPassword }, { ifMatch: etag });
    watched = await planWatched(l.request());
  });

  it('names the drifted fields with what they are and what a run would set', () => {
    const p = plans(watched.view);
    expect(actions(watched.view)).toMatchObject({ trustCertificate: 'unchanged', communicationUser: 'update', communicationSystem: 'update', arrangement: 'unchanged', destination: 'update', record: 'unchanged' });
    expect(p.communicationUser!.changes).toEqual([{ field: 'Description', from: 'edited by hand', to: `sap-trust · BTP subaccount ${l.subaccountId} · SAP_COM_0501` }]);
    expect(p.communicationSystem!.changes).toEqual([{ field: OAUTH2_IDP_FIELDS.samlIssuer, from: 'CN=someone-else', to: expect.stringContaining(l.subaccountId) }]);
    expect(p.destination!.changes.map((c) => c.field).sort()).toEqual(['audience', 'tokenServicePassword']);
    expect(change(p.destination, 'audience')).toEqual({ field: 'audience', from: 'https://drifted.example.com', to: `https://${l.tenant}.s4hana.ondemand.com` });
    expect(change(p.destination, 'tokenServicePassword')).toEqual({ field: 'tokenServicePassword', from: MASKED, to: MASKED });
  });

  it('writes nothing: only reads and token fetches, every object still drifted', () => {
    expect(watched.requests.filter((r) => !isReadOrTokenFetch(r))).toEqual([]);
    expect(watched.after).toEqual(watched.before);
    expect(watched.registryAfter).toEqual(watched.registryBefore);
  });

  it('shows neither the generated password read from the secret store, nor the drifted one, nor the client secret', async () => {
    const password = await fileSecretStore({ dir: path.join(stack.dataDir, 'secrets') }).get(passwordSecret());
    expect(password).toEqual(expect.any(String));
    const again = await stack.api('GET', `/api/onboardings/${watched.view.id}`);
    expect(again.status).toBe(200);
    for (const shown of [watched.answer.text, again.text]) {
      expect(shown).toContain(MASKED);
      for (const secret of [password!, driftedPassword, l.serviceKey.clientsecret, l.bootstrapUser.password]) expect(shown).not.toContain(secret);
    }
  });

  it('a run after it repairs exactly the fields it named', async () => {
    const run = await stack.onboard(l.request());
    expect(run.status).toBe('completed');
    expect(run.result?.tokenExchangeVerified).toBe(true);
    for (const id of ['communicationUser', 'communicationSystem', 'destination']) {
      expect([id, run.steps.find((s) => s.id === id)!.outcome, changedFields(run.steps.find((s) => s.id === id)!.plan).sort()]).toEqual([
        id,
        'updated',
        changedFields(plans(watched.view)[id]).sort(),
      ]);
    }
  });
});

describe('a plan of a landscape where the user name is taken by another integration', () => {
  let watched: Awaited<ReturnType<typeof planWatched>>;
  let other: Landscape;
  const otherUser = () => `COM0501_${other.subaccountId.slice(0, 8).toUpperCase()}`;

  beforeAll(async () => {
    other = stack.landscapes[1];
    // The user of the product's name is the inbound user of system PAYROLL (any scenario will do).
    const s4 = adminS4(stack, other);
    const user = await s4.users.create({ name: otherUser(), description: 'Payroll interface', password: `Payroll-${randomBytes(18).toString('base64url')}` });
    const payroll = await s4.systems.create({ id: 'PAYROLL', name: 'PAYROLL', hostName: 'payroll.example.com', fields: {} });
    await s4.systems.createSamlBearerInboundUser(payroll.UUID, user.ID);
    watched = await planWatched(other.request());
  });

  it('completes and shows the conflict with who uses the user and the fix, writing nothing', () => {
    const p = plans(watched.view).communicationUser!;
    expect(watched.view.status).toBe('completed');
    expect(p.action).toBe('conflict');
    expect(p.conflict?.usedBy).toEqual(['communication system PAYROLL']);
    expect(p.conflict?.fix).toContain('"adopt": ["communicationUser"]');
    expect(watched.requests.filter((r) => !isReadOrTokenFetch(r))).toEqual([]);
    expect(watched.after).toEqual(watched.before);
  });

  it('the run then fails at the step the plan named, with the same users', async () => {
    const run = await stack.onboard(other.request());
    expect({ status: run.status, step: run.error?.step, kind: run.error?.kind }).toEqual({ status: 'failed', step: 'communicationUser', kind: 'Conflict' });
    expect(run.error?.message).toContain('communication system PAYROLL');
    expect(run.error?.fix).toBe(plans(watched.view).communicationUser!.conflict!.fix);
  });
});

describe('a plan of a subaccount without a trust certificate', () => {
  let watched: Awaited<ReturnType<typeof planWatched>>;
  let bare: Landscape;

  beforeAll(async () => {
    bare = stack.landscapes[2];
    watched = await planWatched(bare.request());
  });

  it('says the run would generate it, and does not: no POST to the Destination service, the subaccount still has none', async () => {
    expect(watched.view.status).toBe('completed');
    expect(plans(watched.view).trustCertificate).toMatchObject({ action: 'create', changes: [{ field: 'certificate', to: expect.stringMatching(/generated by BTP/) }] });
    expect(actions(watched.view)).toMatchObject({ communicationUser: 'create', communicationSystem: 'create', arrangement: 'create', destination: 'create' });
    expect(watched.requests.some((r) => /saml2Metadata/.test(r.path))).toBe(true);
    expect(watched.requests.filter((r) => !isReadOrTokenFetch(r))).toEqual([]);
    expect(watched.after).toEqual(watched.before);
    expect(subaccount(await stack.sandboxState(), bare.subaccountId).trustCertificate.active).toBeNull();
  });
});
