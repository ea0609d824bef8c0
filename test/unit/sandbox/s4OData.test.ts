import { XMLParser } from 'fast-xml-parser';
import { BOOTSTRAP, CA, CS, CU, S4Harness, basic, signingIdentity, TENANT } from './s4Fixtures';

const CN = 'cfapps.eu10.hana.ondemand.com/11111111-2222-3333-4444-555555555555';
const PASSWORD = 'Abcdefghijklmnopqrstuvwxyz0123456789';

async function createUser(h: S4Harness, name = 'COM501SID100') {
  return h.write('POST', `${CU}CommunicationUsers`, { body: { Name: name, Description: 'Task Center inbound', Password: PASSWORD } });
}

async function createSystem(h: S4Harness, extra: Record<string, unknown> = {}) {
  return h.write('POST', `${CS}CommunicationSystems`, {
    body: {
      ID: 'BTP_SUBACCOUNT', Name: 'BTP subaccount', HostName: 'my100001.s4hana.ondemand.com', IsInboundOnly: true,
      IsOAuth2IdentityProviderActive: true, OAuth2IdentityProviderName: CN, OAuth2IdentityProviderUserLogonType: 'user_uuid', ...extra,
    },
  });
}

describe('S/4 sandbox logon and CSRF', () => {
  it('answers 401 "Logon failed" without Basic auth, with a wrong password, and for a user that is not a SAP_COM_0A48 inbound user', async () => {
    const h = new S4Harness();
    const none = await h.call('GET', `${CU}CommunicationUsers`, { auth: null });
    expect(none.status).toBe(401);
    expect(none.text).toContain('Logon failed');
    expect((await h.call('GET', `${CU}CommunicationUsers`, { auth: basic(BOOTSTRAP.name, 'wrong') })).status).toBe(401);
    expect((await createUser(h)).status).toBe(201);
    expect((await h.call('GET', `${CU}CommunicationUsers`, { auth: basic('COM501SID100', PASSWORD) })).status).toBe(401);
    expect((await h.call('GET', `${CU}CommunicationUsers`)).status).toBe(200);
  });

  it('rejects writes without a fetched token, with a wrong token, or with the token but no session cookie (403, x-csrf-token: Required)', async () => {
    const h = new S4Harness();
    const body = { Name: 'X', Description: 'd', Password: PASSWORD };
    const bare = await h.call('POST', `${CU}CommunicationUsers`, { body });
    expect(bare.status).toBe(403);
    expect(bare.headers?.['x-csrf-token']).toBe('Required');
    const fetched = await h.call('GET', CU, { headers: { 'X-CSRF-Token': 'Fetch' } });
    const token = String(fetched.headers?.['x-csrf-token']);
    const cookie = (fetched.headers?.['set-cookie'] as string[]).map((c) => c.split(';')[0]).join('; ');
    expect(token.length).toBeGreaterThan(10);
    expect(cookie).toContain(`SAP_SESSIONID_`);
    expect((await h.call('POST', `${CU}CommunicationUsers`, { body, headers: { 'x-csrf-token': 'nope', cookie } })).status).toBe(403);
    expect((await h.call('POST', `${CU}CommunicationUsers`, { body, headers: { 'x-csrf-token': token } })).status).toBe(403);
    const ok = await h.call('POST', `${CU}CommunicationUsers`, { body, headers: { 'x-csrf-token': token, cookie } });
    expect(ok.status).toBe(201);
  });
});

describe('CommunicationUsers', () => {
  it('creates a user with a CC id, finds it by $filter on Name, and never returns the password', async () => {
    const h = new S4Harness();
    const created = await createUser(h);
    expect(created.status).toBe(201);
    expect(created.json.ID).toMatch(/^CC\d{10}$/);
    expect(created.headers?.etag).toBe(created.json['@odata.etag']);
    expect(created.text).not.toContain(PASSWORD);
    expect(created.json).not.toHaveProperty('Password');
    const found = await h.call('GET', `${CU}CommunicationUsers`, { query: `$filter=Name eq 'COM501SID100'` });
    expect(found.json['@odata.context']).toContain('$metadata#CommunicationUsers');
    expect(found.json.value.map((u: any) => u.ID)).toEqual([created.json.ID]);
    expect(found.text).not.toContain(PASSWORD);
    const none = await h.call('GET', `${CU}CommunicationUsers`, { query: `$filter=Name eq 'OTHER' and Type eq 'customer_communication'` });
    expect(none.json.value).toEqual([]);
  });

  it('names every problem: missing Description, duplicate name, weak password, MaxLength', async () => {
    const h = new S4Harness();
    await createUser(h);
    const noDescription = await h.write('POST', `${CU}CommunicationUsers`, { body: { Name: 'U2', Password: PASSWORD } });
    expect(noDescription.status).toBe(400);
    expect(noDescription.json.error.message).toMatch(/^User CC\d+ must have a description$/);
    const duplicate = await h.write('POST', `${CU}CommunicationUsers`, { body: { Name: 'COM501SID100', Description: 'd', Password: PASSWORD } });
    expect(duplicate.status).toBe(400);
    expect(duplicate.json.error.message).toContain('already used');
    const weak = await h.write('POST', `${CU}CommunicationUsers`, { body: { Name: 'U3', Description: 'd', Password: 'short' } });
    expect(weak.status).toBe(400);
    expect(weak.json.error.target).toBe('Password');
    expect(weak.text).not.toContain('short');
    const long = await h.write('POST', `${CU}CommunicationUsers`, { body: { Name: 'U'.repeat(41), Description: 'd'.repeat(81) } });
    expect(long.status).toBe(400);
    expect(long.json.error.details.map((d: any) => d.target).sort()).toEqual(['Description', 'Name']);
    expect(long.json.error.details[0].message).toContain('MaxLength=');
  });

  it('PATCH changes the password and description, honours If-Match (412 on a stale ETag) and returns no password', async () => {
    const h = new S4Harness();
    const created = await createUser(h);
    const url = `${CU}CommunicationUsers('${created.json.ID}')`;
    const stale = await h.write('PATCH', url, { body: { Description: 'new' }, headers: { 'if-match': 'W/"stale"' } });
    expect(stale.status).toBe(412);
    const ok = await h.write('PATCH', url, { body: { Description: 'new', Password: 'Zyxwvutsrqponmlkjihgfedcba987654' }, headers: { 'if-match': created.json['@odata.etag'] } });
    expect(ok.status).toBe(204);
    expect(ok.headers?.etag).not.toBe(created.json['@odata.etag']);
    const read = await h.call('GET', url);
    expect(read.json.Description).toBe('new');
    expect(read.text).not.toContain('Zyxwvutsrqponmlkjihgfedcba987654');
    const stored = h.tenant.users[created.json.ID];
    expect(stored.Password).toBe('Zyxwvutsrqponmlkjihgfedcba987654');
  });

  it('answers malformed JSON, unknown properties, read-only properties and bad $filter with 400 OData errors', async () => {
    const h = new S4Harness();
    const malformed = await h.write('POST', `${CU}CommunicationUsers`, { body: '{"Name":' });
    expect(malformed.status).toBe(400);
    expect(malformed.json.error).toEqual(expect.objectContaining({ code: expect.any(String), message: expect.any(String), details: [] }));
    const unknown = await h.write('POST', `${CU}CommunicationUsers`, { body: { Name: 'A', Description: 'd', Colour: 'red' } });
    expect(unknown.json.error.target).toBe('Colour');
    const readOnly = await h.write('POST', `${CU}CommunicationUsers`, { body: { Name: 'A', Description: 'd', ID: 'CC1' } });
    expect(readOnly.json.error.target).toBe('ID');
    for (const filter of [`Name eq 'x`, `Nope eq 'x'`, `Name ne 'x'`, `Name eq`, `IsLocked eq 'x'`, `(Name eq 'x'`]) {
      const bad = await h.call('GET', `${CU}CommunicationUsers`, { query: `$filter=${encodeURIComponent(filter)}` });
      expect([filter, bad.status]).toEqual([filter, 400]);
      expect(bad.json.error.message.length).toBeGreaterThan(0);
    }
    expect((await h.call('GET', `${CU}CommunicationUsers`, { query: '$select=Password' })).status).toBe(400);
    expect((await h.call('GET', `${CU}CommunicationUsers`, { query: '$top=-1' })).status).toBe(400);
    expect((await h.call('GET', `${CU}CommunicationUsers`, { query: '$orderby=Name' })).status).toBe(400);
  });

  it('$select and $top shape the collection', async () => {
    const h = new S4Harness();
    await createUser(h, 'A1');
    await createUser(h, 'A2');
    const page = await h.call('GET', `${CU}CommunicationUsers`, { query: '$select=Name&$top=2' });
    expect(page.json.value).toHaveLength(2);
    expect(Object.keys(page.json.value[0]).sort()).toEqual(['@odata.etag', 'ID', 'Name']);
  });
});

describe('CommunicationSystems and InboundUsers', () => {
  it('creates a system with the signing certificate, derives subject and issuer, and reads it back by $filter with $expand=InboundUsers', async () => {
    const h = new S4Harness();
    const id = signingIdentity(CN);
    const created = await createSystem(h, { OAuth2IdentityProviderCertificatePublicKeyBase64: id.certBase64Der });
    expect(created.status).toBe(201);
    expect(created.json.UUID).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.json.OAuth2IdentityProviderCertificateSubject).toContain(`CN=${CN}`);
    const user = await createUser(h);
    const inbound = await h.write('POST', `${CS}CommunicationSystems(${created.json.UUID})/InboundUsers`, {
      body: { CommunicationUserID: user.json.ID, AuthenticationMethod: 'oauth2', OAuth2GrantType: 'saml2-bearer' },
    });
    expect(inbound.status).toBe(201);
    expect(inbound.json.OAuth2ClientID).toBe('COM501SID100');
    const found = await h.call('GET', `${CS}CommunicationSystems`, { query: `$filter=ID eq 'BTP_SUBACCOUNT'&$expand=InboundUsers` });
    expect(found.json.value).toHaveLength(1);
    expect(found.json.value[0].OAuth2IdentityProviderCertificatePublicKeyBase64).toBe(id.certBase64Der);
    expect(found.json.value[0].InboundUsers.map((u: any) => u.UUID)).toEqual([inbound.json.UUID]);
    const byNav = await h.call('GET', `${CS}CommunicationSystems(${created.json.UUID})/InboundUsers`);
    expect(byNav.json.value[0].CommunicationUserID).toBe(user.json.ID);
    const standalone = await h.call('GET', `${CS}InboundUsers`, { query: `$filter=OAuth2ClientID eq 'COM501SID100'` });
    expect(standalone.json.value).toHaveLength(1);
  });

  it('enforces CM_APS_CS/025, CM_APS_CS/026 (deep insert and client id alone), duplicate ID, tenant-unique client id, LogicalSystemID MaxLength=10', async () => {
    const h = new S4Harness();
    const noHost = await h.write('POST', `${CS}CommunicationSystems`, { body: { ID: 'S1', Name: 'S1', IsInboundOnly: false } });
    expect(noHost.json.error.code).toBe('CM_APS_CS/025');
    const deep = await createSystem(h, { InboundUsers: [{ CommunicationUserID: 'CC1', AuthenticationMethod: 'basic' }] });
    expect(deep.json.error.code).toBe('CM_APS_CS/026');
    const lsid = await createSystem(h, { LogicalSystemID: 'ABCDEFGHIJK' });
    expect(lsid.json.error.message).toContain('MaxLength=10');
    const system = await createSystem(h);
    expect(system.status).toBe(201);
    expect((await createSystem(h)).json.error.message).toContain('already used');
    const clientOnly = await h.write('POST', `${CS}InboundUsers`, {
      body: { CommunicationSystemUUID: system.json.UUID, AuthenticationMethod: 'oauth2', OAuth2ClientID: 'COM501SID100' },
    });
    expect(clientOnly.json.error.code).toBe('CM_APS_CS/026');
    const user = await createUser(h);
    const first = await h.write('POST', `${CS}InboundUsers`, { body: { CommunicationSystemUUID: system.json.UUID, CommunicationUserID: user.json.ID, AuthenticationMethod: 'oauth2' } });
    expect(first.status).toBe(201);
    const other = await h.write('POST', `${CS}CommunicationSystems`, { body: { ID: 'S2', Name: 'S2', IsInboundOnly: true } });
    const second = await h.write('POST', `${CS}InboundUsers`, { body: { CommunicationSystemUUID: other.json.UUID, CommunicationUserID: user.json.ID, AuthenticationMethod: 'oauth2' } });
    expect(second.status).toBe(400);
    expect(second.json.error.message).toBe('OAuth2 Client ID COM501SID100 is already assigned to Comm. System BTP_SUBACCOUNT');
  });

  it('derives the CC id as OAuth2ClientID under switch oauth2ClientIdFrom=id, and PATCH can set the name instead', async () => {
    const h = new S4Harness({ switches: { oauth2ClientIdFrom: 'id' } });
    const system = await createSystem(h);
    const user = await createUser(h);
    const inbound = await h.write('POST', `${CS}InboundUsers`, { body: { CommunicationSystemUUID: system.json.UUID, CommunicationUserID: user.json.ID, AuthenticationMethod: 'oauth2' } });
    expect(inbound.json.OAuth2ClientID).toBe(user.json.ID);
    const patched = await h.write('PATCH', `${CS}InboundUsers(${inbound.json.UUID})`, { body: { OAuth2ClientID: 'COM501SID100', CommunicationUserID: '' }, headers: { prefer: 'return=representation' } });
    expect(patched.status).toBe(200);
    expect(patched.json).toEqual(expect.objectContaining({ OAuth2ClientID: 'COM501SID100', CommunicationUserID: null }));
  });

  it('rejects a certificate that is not base64 DER, and PATCH with null clears it', async () => {
    const h = new S4Harness();
    const bad = await createSystem(h, { OAuth2IdentityProviderCertificatePublicKeyBase64: 'bm90IGEgY2VydA==' });
    expect(bad.status).toBe(400);
    const id = signingIdentity(CN);
    const system = await createSystem(h, { OAuth2IdentityProviderCertificatePublicKeyBase64: id.certBase64Der });
    await h.write('PATCH', `${CS}CommunicationSystems(${system.json.UUID})`, { body: { OAuth2IdentityProviderCertificatePublicKeyBase64: null } });
    const read = await h.call('GET', `${CS}CommunicationSystems(${system.json.UUID})`);
    expect(read.json.OAuth2IdentityProviderCertificatePublicKeyBase64).toBeNull();
    expect(read.json.OAuth2IdentityProviderCertificateSubject).toBeNull();
  });
});

describe('rejectSigningCertificateField switch and $metadata', () => {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' });
  function properties(xml: string): Record<string, any> {
    const schema = parser.parse(xml)['edmx:Edmx']['edmx:DataServices'].Schema;
    const types = [schema.EntityType].flat();
    const system = types.find((t: any) => t.Name === 'CommunicationSystemType');
    return Object.fromEntries([system.Property].flat().map((p: any) => [p.Name, p]));
  }

  it('lists every property the sandbox supports, and drops the signing-certificate field when the switch is on', async () => {
    const h = new S4Harness();
    const before = await h.call('GET', `${CS}$metadata`);
    expect(before.headers?.['content-type']).toContain('xml');
    const props = properties(before.text);
    for (const name of ['ID', 'IsOAuth2IdentityProviderActive', 'OAuth2IdentityProviderName', 'OAuth2IdentityProviderUserLogonType', 'OAuth2IdentityProviderCertificatePublicKeyBase64']) {
      expect(props).toHaveProperty(name);
    }
    expect(props.LogicalSystemID.MaxLength).toBe('10');
    expect(props.OAuth2IdentityProviderCertificateSubject.Annotation.Term).toBe('Org.OData.Core.V1.Computed');

    const switched = h.service.applySwitches!(h.slice, TENANT, { rejectSigningCertificateField: true });
    expect(switched?.status).toBe(200);
    const after = properties((await h.call('GET', `${CS}$metadata`)).text);
    expect(after).not.toHaveProperty('OAuth2IdentityProviderCertificatePublicKeyBase64');
    expect(after).toHaveProperty('OAuth2IdentityProviderCertificateSubject');

    const rejected = await createSystem(h, { OAuth2IdentityProviderCertificatePublicKeyBase64: signingIdentity(CN).certBase64Der });
    expect(rejected.status).toBe(400);
    expect(rejected.json.error.target).toBe('OAuth2IdentityProviderCertificatePublicKeyBase64');
    expect(Object.keys(h.tenant.systems)).toHaveLength(1); // only the bootstrap system
  });

  it('the manual-upload route stores the certificate that the API refused, and the system reads back its subject', async () => {
    const h = new S4Harness({ switches: { rejectSigningCertificateField: true } });
    const system = await createSystem(h);
    expect(system.status).toBe(201);
    const id = signingIdentity(CN);
    const upload = await h.call('POST', '/__sandbox/manual/communication-systems/BTP_SUBACCOUNT/signing-certificate', { auth: null, body: { certificate: id.certPem } });
    expect(upload.status).toBe(200);
    expect(upload.json.subject).toContain(CN);
    const read = await h.call('GET', `${CS}CommunicationSystems(${system.json.UUID})`);
    expect(read.json.OAuth2IdentityProviderCertificateSubject).toContain(`CN=${CN}`);
    expect(read.json).not.toHaveProperty('OAuth2IdentityProviderCertificatePublicKeyBase64');
    expect(h.tenant.systems[system.json.UUID].OAuth2IdentityProviderCertificatePublicKeyBase64).toBe(id.certBase64Der);
    const bad = await h.call('POST', '/__sandbox/manual/communication-systems/BTP_SUBACCOUNT/signing-certificate', { auth: null, body: { certificate: 'junk', extra: 1 } });
    expect(bad.status).toBe(400);
    expect(bad.json.fields.map((f: any) => f.field)).toEqual(['(body)']);
    expect((await h.call('POST', '/__sandbox/manual/communication-systems/NOPE/signing-certificate', { auth: null, body: { certificate: id.certPem } })).status).toBe(404);
  });

  it('applySwitches answers undefined for another tenant and 400 for unknown switches', () => {
    const h = new S4Harness();
    expect(h.service.applySwitches!(h.slice, 'my999999', { rejectSigningCertificateField: true })).toBeUndefined();
    const bad = h.service.applySwitches!(h.slice, TENANT, { rejectEverything: true });
    expect(bad?.status).toBe(400);
  });
});

describe('CommunicationArrangements', () => {
  async function landscape(h: S4Harness) {
    const system = await createSystem(h);
    const user = await createUser(h);
    const inbound = await h.write('POST', `${CS}InboundUsers`, { body: { CommunicationSystemUUID: system.json.UUID, CommunicationUserID: user.json.ID, AuthenticationMethod: 'oauth2', OAuth2GrantType: 'saml2-bearer' } });
    return { system: system.json, user: user.json, inbound: inbound.json };
  }

  it('creates an arrangement with its inbound user, finds it by Name with $expand=InboundUser, and re-points the inbound user', async () => {
    const h = new S4Harness();
    const { inbound, system } = await landscape(h);
    const created = await h.write('POST', `${CA}CommunicationArrangements`, {
      body: { CommunicationScenarioID: 'SAP_COM_0501', CommunicationSystemID: 'BTP_SUBACCOUNT', Name: 'SAP_COM_0501_BTP', InboundUser: { CommunicationSystemInboundUserUUID: inbound.UUID } },
    });
    expect(created.status).toBe(201);
    const found = await h.call('GET', `${CA}CommunicationArrangements`, { query: `$filter=Name eq 'SAP_COM_0501_BTP'&$expand=InboundUser` });
    expect(found.json.value).toHaveLength(1);
    expect(found.json.value[0].InboundUser.CommunicationSystemInboundUserUUID).toBe(inbound.UUID);
    const second = await h.write('POST', `${CS}InboundUsers`, { body: { CommunicationSystemUUID: system.UUID, CommunicationUserID: inbound.CommunicationUserID, AuthenticationMethod: 'basic' } });
    const repoint = await h.write('PATCH', `${CA}CommunicationArrangements(${created.json.UUID})/InboundUser`, { body: { CommunicationSystemInboundUserUUID: second.json.UUID } });
    expect(repoint.status).toBe(204);
    const part = await h.call('GET', `${CA}CommunicationArrangements(${created.json.UUID})/InboundUser`);
    expect(part.json.CommunicationSystemInboundUserUUID).toBe(second.json.UUID);
  });

  it('rejects duplicate names, a second arrangement for the same scenario and system, unknown systems, foreign inbound users, bad scenario IDs', async () => {
    const h = new S4Harness();
    const { inbound } = await landscape(h);
    const body = { CommunicationScenarioID: 'SAP_COM_0501', CommunicationSystemID: 'BTP_SUBACCOUNT', Name: 'A1' };
    expect((await h.write('POST', `${CA}CommunicationArrangements`, { body })).status).toBe(201);
    const dup = await h.write('POST', `${CA}CommunicationArrangements`, { body });
    expect(dup.json.error.details.map((d: any) => d.message).join(' ')).toMatch(/already used[\s\S]*already exists|already exists[\s\S]*already used/);
    expect((await h.write('POST', `${CA}CommunicationArrangements`, { body: { ...body, Name: 'A2', CommunicationSystemID: 'NOPE' } })).json.error.target).toBe('CommunicationSystemID');
    expect((await h.write('POST', `${CA}CommunicationArrangements`, { body: { ...body, Name: 'A3', CommunicationScenarioID: 'COM_0501' } })).json.error.target).toBe('CommunicationScenarioID');
    const other = await h.write('POST', `${CS}CommunicationSystems`, { body: { ID: 'OTHER', Name: 'Other', IsInboundOnly: true } });
    const foreign = await h.write('POST', `${CA}CommunicationArrangements`, {
      body: { CommunicationScenarioID: 'SAP_COM_0501', CommunicationSystemID: 'OTHER', Name: 'A4', InboundUser: { CommunicationSystemInboundUserUUID: inbound.UUID } },
    });
    expect(other.status).toBe(201);
    expect(foreign.json.error.target).toBe('InboundUser/CommunicationSystemInboundUserUUID');
    const longName = await h.write('POST', `${CA}CommunicationArrangements`, { body: { ...body, CommunicationSystemID: 'OTHER', Name: 'N'.repeat(81) } });
    expect(longName.json.error.message).toContain('MaxLength=80');
  });

  it('a system used by an arrangement cannot be deleted; GET of an unknown key is 404', async () => {
    const h = new S4Harness();
    const { system } = await landscape(h);
    await h.write('POST', `${CA}CommunicationArrangements`, { body: { CommunicationScenarioID: 'SAP_COM_0501', CommunicationSystemID: 'BTP_SUBACCOUNT' } });
    expect((await h.write('DELETE', `${CS}CommunicationSystems(${system.UUID})`)).status).toBe(400);
    expect((await h.call('GET', `${CA}CommunicationArrangements(00000000-0000-0000-0000-000000000000)`)).status).toBe(404);
  });
});

describe('describe()', () => {
  it('shows every object per tenant with passwords masked and no session tokens', async () => {
    const h = new S4Harness();
    await createUser(h);
    const shown = JSON.stringify(h.service.describe(h.slice));
    expect(shown).not.toContain(PASSWORD);
    expect(shown).not.toContain(BOOTSTRAP.password);
    expect(shown).not.toContain(Object.values(h.tenant.sessions)[0].csrfToken);
    const view = h.service.describe(h.slice) as any;
    expect(view.tenants[TENANT].communicationUsers.map((u: any) => u.Name)).toEqual([BOOTSTRAP.name, 'COM501SID100']);
    expect(view.tenants[TENANT].communicationArrangements[0].CommunicationScenarioID).toBe('SAP_COM_0A48');
  });

  it('seed() rejects a malformed s4Tenants section with a zod error naming the field', () => {
    const h = new S4Harness();
    expect(() => h.service.seed(h.slice, { s4Tenants: [{ tenant: 'My Tenant', bootstrapUser: { name: 'x', password: 'y' } }] })).toThrow(/tenant/);
  });
});
