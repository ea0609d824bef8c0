/**
 * Issue 7, items 1, 7 and 12: the onboarding never takes over what something else uses. One stack, one
 * landscape per case, all run at once. Each landscape is prepared the way an administrator leaves it,
 * through the tenant's own OData API with the SAP_COM_0A48 user and through the Destination service:
 * a payroll integration that already uses the communication user's name, a communication system of
 * the product's ID that other users or scenarios use, a destination someone else made or another
 * onboarding owns. Those are Conflicts that name who uses the object and how to go on; a hand-made
 * object that nothing else uses, and drift on the product's own objects, are repaired as before.
 */
import { randomBytes } from 'node:crypto';
import { isSapError } from '../../../shared/sap/errors';
import { destroySharedSapAgents } from '../../../shared/sap/http/agent';
import { createS4Client, type InboundUser } from '../../../shared/sap/s4';
import { S4ODataService } from '../../../shared/sap/s4/odataService';
import { OAUTH2_IDP_FIELDS } from '../../../shared/sap/s4/unconfirmedFields';
import { s4Tenant, startOnboardingStack, subaccount, type Landscape, type OnboardingStack, type OnboardingView } from '../../support/onboardingStack';
import { adminConnection, adminDestinations, adminS4 } from './adminActions';

jest.setTimeout(240_000);

const sub8 = (l: Landscape) => l.subaccountId.slice(0, 8).toUpperCase();
const userName = (l: Landscape) => `COM0501_${sub8(l)}`;
const systemId = (l: Landscape) => `BTP_${sub8(l)}`;
const destinationName = (l: Landscape) => `S4HC_${l.tenant.toUpperCase()}_SAP_COM_0501`;
const ourDescription = (l: Landscape) => `sap-trust · BTP subaccount ${l.subaccountId} · SAP_COM_0501`;
const outcomes = (view: OnboardingView) => Object.fromEntries(view.steps.map((s) => [s.id, s.outcome]));
const stepOf = (view: OnboardingView, id: string) => view.steps.find((s) => s.id === id)!;

let stack: OnboardingStack;

/** A basic-authentication inbound user, as an administrator adds one in the Fiori app (the product's client only makes SAML bearer ones). */
async function basicInboundUser(l: Landscape, systemUuid: string, communicationUserId: string): Promise<InboundUser> {
  const odata = new S4ODataService({ apiHost: l.s4Host, user: l.bootstrapUser.name, password: l.bootstrapUser.password, options: adminConnection(stack) }, 'aps_com_cs_a4c_odata');
  const res = await odata.call<InboundUser>({
    operation: 'InboundUsers create',
    method: 'POST',
    path: 'InboundUsers',
    body: { CommunicationSystemUUID: systemUuid, CommunicationUserID: communicationUserId, AuthenticationMethod: 'basic' },
  });
  return res.data;
}

/** What the payroll team set up: their user under the product's user name, system PAYROLL with it as basic inbound user, an SAP_COM_0008 arrangement. */
async function payrollIntegration(l: Landscape): Promise<{ password: string; userId: string; inboundUuid: string }> {
  const s4 = adminS4(stack, l);
  const password = `Payroll-${randomBytes(18).toString('base64url')}`;
  const user = await s4.users.create({ name: userName(l), description: 'Payroll interface (HR team)', password });
  const payroll = await s4.systems.create({ id: 'PAYROLL', name: 'PAYROLL', hostName: 'payroll.example.com', fields: {} });
  const inbound = await basicInboundUser(l, payroll.UUID, user.ID);
  await s4.arrangements.create({ scenarioId: 'SAP_COM_0008', systemId: 'PAYROLL', name: 'SAP_COM_0008_PAYROLL', inboundUserUUID: inbound.UUID });
  return { password, userId: user.ID, inboundUuid: inbound.UUID };
}

/**
 * Whether `user` can log on with `password`. The sandbox, as S/4, lets a communication user into the
 * SAP_COM_0A48 services only as the basic inbound user of an SAP_COM_0A48 arrangement: the test gives
 * PAYROLL's inbound user one, after the run, and then tries the password the payroll team set.
 */
async function payrollUserLogsOn(l: Landscape, inboundUuid: string, password: string): Promise<boolean> {
  const s4 = adminS4(stack, l);
  if (!(await s4.arrangements.findByName('SAP_COM_0A48_PAYROLL'))) {
    await s4.arrangements.create({ scenarioId: 'SAP_COM_0A48', systemId: 'PAYROLL', name: 'SAP_COM_0A48_PAYROLL', inboundUserUUID: inboundUuid });
  }
  const asPayroll = createS4Client({ apiHost: l.s4Host, user: userName(l), password, options: adminConnection(stack) });
  try {
    await asPayroll.users.findByName(userName(l));
    return true;
  } catch (e) {
    if (isSapError(e) && e.kind === 'Unauthorized') return false;
    throw e;
  }
}

interface Case {
  name: string;
  /** Prepares the landscape (it may onboard it first); returns the request of the run under test. */
  arrange(l: Landscape): Promise<Record<string, unknown>>;
}

/** What each case's arrange learned, for its assertions. */
const arranged = new Map<string, Record<string, any>>();
const views = new Map<string, OnboardingView>();
const landscapeOf = new Map<string, Landscape>();
let stateBefore: any;
let state: any;
let requests: { method: string; host: string; path: string }[];

const CASES: Case[] = [
  {
    name: 'payroll uses the user',
    async arrange(l) {
      arranged.set('payroll uses the user', await payrollIntegration(l));
      return l.request();
    },
  },
  {
    name: 'payroll uses the user, adopt communicationUser',
    async arrange(l) {
      arranged.set('payroll uses the user, adopt communicationUser', await payrollIntegration(l));
      return { ...l.request(), adopt: ['communicationUser'] };
    },
  },
  {
    name: 'the system holds another inbound user',
    async arrange(l) {
      const s4 = adminS4(stack, l);
      const other = await s4.users.create({ name: `WMS_${sub8(l)}`, description: 'Warehouse system user', password: `Wms-${randomBytes(18).toString('base64url')}` });
      const system = await s4.systems.create({ id: systemId(l), name: 'Warehouse', hostName: 'wms.example.com', fields: {} });
      await basicInboundUser(l, system.UUID, other.ID);
      arranged.set('the system holds another inbound user', { otherUserId: other.ID, systemUuid: system.UUID });
      return l.request();
    },
  },
  {
    name: 'the system holds an arrangement of another scenario',
    async arrange(l) {
      // Onboarded first; then someone puts an SAP_COM_0008 arrangement on the product's system.
      const first = await stack.onboard(l.request());
      expect(first.status).toBe('completed');
      const s4 = adminS4(stack, l);
      const system = (await s4.systems.findById(systemId(l)))!;
      await s4.arrangements.create({ scenarioId: 'SAP_COM_0008', systemId: system.ID, name: `SAP_COM_0008_${sub8(l)}`, inboundUserUUID: system.InboundUsers![0].UUID });
      return l.request();
    },
  },
  {
    name: 'a hand-made destination of the same name',
    async arrange(l) {
      await adminDestinations(stack, l).createDestination({
        Name: destinationName(l),
        Type: 'HTTP',
        URL: 'https://reporting.example.com',
        ProxyType: 'Internet',
        Authentication: 'NoAuthentication',
        Description: 'Reporting dashboard (BI team)',
      });
      arranged.set('a hand-made destination of the same name', { before: (await adminDestinations(stack, l).getDestination(destinationName(l)))!.destination });
      return l.request();
    },
  },
  {
    name: 'a destination another onboarding owns',
    async arrange(l) {
      const owner = `sap-trust onboarding of my199999 to subaccount ${'0'.repeat(8)}-1111-2222-3333-444444444444`;
      await adminDestinations(stack, l).createDestination({
        Name: destinationName(l),
        Type: 'HTTP',
        URL: 'https://my199999-api.s4hana.ondemand.com',
        ProxyType: 'Internet',
        Authentication: 'NoAuthentication',
        Description: 'SAP S/4HANA Cloud my199999 (SAP_COM_0501), managed by sap-trust-onboarding',
        sapTrustOwner: owner,
      });
      arranged.set('a destination another onboarding owns', { owner, before: (await adminDestinations(stack, l).getDestination(destinationName(l)))!.destination });
      // Even a request that adopts destinations does not take one from another onboarding.
      return { ...l.request(), adopt: ['destination'] };
    },
  },
  {
    name: "a destination an earlier version made for another tenant",
    async arrange(l) {
      // Before the owner property existed, the mark was the description, which names the tenant.
      await adminDestinations(stack, l).createDestination({
        Name: destinationName(l),
        Type: 'HTTP',
        URL: 'https://my199998-api.s4hana.ondemand.com',
        ProxyType: 'Internet',
        Authentication: 'NoAuthentication',
        Description: 'SAP S/4HANA Cloud my199998 (SAP_COM_0501), managed by sap-trust-onboarding',
      });
      arranged.set("a destination an earlier version made for another tenant", { before: (await adminDestinations(stack, l).getDestination(destinationName(l)))!.destination });
      return l.request();
    },
  },
  {
    name: 'a hand-made user used nowhere',
    async arrange(l) {
      const user = await adminS4(stack, l).users.create({ name: userName(l), description: 'made by hand, never used', password: `Hand-${randomBytes(18).toString('base64url')}` });
      arranged.set('a hand-made user used nowhere', { userId: user.ID });
      return l.request();
    },
  },
  {
    name: 'a hand-made system used by nothing',
    async arrange(l) {
      const system = await adminS4(stack, l).systems.create({ id: systemId(l), name: systemId(l), hostName: 'somewhere.example.com', fields: {} });
      arranged.set('a hand-made system used by nothing', { systemUuid: system.UUID });
      return l.request();
    },
  },
  {
    name: 'our destination with a wrong audience and type',
    async arrange(l) {
      const first = await stack.onboard(l.request());
      expect(first.status).toBe('completed');
      const destinations = adminDestinations(stack, l);
      const { destination, etag } = (await destinations.getDestination(destinationName(l)))!;
      await destinations.updateDestination({ ...(destination as Record<string, string>), Name: destinationName(l), audience: 'https://wrong.example.com', Type: 'LDAP' }, { ifMatch: etag });
      return l.request();
    },
  },
  {
    name: 'our system with the identity provider switched off',
    async arrange(l) {
      const first = await stack.onboard(l.request());
      expect(first.status).toBe('completed');
      const s4 = adminS4(stack, l);
      const system = (await s4.systems.findById(systemId(l)))!;
      await s4.systems.patch(system.UUID, { [OAUTH2_IDP_FIELDS.active]: false });
      return l.request();
    },
  },
  {
    name: 'a fresh landscape',
    async arrange(l) {
      return l.request();
    },
  },
];

beforeAll(async () => {
  stack = await startOnboardingStack({ landscapes: CASES.length });
  CASES.forEach((c, i) => landscapeOf.set(c.name, stack.landscapes[i]));
  const bodies = await Promise.all(CASES.map((c) => c.arrange(landscapeOf.get(c.name)!)));
  await stack.clearSandboxRequests();
  stateBefore = await stack.sandboxState();
  const finals = await Promise.all(bodies.map((b) => stack.onboard(b)));
  CASES.forEach((c, i) => views.set(c.name, finals[i]));
  requests = await stack.sandboxRequests();
  state = await stack.sandboxState();
});

afterAll(async () => {
  destroySharedSapAgents();
  await stack?.stop();
});

function expectConflict(view: OnboardingView, step: string) {
  expect({ status: view.status, step: view.error?.step, kind: view.error?.kind }).toEqual({ status: 'failed', step, kind: 'Conflict' });
  expect(stepOf(view, step).outcome).toBe('failed');
  expect(view.error!.fix).not.toMatch(/defect in the product/);
  return view.error!;
}

describe('a communication user that another integration uses (issue 7 item 1)', () => {
  const name = 'payroll uses the user';
  const l = () => landscapeOf.get(name)!;

  it('fails communicationUser with a Conflict that names the system and its arrangement, and gives both ways on', () => {
    const error = expectConflict(views.get(name)!, 'communicationUser');
    expect(error.system).toBe(l().tenant);
    expect(error.message).toContain(`communication user ${userName(l())}`);
    expect(error.message).toContain('communication system PAYROLL');
    expect(error.message).toContain('SAP_COM_0008_PAYROLL (SAP_COM_0008)');
    expect(error.fix).toContain('"s4.communicationUserName"');
    expect(error.fix).toContain('"adopt": ["communicationUser"]');
  });

  it('writes nothing: no later step runs and the user is as the payroll team left it', () => {
    const view = views.get(name)!;
    for (const later of ['communicationSystem', 'arrangement', 'destination', 'verify', 'record']) expect([later, stepOf(view, later).startedAt]).toEqual([later, undefined]);
    const user = s4Tenant(state, l().tenant).communicationUsers.find((u: any) => u.Name === userName(l()));
    expect(user.Description).toBe('Payroll interface (HR team)');
    // Same ETag: no PATCH reached the user.
    expect(user).toEqual(s4Tenant(stateBefore, l().tenant).communicationUsers.find((u: any) => u.Name === userName(l())));
    expect(requests.filter((r) => r.host === l().s4Host).length).toBeGreaterThan(0);
    const writesToTenant = requests.filter((r) => r.host === l().s4Host && r.method !== 'GET');
    expect(writesToTenant).toEqual([]);
  });

  it("leaves PAYROLL's password working", async () => {
    const { inboundUuid, password } = arranged.get(name)!;
    expect(await payrollUserLogsOn(l(), inboundUuid, password)).toBe(true);
  });
});

describe('the same user with "adopt": ["communicationUser"]', () => {
  const name = 'payroll uses the user, adopt communicationUser';
  const l = () => landscapeOf.get(name)!;

  it('completes, and reports the user updated', () => {
    const view = views.get(name)!;
    expect({ status: view.status, error: view.error }).toEqual({ status: 'completed', error: undefined });
    expect(view.result?.tokenExchangeVerified).toBe(true);
    expect(outcomes(view)).toMatchObject({ communicationUser: 'updated', communicationSystem: 'created' });
    expect(stepOf(view, 'communicationUser').detail).toMatch(/description and password/);
    const user = s4Tenant(state, l().tenant).communicationUsers.find((u: any) => u.Name === userName(l()));
    expect(user.Description).toBe(ourDescription(l()));
  });

  it("took PAYROLL's password, as the request asked (the check that proves the conflict case can fail)", async () => {
    const { inboundUuid, password } = arranged.get(name)!;
    expect(await payrollUserLogsOn(l(), inboundUuid, password)).toBe(false);
  });
});

describe('a communication system with the product ID that someone else uses', () => {
  it('fails communicationSystem with a Conflict naming the other inbound user, and changes nothing on the system', () => {
    const name = 'the system holds another inbound user';
    const l = landscapeOf.get(name)!;
    const view = views.get(name)!;
    const error = expectConflict(view, 'communicationSystem');
    expect(outcomes(view)).toMatchObject({ communicationUser: 'created' });
    expect(error.message).toContain(`communication system ${systemId(l)}`);
    expect(error.message).toContain(`inbound user ${arranged.get(name)!.otherUserId}`);
    expect(error.fix).toContain('"s4.communicationSystemId"');
    expect(error.fix).toContain('"adopt": ["communicationSystem"]');
    const system = s4Tenant(state, l.tenant).communicationSystems.find((s: any) => s.ID === systemId(l));
    expect(system).toEqual(s4Tenant(stateBefore, l.tenant).communicationSystems.find((s: any) => s.ID === systemId(l)));
    expect(system.Name).toBe('Warehouse');
    expect(system[OAUTH2_IDP_FIELDS.active]).not.toBe(true);
    expect(s4Tenant(state, l.tenant).inboundUsers.filter((u: any) => u.CommunicationSystemUUID === system.UUID)).toHaveLength(1);
  });

  it('fails communicationSystem with a Conflict naming the arrangement of the other scenario', () => {
    const name = 'the system holds an arrangement of another scenario';
    const l = landscapeOf.get(name)!;
    const error = expectConflict(views.get(name)!, 'communicationSystem');
    expect(error.message).toContain(`arrangement SAP_COM_0008_${sub8(l)} (SAP_COM_0008)`);
    const systemNow = (x: any) => s4Tenant(x, l.tenant).communicationSystems.find((s: any) => s.ID === systemId(l));
    expect(systemNow(state)).toEqual(systemNow(stateBefore));
    expect(requests.filter((r) => r.host === l.s4Host).length).toBeGreaterThan(0);
    expect(requests.filter((r) => r.host === l.s4Host && r.method !== 'GET')).toEqual([]);
  });
});

describe('a destination with the product name that the product did not create', () => {
  const destinationAfter = (l: Landscape) => subaccount(state, l.subaccountId).destinations.find((d: any) => d.Name === destinationName(l));

  it('is a Conflict: someone else made it; the fix is another destinationName or adopt; it is left as it was', () => {
    const name = 'a hand-made destination of the same name';
    const l = landscapeOf.get(name)!;
    const error = expectConflict(views.get(name)!, 'destination');
    expect(error.message).toContain(`destination ${destinationName(l)}`);
    expect(error.message).toMatch(/someone else/);
    expect(error.fix).toContain('"btp.destinationName"');
    expect(error.fix).toContain('"adopt": ["destination"]');
    expect(destinationAfter(l)).toMatchObject(arranged.get(name)!.before);
    expect(destinationAfter(l).Authentication).toBe('NoAuthentication');
  });

  it('owned by another onboarding is a Conflict naming that onboarding, never a repair, even with "adopt": ["destination"] (item 12)', () => {
    const name = 'a destination another onboarding owns';
    const l = landscapeOf.get(name)!;
    const error = expectConflict(views.get(name)!, 'destination');
    expect(error.message).toContain(arranged.get(name)!.owner);
    expect(error.fix).toMatch(/Another onboarding owns/);
    expect(destinationAfter(l)).toMatchObject(arranged.get(name)!.before);
    expect(destinationAfter(l).URL).toBe('https://my199999-api.s4hana.ondemand.com');
  });
  it('made by an earlier version for another tenant (its description names that tenant) is a Conflict naming that onboarding, never a repair', () => {
    const name = 'a destination an earlier version made for another tenant';
    const l = landscapeOf.get(name)!;
    const error = expectConflict(views.get(name)!, 'destination');
    expect(error.message).toContain('my199998');
    expect(error.message).not.toContain('undefined');
    expect(error.fix).toMatch(/Another onboarding owns/);
    expect(destinationAfter(l)).toMatchObject(arranged.get(name)!.before);
  });
});

describe('what is ours or used by nothing is repaired, as before', () => {
  it('a hand-made user with the product name that nothing uses: updated (description and password), and the run completes', () => {
    const name = 'a hand-made user used nowhere';
    const l = landscapeOf.get(name)!;
    const view = views.get(name)!;
    expect(view.status).toBe('completed');
    expect(stepOf(view, 'communicationUser')).toMatchObject({ outcome: 'updated', detail: 'set description and password' });
    const user = s4Tenant(state, l.tenant).communicationUsers.find((u: any) => u.Name === userName(l));
    expect(user).toMatchObject({ ID: arranged.get(name)!.userId, Description: ourDescription(l) });
  });

  it('a hand-made system with the product ID that nothing uses: updated, and the run completes', () => {
    const name = 'a hand-made system used by nothing';
    const l = landscapeOf.get(name)!;
    const view = views.get(name)!;
    expect(view.status).toBe('completed');
    expect(view.result?.tokenExchangeVerified).toBe(true);
    expect(stepOf(view, 'communicationSystem').outcome).toBe('updated');
    const systems = s4Tenant(state, l.tenant).communicationSystems.filter((s: any) => s.ID === systemId(l));
    expect(systems.map((s: any) => [s.UUID, s.Description])).toEqual([[arranged.get(name)!.systemUuid, ourDescription(l)]]);
  });

  it('our destination with a wrong audience and type: updated, both fields set right, the token exchange verified', () => {
    const name = 'our destination with a wrong audience and type';
    const l = landscapeOf.get(name)!;
    const view = views.get(name)!;
    expect(view.status).toBe('completed');
    expect(view.result?.tokenExchangeVerified).toBe(true);
    const step = stepOf(view, 'destination');
    expect(step.outcome).toBe('updated');
    expect(step.plan?.changes.map((c) => c.field).sort()).toEqual(['Type', 'audience']);
    expect(subaccount(state, l.subaccountId).destinations.find((d: any) => d.Name === destinationName(l))).toMatchObject({
      Type: 'HTTP',
      audience: `https://${l.tenant}.s4hana.ondemand.com`,
    });
  });

  it('our system with the OAuth 2.0 identity provider switched off: updated, switched on again, the token exchange verified', () => {
    const name = 'our system with the identity provider switched off';
    const l = landscapeOf.get(name)!;
    const view = views.get(name)!;
    expect(view.status).toBe('completed');
    expect(view.result?.tokenExchangeVerified).toBe(true);
    const step = stepOf(view, 'communicationSystem');
    expect(step.outcome).toBe('updated');
    expect(step.plan?.changes.map((c) => c.field)).toEqual([OAUTH2_IDP_FIELDS.active]);
    expect(s4Tenant(state, l.tenant).communicationSystems.find((s: any) => s.ID === systemId(l))[OAUTH2_IDP_FIELDS.active]).toBe(true);
  });
});

describe('descriptions (issue 7 item 7)', () => {
  it("the user's and the system's Description is the whole text: the mark, the whole subaccount id and the scenario, within 80 characters", () => {
    const l = landscapeOf.get('a fresh landscape')!;
    expect(views.get('a fresh landscape')!.status).toBe('completed');
    const t = s4Tenant(state, l.tenant);
    const user = t.communicationUsers.find((u: any) => u.Name === userName(l));
    const system = t.communicationSystems.find((s: any) => s.ID === systemId(l));
    for (const description of [user.Description, system.Description]) {
      expect(description).toBe(`sap-trust · BTP subaccount ${l.subaccountId} · SAP_COM_0501`);
      expect(description.length).toBeLessThanOrEqual(80);
    }
  });
});
