/**
 * The S/4HANA Cloud SAP_COM_0A48 clients against the sandbox over HTTPS, on the production code
 * path: real host names, connect-to at the connection layer, TLS verified against the sandbox CA.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSandbox, type RunningSandbox } from '../../../sandbox';
import { s4Service } from '../../../sandbox/s4/s4Service';
import { adviceFor } from '../../../shared/sap/errorAdvice';
import { SapError } from '../../../shared/sap/errors';
import { destroySharedSapAgents, type SapConnectionOptions } from '../../../shared/sap/http';
import { createS4Client, type S4Connection } from '../../../shared/sap/s4';
import { S4ODataService } from '../../../shared/sap/s4/odataService';
import { oauth2IdentityProviderFields, oauth2Details, holdsSameSigningCertificate, SIGNING_CERTIFICATE_FIELD } from '../../../shared/sap/s4/unconfirmedFields';
import { createTestCa } from '../../unit/sap/support/tlsTestServer';

const TENANT = 'my100001';
const API_HOST = `${TENANT}-api.s4hana.ondemand.com`;
const BOOTSTRAP = { name: 'BOOTSTRAP_0A48', password: 'Bootstrap-0A48-Password-For-Tests-123' };
const USER_PASSWORD = 'CommUserPassword-0123456789abcdefXYZ';

let sandbox: RunningSandbox;
let dataDir: string;
let options: SapConnectionOptions;
let conn: S4Connection;

async function admin(method: string, sub: string, body?: unknown): Promise<any> {
  const res = await fetch(`${sandbox.adminUrl}${sub}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return text ? JSON.parse(text) : undefined;
}

async function failure(p: Promise<unknown>): Promise<SapError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(SapError);
    return e as SapError;
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 's4-int-'));
  sandbox = await startSandbox({ port: 0, dataDir, quiet: true, services: [s4Service], seed: { s4Tenants: [{ tenant: TENANT, bootstrapUser: BOOTSTRAP }] } });
  options = { connectTo: sandbox.connectTo, extraCaPem: sandbox.caPem, timeoutMs: 5000 };
  conn = { apiHost: API_HOST, user: BOOTSTRAP.name, password: BOOTSTRAP.password, options };
});
afterAll(async () => {
  destroySharedSapAgents();
  await sandbox.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('communication users', () => {
  it('finds nothing, creates, finds by name and updates the description', async () => {
    const s4 = createS4Client(conn);
    expect(await s4.users.findByName('COM501SID100')).toBeUndefined();
    const created = await s4.users.create({ name: 'COM501SID100', description: 'BTP inbound', password: USER_PASSWORD });
    expect(created.ID).toMatch(/^CC\d{10}$/);
    expect(created).not.toHaveProperty('Password');
    expect((await s4.users.findByName('COM501SID100'))?.ID).toBe(created.ID);
    const updated = await s4.users.update(created.ID, { description: 'changed' });
    expect(updated.Description).toBe('changed');
    expect((await s4.users.getById(created.ID))?.Description).toBe('changed');
  });

  it('reports a duplicate name with SAP\'s message', async () => {
    const s4 = createS4Client(conn);
    await s4.users.create({ name: 'DUPUSER', description: 'd', password: USER_PASSWORD });
    const err = await failure(s4.users.create({ name: 'DUPUSER', description: 'd', password: USER_PASSWORD }));
    expect(err.kind).toMatch(/Invalid|Conflict/);
    expect(err.sapMessage).toContain('already used');
    expect(err.message).toMatch(new RegExp(`^S/4HANA tenant ${TENANT} refused CommunicationUsers create: ".*already used.*" \\(HTTP 400\\)$`));
    expect(err.message).not.toContain('S4Error');
    expect(JSON.stringify(err) + err.stack).not.toContain(USER_PASSWORD);
  });

  it('reports a missing description as Invalid', async () => {
    const err = await failure(createS4Client(conn).users.create({ name: 'NODESC', description: '', password: USER_PASSWORD }));
    expect(err.kind).toBe('Invalid');
    expect(err.sapMessage).toMatch(/description/i);
  });

  it('answers undefined for an unknown user ID (404)', async () => {
    expect(await createS4Client(conn).users.getById('CC9999999999')).toBeUndefined();
  });

  it('maps a wrong bootstrap password to Unauthorized without the password in the error', async () => {
    const wrong = 'Wrong-Password-That-Must-Not-Leak-42';
    const err = await failure(createS4Client({ ...conn, password: wrong }).users.findByName('X'));
    expect(err.kind).toBe('Unauthorized');
    expect(err.status).toBe(401);
    expect(JSON.stringify(err) + err.message + err.stack).not.toContain(wrong);
  });

  it('names the stored SAP_COM_0A48 user (its secret name, not its password) and gives S/4 advice when the tenant refuses it', async () => {
    const wrong = 'Wrong-Password-That-Must-Not-Leak-43';
    const credential = `s4-${TENANT}-sap-com-0a48-user`;
    const err = await failure(createS4Client({ ...conn, password: wrong, credential }).users.findByName('X'));
    expect(err.message).toMatch(new RegExp(`^S/4HANA tenant ${TENANT} refused the SAP_COM_0A48 user stored as ${credential} for CommunicationUsers find: ".+" \\(HTTP 401\\)$`));
    expect(err.credential).toBe(credential);
    expect(adviceFor(err)).toMatch(/not be locked/);
    expect(JSON.stringify(err) + err.message + adviceFor(err)).not.toContain(wrong);
  });

  it('fetches a fresh CSRF token once when the sandbox answers 403 x-csrf-token: Required', async () => {
    const odata = new S4ODataService(conn, 'aps_com_cu_a4c_odata');
    (odata as unknown as { csrf: unknown }).csrf = { token: 'stale-token', cookies: new Map() };
    const res = await odata.call({ operation: 'CommunicationUsers create', method: 'POST', path: 'CommunicationUsers', body: { Name: 'CSRFUSER', Description: 'd', Type: 'customer_communication', Password: USER_PASSWORD } });
    expect(res.status).toBe(201);
    const { requests } = (await admin('GET', '/requests')) as { requests: { method: string; path: string; status: number }[] };
    const posts = requests.filter((r) => r.method === 'POST' && r.path.endsWith('/CommunicationUsers')).slice(-2);
    expect(posts.map((p) => p.status)).toEqual([403, 201]);
  });
});

describe('communication systems, inbound users and arrangements', () => {
  const trustCertPem = createTestCa('cfapps.eu10.hana.ondemand.com/11111111-2222-3333-4444-555555555555').certPem;

  it('creates the system with the OAuth 2.0 IdP, adds the SAML bearer inbound user, and arranges SAP_COM_0501', async () => {
    const s4 = createS4Client(conn);
    const user = await s4.users.create({ name: 'COM501FLOW', description: 'flow', password: USER_PASSWORD });
    expect(await s4.systems.findById('BTP_SUB_1')).toBeUndefined();
    const system = await s4.systems.create({
      id: 'BTP_SUB_1',
      name: 'BTP subaccount 1',
      fields: oauth2IdentityProviderFields({ samlIssuer: 'cfapps.eu10.hana.ondemand.com/11111111-2222-3333-4444-555555555555', signingCertificatePem: trustCertPem, userIdMappingMode: 'user_uuid' }),
    });
    expect(system.UUID).toMatch(/^[0-9a-f-]{36}$/);

    const found = await s4.systems.findById('BTP_SUB_1');
    expect(found?.IsOAuth2IdentityProviderActive).toBe(true);
    expect(found?.OAuth2IdentityProviderName).toBe('cfapps.eu10.hana.ondemand.com/11111111-2222-3333-4444-555555555555');
    expect(holdsSameSigningCertificate(found?.[SIGNING_CERTIFICATE_FIELD] as string, trustCertPem)).toBe(true);
    expect(found?.InboundUsers).toEqual([]);

    const inbound = await s4.systems.createSamlBearerInboundUser(system.UUID, user.ID);
    expect(inbound).toMatchObject({ CommunicationUserID: user.ID, AuthenticationMethod: 'oauth2', OAuth2GrantType: 'saml2-bearer' });
    const listed = await s4.systems.listInboundUsers(system.UUID);
    expect(listed.map((u) => u.UUID)).toEqual([inbound.UUID]);
    expect(oauth2Details(API_HOST, listed[0]).clientId).toBe('COM501FLOW');

    const patched = await s4.systems.patch(system.UUID, { OAuth2IdentityProviderUserLogonType: 'user_name' });
    expect(patched.OAuth2IdentityProviderUserLogonType).toBe('user_name');

    const arrangement = await s4.arrangements.create({ scenarioId: 'SAP_COM_0501', systemId: 'BTP_SUB_1', name: 'SAP_COM_0501_BTP_SUB_1', inboundUserUUID: inbound.UUID });
    expect(arrangement.UUID).toMatch(/^[0-9a-f-]{36}$/);
    expect((await s4.arrangements.findByName('SAP_COM_0501_BTP_SUB_1'))?.InboundUser?.CommunicationSystemInboundUserUUID).toBe(inbound.UUID);
    expect((await s4.arrangements.findByScenarioAndSystem('SAP_COM_0501', 'BTP_SUB_1')).map((a) => a.UUID)).toEqual([arrangement.UUID]);
    const renamed = await s4.arrangements.patch(arrangement.UUID, { Description: 'onboarded' });
    expect(renamed.Description).toBe('onboarded');
    await s4.arrangements.setInboundUser(arrangement.UUID, inbound.UUID);
    expect((await s4.arrangements.getByUUID(arrangement.UUID))?.InboundUser?.CommunicationSystemInboundUserUUID).toBe(inbound.UUID);
  });

  it('updates with one PATCH that asks nothing back (204), and the change lands', async () => {
    const s4 = createS4Client(conn);
    const system = await s4.systems.create({ id: 'BTP_UPDATE', name: 'update', fields: oauth2IdentityProviderFields({ samlIssuer: 'cfapps.eu10.hana.ondemand.com/11111111-2222-3333-4444-555555555555', signingCertificatePem: trustCertPem, userIdMappingMode: 'user_uuid' }) });
    const next = createTestCa('cfapps.eu10.hana.ondemand.com/11111111-2222-3333-4444-555555555555').certPem;
    await admin('DELETE', '/requests');
    await s4.systems.update(system.UUID, oauth2IdentityProviderFields({ samlIssuer: 'cfapps.eu10.hana.ondemand.com/11111111-2222-3333-4444-555555555555', signingCertificatePem: next, userIdMappingMode: 'user_uuid' }));
    const { requests } = (await admin('GET', '/requests')) as { requests: { method: string; path: string; status: number }[] };
    expect(requests.map((r) => [r.method, r.status])).toEqual([['PATCH', 204]]);
    expect(holdsSameSigningCertificate((await s4.systems.getByUUID(system.UUID))?.[SIGNING_CERTIFICATE_FIELD] as string, next)).toBe(true);
  });

  it('answers undefined for an unknown system UUID (404)', async () => {
    expect(await createS4Client(conn).systems.getByUUID('00000000-0000-0000-0000-000000000000')).toBeUndefined();
  });

  it('reports CM_APS_CS/025 when a system that is not inbound-only has no host name', async () => {
    const err = await failure(createS4Client(conn).systems.create({ id: 'NOHOST', name: 'no host', fields: { IsInboundOnly: false } }));
    expect(err).toMatchObject({ kind: 'Invalid', status: 400, sapCode: 'CM_APS_CS/025' });
  });

  it('reports a MaxLength violation as Invalid naming the property', async () => {
    const err = await failure(createS4Client(conn).systems.create({ id: 'LONGLOGSYS', name: 'x', fields: { LogicalSystemID: 'ELEVENCHARS' } }));
    expect(err.kind).toBe('Invalid');
    expect(err.sapMessage).toContain('LogicalSystemID');
  });
});

describe('offboarding: where a communication user is used, and deleting what used it', () => {
  const samlIssuer = 'cfapps.eu10.hana.ondemand.com/99999999-2222-3333-4444-555555555555';
  const trustCertPem = createTestCa(samlIssuer).certPem;

  async function onboarded(s4: ReturnType<typeof createS4Client>, userName: string, systemId: string) {
    const user = await s4.users.create({ name: userName, description: 'offboarding test', password: USER_PASSWORD });
    const system = await s4.systems.create({ id: systemId, name: systemId, fields: oauth2IdentityProviderFields({ samlIssuer, signingCertificatePem: trustCertPem, userIdMappingMode: 'user_uuid' }) });
    const inbound = await s4.systems.createSamlBearerInboundUser(system.UUID, user.ID);
    const arrangement = await s4.arrangements.create({ scenarioId: 'SAP_COM_0501', systemId, name: `SAP_COM_0501_${systemId}`, inboundUserUUID: inbound.UUID });
    return { user, system, inbound, arrangement };
  }

  it('finds the bootstrap user as the basic inbound user of the SAP_COM_0A48 system', async () => {
    const s4 = createS4Client(conn);
    const bootstrap = await s4.users.findByName(BOOTSTRAP.name);
    const usages = await s4.systems.findUsingUser(bootstrap!.ID);
    expect(usages).toHaveLength(1);
    expect(usages[0]).toMatchObject({ authenticationMethod: 'basic' });
    const arrangements = await s4.arrangements.listBySystem(usages[0].systemId);
    expect(arrangements.map((a) => a.CommunicationScenarioID)).toEqual(['SAP_COM_0A48']);
  });

  it('finds every system whose inbound user references the user, and every arrangement on that system', async () => {
    const s4 = createS4Client(conn);
    const { user, system, inbound, arrangement } = await onboarded(s4, 'OFFB_USER_1', 'OFFB_SYS_1');
    expect(await s4.systems.findUsingUser(user.ID)).toEqual([
      { systemUUID: system.UUID, systemId: 'OFFB_SYS_1', systemName: 'OFFB_SYS_1', inboundUserUUID: inbound.UUID, authenticationMethod: 'oauth2', oauth2GrantType: 'saml2-bearer' },
    ]);
    const onSystem = await s4.arrangements.listBySystem('OFFB_SYS_1');
    expect(onSystem.map((a) => [a.UUID, a.CommunicationScenarioID, a.Name, a.InboundUser?.CommunicationSystemInboundUserUUID])).toEqual([
      [arrangement.UUID, 'SAP_COM_0501', 'SAP_COM_0501_OFFB_SYS_1', inbound.UUID],
    ]);
    expect(await s4.systems.findUsingUser('CC9999999999')).toEqual([]);
    expect(await s4.arrangements.listBySystem('NO_SUCH_SYSTEM')).toEqual([]);
  });

  it('deletes in the order S/4 allows: arrangement, then inbound user, then communication user; each delete says whether there was something', async () => {
    const s4 = createS4Client(conn);
    const { user, system, inbound, arrangement } = await onboarded(s4, 'OFFB_USER_2', 'OFFB_SYS_2');

    const userInUse = await failure(s4.users.delete(user.ID));
    expect(userInUse).toMatchObject({ kind: 'Invalid', status: 400, operation: 'CommunicationUsers delete' });
    expect(userInUse.sapMessage).toMatch(/used by a communication system/);
    const systemInUse = await failure(s4.systems.delete(system.UUID));
    expect(systemInUse.sapMessage).toMatch(/used by a communication arrangement/);
    const inboundInUse = await failure(s4.systems.deleteInboundUser(inbound.UUID));
    expect(inboundInUse.sapMessage).toMatch(/used by a communication arrangement/);

    expect(await s4.arrangements.delete(arrangement.UUID)).toBe(true);
    expect(await s4.arrangements.delete(arrangement.UUID)).toBe(false);
    expect(await s4.arrangements.getByUUID(arrangement.UUID)).toBeUndefined();

    expect(await s4.systems.deleteInboundUser(inbound.UUID)).toBe(true);
    expect(await s4.systems.deleteInboundUser(inbound.UUID)).toBe(false);
    expect(await s4.systems.findUsingUser(user.ID)).toEqual([]);
    expect((await s4.systems.getByUUID(system.UUID))?.InboundUsers).toEqual([]);

    expect(await s4.users.delete(user.ID)).toBe(true);
    expect(await s4.users.delete(user.ID)).toBe(false);
    expect(await s4.users.getById(user.ID)).toBeUndefined();
  });

  it('deleting a communication system also deletes its inbound users, which frees the communication user', async () => {
    const s4 = createS4Client(conn);
    const { user, system, arrangement } = await onboarded(s4, 'OFFB_USER_3', 'OFFB_SYS_3');
    expect(await s4.arrangements.delete(arrangement.UUID)).toBe(true);
    expect(await s4.systems.delete(system.UUID)).toBe(true);
    expect(await s4.systems.delete(system.UUID)).toBe(false);
    expect(await s4.systems.findById('OFFB_SYS_3')).toBeUndefined();
    expect(await s4.systems.findUsingUser(user.ID)).toEqual([]);
    expect(await s4.users.delete(user.ID)).toBe(true);
  });
});

describe('$metadata capabilities', () => {
  it('reports certificate upload by API when the tenant exposes the signing-certificate field', async () => {
    expect(await createS4Client(conn).capabilities()).toEqual({ certificateUploadByApi: true, missing: [] });
  });

  it('reports the field as missing when the tenant does not offer it (switch), without failing', async () => {
    await admin('PUT', `/tenants/${TENANT}/switches`, { rejectSigningCertificateField: true });
    try {
      const caps = await createS4Client(conn).capabilities();
      expect(caps.certificateUploadByApi).toBe(false);
      expect(caps.missing).toEqual([`aps_com_cs_a4c_odata/CommunicationSystems.${SIGNING_CERTIFICATE_FIELD}`]);
    } finally {
      await admin('PUT', `/tenants/${TENANT}/switches`, { rejectSigningCertificateField: false });
    }
  });
});
