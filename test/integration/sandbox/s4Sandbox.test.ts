/** The S/4 sandbox over real HTTPS through startSandbox: SNI host routing, Basic + CSRF session, switch admin route, token grant, state view. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSandbox, type RunningSandbox } from '../../../sandbox';
import { s4Service } from '../../../sandbox/s4/s4Service';
import { adminRequest, sapRequest, type SandboxAnswer } from '../../support/sandboxClient';
import { assertionXml, base64url, basic, signAssertionXml, signingIdentity, type SigningIdentity } from '../../unit/sandbox/s4Fixtures';

const TENANT = 'my100002';
const HOST = `https://${TENANT}-api.s4hana.cloud.sap`;
const BOOTSTRAP = { name: 'SAP_COM_0A48_IT', password: 'Integration-Bootstrap-0123456789' };
const CU = `${HOST}/sap/opu/odata4/sap/aps_com_cu_a4c_odata/srvd_a2x/sap/aps_com_cu_a4c_odata/0001/`;
const CS = `${HOST}/sap/opu/odata4/sap/aps_com_cs_a4c_odata/srvd_a2x/sap/aps_com_cs_a4c_odata/0001/`;
const CA = `${HOST}/sap/opu/odata4/sap/aps_com_ca_a4c_odata/srvd_a2x/sap/aps_com_ca_a4c_odata/0001/`;
const CN = 'cfapps.eu10.hana.ondemand.com/99999999-8888-7777-6666-555555555555';
const CLIENT = 'COM501SID200';
const SECRET = 'Integration-Client-Secret-abcdefghij';

let sandbox: RunningSandbox;
let dataDir: string;
let identity: SigningIdentity;
let session: { token: string; cookie: string };

const auth = { authorization: basic(BOOTSTRAP.name, BOOTSTRAP.password) };

async function write(method: string, url: string, body?: object): Promise<SandboxAnswer> {
  return sapRequest(sandbox, url, { method, body, headers: { ...auth, 'x-csrf-token': session.token, cookie: session.cookie } });
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 's4-sandbox-'));
  identity = signingIdentity(CN);
  sandbox = await startSandbox({ port: 0, dataDir, quiet: true, services: [s4Service], seed: { s4Tenants: [{ tenant: TENANT, bootstrapUser: BOOTSTRAP }] } });
});

afterAll(async () => {
  await sandbox?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('S/4 sandbox over HTTPS', () => {
  it('answers 401 without credentials and hands out a CSRF token with a session cookie', async () => {
    expect((await sapRequest(sandbox, `${CU}CommunicationUsers`)).status).toBe(401);
    const bare = await sapRequest(sandbox, `${CU}CommunicationUsers`, { method: 'POST', headers: auth, body: { Name: 'X', Description: 'x' } });
    expect(bare.status).toBe(403);
    expect(bare.headers['x-csrf-token']).toBe('Required');
    const fetched = await sapRequest(sandbox, CU, { headers: { ...auth, 'x-csrf-token': 'Fetch' } });
    expect(fetched.status).toBe(200);
    expect(fetched.peerAltNames).toBe('DNS:*.s4hana.cloud.sap');
    session = { token: String(fetched.headers['x-csrf-token']), cookie: (fetched.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ') };
    expect(session.cookie).toContain('SAP_SESSIONID_');
  });

  it('builds user, system, inbound user and arrangement, then grants a SAML bearer token for the cloud.sap audience', async () => {
    const user = await write('POST', `${CU}CommunicationUsers`, { Name: CLIENT, Description: 'integration', Password: SECRET });
    expect(user.status).toBe(201);
    const system = await write('POST', `${CS}CommunicationSystems`, {
      ID: 'BTP_IT', Name: 'BTP IT', IsInboundOnly: true, IsOAuth2IdentityProviderActive: true, OAuth2IdentityProviderName: CN,
      OAuth2IdentityProviderUserLogonType: 'user_uuid', OAuth2IdentityProviderCertificatePublicKeyBase64: identity.certBase64Der,
    });
    expect(system.status).toBe(201);
    const inbound = await write('POST', `${CS}CommunicationSystems(${system.json().UUID})/InboundUsers`, {
      CommunicationUserID: user.json().ID, AuthenticationMethod: 'oauth2', OAuth2GrantType: 'saml2-bearer',
    });
    expect(inbound.status).toBe(201);
    const arrangement = await write('POST', `${CA}CommunicationArrangements`, {
      CommunicationScenarioID: 'SAP_COM_0501', CommunicationSystemID: 'BTP_IT', InboundUser: { CommunicationSystemInboundUserUUID: inbound.json().UUID },
    });
    expect(arrangement.status).toBe(201);

    const tokenUrl = `${HOST}/sap/bc/sec/oauth2/token`;
    const assertion = signAssertionXml(assertionXml({ issuer: CN, audience: `https://${TENANT}.s4hana.cloud.sap`, recipient: tokenUrl }), identity);
    const token = await sapRequest(sandbox, tokenUrl, {
      method: 'POST',
      headers: { authorization: basic(CLIENT, SECRET) },
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:saml2-bearer', assertion: base64url(assertion), client_id: CLIENT }),
    });
    expect(token.status).toBe(200);
    expect(token.json()).toEqual(expect.objectContaining({ token_type: 'Bearer', scope: 'SAP_COM_0501' }));

    const state = (await adminRequest(sandbox, '/state')).json();
    const tenant = state.services.s4.tenants[TENANT];
    expect(tenant.tokenLog.at(-1)).toEqual(expect.objectContaining({ outcome: 'granted', clientId: CLIENT }));
    expect(JSON.stringify(state)).not.toContain(SECRET);
    expect(JSON.stringify(state)).not.toContain(BOOTSTRAP.password);
  });

  it('the tenant switch set through the admin API removes the certificate field from $metadata and rejects writes to it', async () => {
    const switched = await adminRequest(sandbox, `/tenants/${TENANT}/switches`, { method: 'PUT', body: { rejectSigningCertificateField: true } });
    expect(switched.status).toBe(200);
    const metadata = await sapRequest(sandbox, `${CS}$metadata`, { headers: auth });
    expect(metadata.text).toContain('OAuth2IdentityProviderName');
    expect(metadata.text).not.toContain('OAuth2IdentityProviderCertificatePublicKeyBase64');
    const systems = await sapRequest(sandbox, `${CS}CommunicationSystems?$filter=${encodeURIComponent("ID eq 'BTP_IT'")}`, { headers: auth });
    const uuid = systems.json().value[0].UUID;
    const rejected = await write('PATCH', `${CS}CommunicationSystems(${uuid})`, { OAuth2IdentityProviderCertificatePublicKeyBase64: identity.certBase64Der });
    expect(rejected.status).toBe(400);
    expect(rejected.json().error.target).toBe('OAuth2IdentityProviderCertificatePublicKeyBase64');
    const unknownTenant = await adminRequest(sandbox, '/tenants/my404404/switches', { method: 'PUT', body: { rejectSigningCertificateField: true } });
    expect(unknownTenant.status).toBe(404);
  });

  it('plays the Fiori certificate upload at its documented route, and lists that route for an unknown sandbox path on the tenant host', async () => {
    const upload = await sapRequest(sandbox, `${HOST}/__sandbox/manual/communication-systems/BTP_IT/signing-certificate`, {
      method: 'POST',
      body: { certificate: identity.certPem, samlIssuer: CN, activate: true },
    });
    expect(upload.status).toBe(200);
    expect(upload.json()).toEqual({ communicationSystem: 'BTP_IT', subject: expect.stringContaining(`CN=${CN}`), issuer: expect.stringContaining(`CN=${CN}`), samlIssuer: CN, active: true });
    const unknown = await sapRequest(sandbox, `${HOST}/__sandbox/manual/systems/BTP_IT`, { method: 'POST', body: {} });
    expect(unknown.status).toBe(404);
    expect(unknown.json().routes).toEqual([
      { method: 'POST', path: '/__sandbox/manual/communication-systems/{system ID}/signing-certificate', what: expect.stringContaining('"certificate"') },
    ]);
  });
});
