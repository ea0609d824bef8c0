import { X509Certificate } from 'node:crypto';
import { destroySharedSapAgents } from '../../../shared/sap/http';
import { createS4Client } from '../../../shared/sap/s4';
import { CommunicationSystem, createCommunicationSystemsClient, InboundUser } from '../../../shared/sap/s4/communicationSystems';
import { createCommunicationUsersClient } from '../../../shared/sap/s4/communicationUsers';
import { capabilitiesFromModels, edmModelOf, missingWrites, parseEdmx } from '../../../shared/sap/s4/metadata';
import { odataEq, odataGuid, odataString } from '../../../shared/sap/s4/odataLiteral';
import { odataCollection } from '../../../shared/sap/s4/odataService';
import { holdsSameSigningCertificate, holdsSigningCertificate, oauth2Details, signingCertificateValue, SIGNING_CERTIFICATE_FIELD } from '../../../shared/sap/s4/unconfirmedFields';
import { createTestCa, reply, startTlsTestServer, type TlsTestServer } from './support/tlsTestServer';

const HOST = 'my100001-api.s4hana.ondemand.com';
const PASSWORD = 'Bootstrap-Password-0A48-xyz';

describe('OData literals', () => {
  it('doubles single quotes in strings and joins conditions', () => {
    expect(odataString("O'Brien")).toBe("'O''Brien'");
    expect(odataEq({ Name: "a'b", IsOwnSystem: true })).toBe("Name eq 'a''b' and IsOwnSystem eq true");
  });
  it('accepts only GUIDs as Edm.Guid keys', () => {
    expect(odataGuid('0A1B2C3D-0000-1111-2222-333344445555')).toBe('0a1b2c3d-0000-1111-2222-333344445555');
    expect(() => odataGuid("x')/../CommunicationUsers")).toThrow(/GUID/);
  });
});

describe('unconfirmed field mappings', () => {
  const pem = createTestCa('cfapps.eu10.hana.ondemand.com/11111111-2222-3333-4444-555555555555').certPem;
  it('writes the signing certificate as base64 DER without PEM armour', () => {
    const v = signingCertificateValue(pem);
    expect(v).not.toContain('BEGIN');
    expect(Buffer.from(v, 'base64').toString('base64')).toBe(v);
    expect(holdsSameSigningCertificate(v, pem)).toBe(true);
    expect(holdsSameSigningCertificate(pem, pem)).toBe(true);
    expect(holdsSameSigningCertificate(signingCertificateValue(createTestCa('other').certPem), pem)).toBe(false);
  });
  it('checks a system that hides the certificate field by the subject and issuer S/4 derives from it', () => {
    const other = createTestCa('cfapps.eu10.hana.ondemand.com/99999999-2222-3333-4444-555555555555').certPem;
    const cert = new X509Certificate(pem);
    const asSapShowsIt = (dn: string) => dn.split('\n').reverse().join(', ');
    const hidden = { OAuth2IdentityProviderCertificateSubject: asSapShowsIt(cert.subject), OAuth2IdentityProviderCertificateIssuer: asSapShowsIt(cert.issuer) };
    expect(holdsSigningCertificate(hidden, pem)).toBe(true);
    expect(holdsSigningCertificate(hidden, other)).toBe(false);
    expect(holdsSigningCertificate({ OAuth2IdentityProviderCertificateSubject: null }, pem)).toBe(false);
    // Where the field is returned, it decides, even if the derived names match.
    expect(holdsSigningCertificate({ ...hidden, [SIGNING_CERTIFICATE_FIELD]: null }, pem)).toBe(false);
    expect(holdsSigningCertificate({ [SIGNING_CERTIFICATE_FIELD]: signingCertificateValue(pem) }, pem)).toBe(true);
  });
  it('derives token service URL on the -api host and the audience on the UI host', () => {
    expect(oauth2Details('my100001-api.s4hana.ondemand.com', { OAuth2ClientID: 'COM501' })).toEqual({
      tokenServiceURL: 'https://my100001-api.s4hana.ondemand.com/sap/bc/sec/oauth2/token',
      audience: 'https://my100001.s4hana.ondemand.com',
      clientId: 'COM501',
    });
    expect(oauth2Details('my438741-api.s4hana.cloud.sap', {}).audience).toBe('https://my438741.s4hana.cloud.sap');
  });
});

function edmx(systemProps: string, externalAnnotations = ''): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>
<Schema Namespace="com.sap.gateway.srvd_a2x.aps_com_cs_a4c_odata.v0001" Alias="SAP__self" xmlns="http://docs.oasis-open.org/odata/ns/edm">
<EntityType Name="CommunicationSystemType"><Key><PropertyRef Name="UUID"/></Key>
<Property Name="UUID" Type="Edm.Guid" Nullable="false"><Annotation Term="Org.OData.Core.V1.Computed" Bool="true"/></Property>
${systemProps}
<NavigationProperty Name="InboundUsers" Type="Collection(com.sap.gateway.srvd_a2x.aps_com_cs_a4c_odata.v0001.InboundUserType)"/>
</EntityType>
<EntityType Name="InboundUserType"><Key><PropertyRef Name="UUID"/></Key>
<Property Name="UUID" Type="Edm.Guid"/><Property Name="CommunicationSystemUUID" Type="Edm.Guid"/><Property Name="CommunicationUserID" Type="Edm.String" MaxLength="12"/>
<Property Name="AuthenticationMethod" Type="Edm.String"/><Property Name="OAuth2GrantType" Type="Edm.String"/>
</EntityType>
<EntityContainer Name="Container">
<EntitySet Name="CommunicationSystems" EntityType="com.sap.gateway.srvd_a2x.aps_com_cs_a4c_odata.v0001.CommunicationSystemType"/>
<EntitySet Name="InboundUsers" EntityType="SAP__self.InboundUserType"/>
</EntityContainer>
${externalAnnotations}
</Schema></edmx:DataServices></edmx:Edmx>`;
}

const ALL_SYSTEM_PROPS = ['ID', 'Name', 'Type', 'HostName', 'IsInboundOnly', 'IsOAuth2IdentityProviderActive', 'OAuth2IdentityProviderName', 'OAuth2IdentityProviderUserLogonType']
  .map((p) => `<Property Name="${p}" Type="Edm.String"/>`)
  .join('');

describe('$metadata capabilities', () => {
  const cu = parseEdmx(`<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices><Schema Namespace="n" xmlns="http://docs.oasis-open.org/odata/ns/edm">
    <EntityType Name="CommunicationUserType"><Key><PropertyRef Name="ID"/></Key><Property Name="ID" Type="Edm.String"/><Property Name="Name" Type="Edm.String"/><Property Name="Description" Type="Edm.String"/><Property Name="Type" Type="Edm.String"/><Property Name="Password" Type="Edm.String"/></EntityType>
    <EntityContainer Name="C"><EntitySet Name="CommunicationUsers" EntityType="n.CommunicationUserType"/></EntityContainer></Schema></edmx:DataServices></edmx:Edmx>`);
  const ca = parseEdmx(`<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices><Schema Namespace="n" xmlns="http://docs.oasis-open.org/odata/ns/edm">
    <EntityType Name="A"><Key><PropertyRef Name="UUID"/></Key><Property Name="UUID" Type="Edm.Guid"/><Property Name="CommunicationScenarioID" Type="Edm.String"/><Property Name="CommunicationSystemID" Type="Edm.String"/><Property Name="Name" Type="Edm.String"/><NavigationProperty Name="InboundUser" Type="n.AIU"/></EntityType>
    <EntityType Name="AIU"><Key><PropertyRef Name="X"/></Key><Property Name="CommunicationSystemInboundUserUUID" Type="Edm.Guid"/></EntityType>
    <EntityContainer Name="C"><EntitySet Name="CommunicationArrangements" EntityType="n.A"/></EntityContainer></Schema></edmx:DataServices></edmx:Edmx>`);

  it('reports certificate upload by API when the signing-certificate field exists and is writable', () => {
    const cs = parseEdmx(edmx(`${ALL_SYSTEM_PROPS}<Property Name="${SIGNING_CERTIFICATE_FIELD}" Type="Edm.String"/>`));
    expect(capabilitiesFromModels({ aps_com_cu_a4c_odata: cu, aps_com_cs_a4c_odata: cs, aps_com_ca_a4c_odata: ca })).toEqual({ certificateUploadByApi: true, missing: [] });
  });

  it('reports a missing signing-certificate field as a capability, not a crash', () => {
    const cs = parseEdmx(edmx(ALL_SYSTEM_PROPS));
    const caps = capabilitiesFromModels({ aps_com_cu_a4c_odata: cu, aps_com_cs_a4c_odata: cs, aps_com_ca_a4c_odata: ca });
    expect(caps.certificateUploadByApi).toBe(false);
    expect(caps.missing).toEqual([`aps_com_cs_a4c_odata/CommunicationSystems.${SIGNING_CERTIFICATE_FIELD}`]);
  });

  it('treats a field marked Computed (inline or in external Annotations) as not writable', () => {
    const external = `<Annotations Target="SAP__self.CommunicationSystemType/${SIGNING_CERTIFICATE_FIELD}"><Annotation Term="Core.Computed"/></Annotations>`;
    const cs = parseEdmx(edmx(`${ALL_SYSTEM_PROPS}<Property Name="${SIGNING_CERTIFICATE_FIELD}" Type="Edm.String"/>`, external));
    expect(cs.entityTypes.get('CommunicationSystemType')?.properties.get(SIGNING_CERTIFICATE_FIELD)?.computed).toBe(true);
    expect(missingWrites(cs, { CommunicationSystems: [SIGNING_CERTIFICATE_FIELD, 'UUID', 'ID'] })).toEqual([`CommunicationSystems.${SIGNING_CERTIFICATE_FIELD}`, 'CommunicationSystems.UUID']);
  });

  it('parses a $metadata document once per content: the same text gives the same model, other text its own', () => {
    const withField = edmx(`${ALL_SYSTEM_PROPS}<Property Name="${SIGNING_CERTIFICATE_FIELD}" Type="Edm.String"/>`);
    const withoutField = edmx(ALL_SYSTEM_PROPS);
    const first = edmModelOf(withField);
    expect(edmModelOf(`${withField}`)).toBe(first); // another tenant of the same release: not parsed again
    const other = edmModelOf(withoutField);
    expect(other).not.toBe(first);
    expect(missingWrites(other, { CommunicationSystems: [SIGNING_CERTIFICATE_FIELD] })).toEqual([`CommunicationSystems.${SIGNING_CERTIFICATE_FIELD}`]);
    expect(missingWrites(first, { CommunicationSystems: [SIGNING_CERTIFICATE_FIELD] })).toEqual([]);
    // Bounded: after many other documents the first one is parsed anew.
    for (let i = 0; i < 20; i++) edmModelOf(edmx(`${ALL_SYSTEM_PROPS}<Property Name="Extra${i}" Type="Edm.String"/>`));
    const again = edmModelOf(withField);
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
  });

  it('checks properties behind a navigation and unknown entity sets', () => {
    expect(missingWrites(ca, { CommunicationArrangements: ['InboundUser/CommunicationSystemInboundUserUUID', 'InboundUser/Nope'] })).toEqual(['CommunicationArrangements.InboundUser/Nope']);
    expect(missingWrites(ca, { Unknown: ['A'] })).toEqual(['Unknown.A']);
  });

  it('rejects a document that is not EDMX', () => {
    expect(() => parseEdmx('<html><body>Logon</body></html>')).toThrow(/metadata/);
  });
});

describe('S/4 CSRF and cookies', () => {
  let server: TlsTestServer;
  beforeAll(async () => {
    server = await startTlsTestServer([HOST]);
  });
  afterAll(async () => {
    destroySharedSapAgents();
    await server.close();
  });
  beforeEach(() => server.reset());

  function gateway(opts: { rejectFirstWrite: boolean }) {
    let issued = 0;
    let rejected = false;
    server.handle((req, res) => {
      if (req.method === 'GET' && req.headers['x-csrf-token'] === 'Fetch') {
        issued += 1;
        return reply(res, 200, '', { 'x-csrf-token': `tok-${issued}`, 'set-cookie': `SAP_SESSIONID_H2Y_100=sess-${issued}; path=/; secure; HttpOnly` });
      }
      if (req.method === 'POST') {
        const valid = req.headers['x-csrf-token'] === `tok-${issued}` && req.headers.cookie === `SAP_SESSIONID_H2Y_100=sess-${issued}`;
        if (!valid || (opts.rejectFirstWrite && !rejected)) {
          rejected = true;
          return reply(res, 403, 'CSRF token validation failed', { 'x-csrf-token': 'Required' });
        }
        return reply(res, 201, { ID: 'CC0000000042', Name: 'COM501', Description: 'd' });
      }
      reply(res, 404, { error: { code: 'X', message: 'no' } });
    });
  }

  const users = () => createCommunicationUsersClient({ apiHost: HOST, user: 'BOOTSTRAP', password: PASSWORD, options: { connectTo: server.connectTo, extraCaPem: server.ca.certPem } });

  it('fetches a CSRF token with Basic auth and sends it with the session cookie on writes', async () => {
    gateway({ rejectFirstWrite: false });
    const created = await users().create({ name: 'COM501', description: 'd', password: 'x'.repeat(32) });
    expect(created.ID).toBe('CC0000000042');
    const [fetch, post] = server.requests;
    expect(fetch.url).toBe('/sap/opu/odata4/sap/aps_com_cu_a4c_odata/srvd_a2x/sap/aps_com_cu_a4c_odata/0001/');
    expect(fetch.headers.authorization).toBe(`Basic ${Buffer.from(`BOOTSTRAP:${PASSWORD}`).toString('base64')}`);
    expect(post.headers['x-csrf-token']).toBe('tok-1');
    expect(post.headers.cookie).toBe('SAP_SESSIONID_H2Y_100=sess-1');
  });

  it('takes the CSRF token from the read before the write, so the write needs no round trip of its own', async () => {
    let issued = 0;
    server.handle((req, res) => {
      if (req.method === 'GET') {
        const fetch = req.headers['x-csrf-token'] === 'Fetch';
        if (fetch) issued += 1;
        return reply(res, 200, { value: [] }, fetch ? { 'x-csrf-token': `tok-${issued}`, 'set-cookie': `SAP_SESSIONID_H2Y_100=sess-${issued}; path=/` } : {});
      }
      const valid = req.headers['x-csrf-token'] === `tok-${issued}` && req.headers.cookie === `SAP_SESSIONID_H2Y_100=sess-${issued}`;
      return valid ? reply(res, 201, { ID: 'CC0000000042', Name: 'COM501', Description: 'd' }) : reply(res, 403, '', { 'x-csrf-token': 'Required' });
    });
    const client = users();
    expect(await client.findByName('COM501')).toBeUndefined();
    await client.create({ name: 'COM501', description: 'd', password: 'x'.repeat(32) });
    expect(await client.findByName('COM501')).toBeUndefined();
    // Only the first read asks for a token; the write uses it.
    expect(server.requests.map((r) => `${r.method} ${r.headers['x-csrf-token'] ?? '-'}`)).toEqual(['GET Fetch', 'POST tok-1', 'GET -']);
  });

  it('renews a held token with the read when asked, so the writes after it carry the new one', async () => {
    let issued = 0;
    server.handle((req, res) => {
      if (req.method === 'GET') {
        const fetch = req.headers['x-csrf-token'] === 'Fetch';
        if (fetch) issued += 1;
        const system = { UUID: '11111111-2222-3333-4444-555555555555', ID: 'BTP_A', InboundUsers: [] };
        return reply(res, 200, { value: [system] }, fetch ? { 'x-csrf-token': `tok-${issued}`, 'set-cookie': `SAP_SESSIONID_H2Y_100=sess-${issued}; path=/` } : {});
      }
      const valid = req.headers['x-csrf-token'] === `tok-${issued}` && req.headers.cookie === `SAP_SESSIONID_H2Y_100=sess-${issued}`;
      return valid ? reply(res, 204, '') : reply(res, 403, '', { 'x-csrf-token': 'Required' });
    });
    const systems = createCommunicationSystemsClient({ apiHost: HOST, user: 'BOOTSTRAP', password: PASSWORD, options: { connectTo: server.connectTo, extraCaPem: server.ca.certPem } });
    await systems.findById('BTP_A');
    await systems.findById('BTP_A');
    await systems.findById('BTP_A', { renewCsrfToken: true });
    await systems.update('11111111-2222-3333-4444-555555555555', { OAuth2IdentityProviderName: 'x' });
    expect(server.requests.map((r) => `${r.method} ${r.headers['x-csrf-token'] ?? '-'} ${r.headers.prefer ?? '-'}`)).toEqual(['GET Fetch -', 'GET - -', 'GET Fetch -', 'PATCH tok-2 -']);
  });

  it('fetches a new token once when the write answers 403 x-csrf-token: Required', async () => {
    gateway({ rejectFirstWrite: true });
    await users().create({ name: 'COM501', description: 'd', password: 'x'.repeat(32) });
    expect(server.requests.map((r) => `${r.method} ${r.headers['x-csrf-token']}`)).toEqual(['GET Fetch', 'POST tok-1', 'GET Fetch', 'POST tok-2']);
  });

  it('gives up with Forbidden when the fresh token is refused too', async () => {
    server.handle((req, res) => {
      if (req.method === 'GET') return reply(res, 200, '', { 'x-csrf-token': 'tok' });
      reply(res, 403, 'CSRF token validation failed', { 'x-csrf-token': 'Required' });
    });
    const err = await users()
      .create({ name: 'COM501', description: 'd', password: 'x'.repeat(32) })
      .catch((e: unknown) => e as { kind: string; name: string; message: string });
    expect(err).toMatchObject({ kind: 'Forbidden', name: 'S4Error' });
    expect(server.requests.filter((r) => r.method === 'POST')).toHaveLength(2);
    expect(JSON.stringify(err) + err.message).not.toContain(PASSWORD);
  });

  it('quotes $filter values and finds by business key', async () => {
    server.handle((_req, res) => reply(res, 200, { value: [] }));
    expect(await users().findByName("O'Neil")).toBeUndefined();
    const url = new URL(server.requests[0].url, `https://${HOST}`);
    expect(url.searchParams.get('$filter')).toBe("Name eq 'O''Neil'");
    expect(server.requests[0].url).toContain('Name%20eq%20');
  });
});

describe('built once, used per tenant', () => {
  it('gives one collection schema per item schema, which still checks every item', () => {
    const systems = odataCollection(CommunicationSystem);
    expect(odataCollection(CommunicationSystem)).toBe(systems);
    expect(odataCollection(InboundUser)).not.toBe(systems);
    expect(systems.safeParse({ value: [{ UUID: 'u1', ID: 'BTP_TRUST' }] }).success).toBe(true);
    expect(systems.safeParse({ value: [{ UUID: 'u1' }] }).success).toBe(false);
    expect(odataCollection(InboundUser).safeParse({ value: [{ UUID: 'u2', CommunicationUserID: 'CC1' }] }).success).toBe(true);
  });

  it('builds each service client of a tenant at its first use and keeps it', () => {
    const s4 = createS4Client({ apiHost: HOST, user: 'SAP_COM_0A48_USER', password: PASSWORD, options: {} });
    expect(s4.systems).toBe(s4.systems);
    expect(s4.users).toBe(s4.users);
    expect(s4.arrangements).toBe(s4.arrangements);
    expect(typeof s4.systems.findById).toBe('function');
  });
});
