/**
 * The simulated BTP over HTTPS: XSUAA tokens, every saml2Metadata endpoint, subaccount destinations
 * with ETags, and find destination producing a signed SAML assertion that verifies against the
 * subaccount certificate with xml-crypto (and fails after tampering). A capturing token endpoint
 * inside the sandbox records what the Destination service posts.
 */
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import forge from 'node-forge';
import { SignedXml } from 'xml-crypto';
import { startSandbox, type RunningSandbox } from '../../../sandbox';
import { btpService } from '../../../sandbox/btp/btpService';
import { SANDBOX_PRINCIPAL } from '../../../sandbox/btp/samlBearerExchange';
import type { SandboxService } from '../../../sandbox/core/service';
import { adminRequest, sapRequest, xsuaaToken } from '../../support/sandboxClient';

const GUID = '5d8e2c71-0a4b-4f6e-9d3c-2b1a0f9e8d7c';
const OTHER_GUID = '6e9f3d82-1b5c-4a7f-8e4d-3c2b1a0f9e8d';
const key = (guid: string, subdomain: string, region: string, secret: string) => ({
  clientid: `sb-clone-${subdomain}!b1|destination-xsappname!b404`,
  clientsecret: secret,
  url: `https://${subdomain}.authentication.${region}.hana.ondemand.com`,
  uri: `https://destination-configuration.cfapps.${region}.hana.ondemand.com`,
  uaadomain: `authentication.${region}.hana.ondemand.com`,
  identityzone: subdomain,
  tenantid: guid,
  'credential-type': 'binding-secret',
});
const KEY = key(GUID, 'btptests', 'eu10', 'btp-test-client-secret-0001');
const OTHER_KEY = key(OTHER_GUID, 'otherregion', 'us10', 'btp-test-client-secret-0002');
const DEST = `${KEY.uri}/destination-configuration/v1`;
const TOKEN_PASSWORD = 'token-service-password-never-in-state';

interface Captured {
  form: Record<string, string>;
  basicUser?: string;
}
const captured: Captured[] = [];
const captureService: SandboxService<Record<string, never>> = {
  name: 'capture',
  matchHost: (host) => (host === 'tokens.capture.example.test' ? {} : undefined),
  initialState: () => ({}),
  seed: () => undefined,
  describe: () => ({}),
  handle: (req) => {
    const form = Object.fromEntries(new URLSearchParams(req.body.toString('utf8')));
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    captured.push({ form, basicUser: basic ? Buffer.from(basic, 'base64').toString('utf8').split(':')[0] : undefined });
    if (form.client_id === 'REJECTED') return { status: 401, body: { error: 'invalid_client', error_description: 'issuer not trusted' } };
    return { status: 200, body: { access_token: 'captured-access-token', token_type: 'bearer', expires_in: 3600 } };
  },
};

let sandbox: RunningSandbox;
let dataDir: string;
let token: string;

const auth = () => ({ authorization: `Bearer ${token}` });
const call = (p: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
  sapRequest(sandbox, `${DEST}${p}`, { ...init, body: init.body as never, headers: { ...auth(), ...(init.headers ?? {}) } });

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'sandbox-btp-'));
  sandbox = await startSandbox({
    port: 0,
    dataDir,
    quiet: true,
    services: [btpService, captureService],
    seed: {
      subaccounts: [
        { guid: GUID, region: 'eu10', subdomain: 'btptests', serviceKey: KEY, trustCertificateKeyBits: 2048 },
        { guid: OTHER_GUID, region: 'us10', subdomain: 'otherregion', serviceKey: OTHER_KEY, trustCertificate: 'active', trustCertificateKeyBits: 4096 },
      ],
    },
  });
  token = await xsuaaToken(sandbox, KEY);
});
afterAll(async () => {
  await sandbox.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('XSUAA token endpoint', () => {
  const tokenUrl = `${KEY.url}/oauth/token`;
  it('issues a bearer token for form credentials and for HTTP Basic', async () => {
    const form = await sapRequest(sandbox, tokenUrl, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: KEY.clientid, client_secret: KEY.clientsecret }) });
    expect(form.status).toBe(200);
    expect(form.json()).toMatchObject({ token_type: 'bearer', expires_in: expect.any(Number), access_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/) });
    const claims = JSON.parse(Buffer.from(form.json().access_token.split('.')[1], 'base64url').toString());
    expect(claims).toMatchObject({ zid: GUID, client_id: KEY.clientid, ext_attr: { subaccountid: GUID } });
    const basic = await sapRequest(sandbox, tokenUrl, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${encodeURIComponent(KEY.clientid)}:${KEY.clientsecret}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    });
    expect(basic.status).toBe(200);
  });

  it('answers wrong credentials with the UAA 401 body, and bad requests with 400', async () => {
    const wrong = await sapRequest(sandbox, tokenUrl, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: KEY.clientid, client_secret: 'nope' }) });
    expect(wrong.status).toBe(401);
    expect(wrong.json()).toEqual({ error: 'unauthorized', error_description: 'Bad credentials' });
    // the credentials of another subaccount do not work on this subdomain
    const foreign = await sapRequest(sandbox, tokenUrl, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: OTHER_KEY.clientid, client_secret: OTHER_KEY.clientsecret }) });
    expect(foreign.status).toBe(401);
    const noGrant = await sapRequest(sandbox, tokenUrl, { method: 'POST', body: new URLSearchParams({ client_id: KEY.clientid }) });
    expect(noGrant.status).toBe(400);
    const json = await sapRequest(sandbox, tokenUrl, { method: 'POST', body: { grant_type: 'client_credentials' } });
    expect(json.status).toBe(400);
  });
});

describe('Destination service authentication', () => {
  it('is 401 without a token, with a bad token, and with a token of another region', async () => {
    expect((await sapRequest(sandbox, `${DEST}/subaccountDestinations`)).status).toBe(401);
    expect((await sapRequest(sandbox, `${DEST}/subaccountDestinations`, { headers: { authorization: 'Bearer forged.token.value' } })).status).toBe(401);
    const us10 = await xsuaaToken(sandbox, OTHER_KEY);
    expect((await sapRequest(sandbox, `${DEST}/subaccountDestinations`, { headers: { authorization: `Bearer ${us10}` } })).status).toBe(401);
    expect((await sapRequest(sandbox, `${OTHER_KEY.uri}/destination-configuration/v1/subaccountDestinations`, { headers: { authorization: `Bearer ${us10}` } })).status).toBe(200);
  });
});

describe('saml2Metadata (trust certificate)', () => {
  it('walks the whole lifecycle: 404, generate, renew, passive, rotate, metadata, delete passive', async () => {
    const missing = await call('/saml2Metadata/certificate');
    expect(missing.status).toBe(404);
    expect(missing.json()).toEqual({ ErrorMessage: `Keypair for subaccount - ${GUID} does not exist` });
    expect((await call('/saml2Metadata')).status).toBe(404);
    const noPassive = await call('/saml2Metadata/certificate/passive');
    expect([noPassive.status, noPassive.json()]).toEqual([404, { ErrorMessage: 'There is no such key pair for this account' }]);
    expect((await call('/saml2Metadata/rotateCertificate', { method: 'POST' })).status).toBe(404);

    const withBody = await call('/saml2Metadata/certificate', { method: 'POST', body: '{"x":1}', headers: { 'content-type': 'application/json' } });
    expect(withBody.status).toBe(400);
    expect(withBody.json()).toEqual({ ErrorMessage: 'Request body should be empty!' });

    const created = await call('/saml2Metadata/certificate', { method: 'POST' });
    expect(created.status).toBe(200);
    const active = created.json().certificate as string;
    const cert = new X509Certificate(active);
    expect(cert.subject).toBe(`CN=cfapps.eu10.hana.ondemand.com/${GUID}\nO=SAP\nOU=CP Destination Configuration`);
    expect(cert.issuer).toBe(cert.subject);
    expect(cert.checkIssued(cert)).toBe(true);
    const days = (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / 86_400_000;
    expect(days).toBeGreaterThanOrEqual(730);
    expect(days).toBeLessThanOrEqual(731);
    expect((await call('/saml2Metadata/certificate')).json().certificate).toBe(active);

    const renewed = (await call('/saml2Metadata/certificate', { method: 'POST' })).json().certificate as string;
    expect(renewed).not.toBe(active);
    const rotateAlone = await call('/saml2Metadata/rotateCertificate', { method: 'POST' });
    expect([rotateAlone.status, rotateAlone.json()]).toEqual([404, { ErrorMessage: `Passive Keypair for subaccount - ${GUID} does not exist` }]);

    expect((await call('/saml2Metadata/certificate/passive', { method: 'POST', body: 'x' })).status).toBe(400);
    const passive = (await call('/saml2Metadata/certificate/passive', { method: 'POST' })).json().certificate as string;
    expect((await call('/saml2Metadata/certificate/passive')).json().certificate).toBe(passive);

    const metadata = Buffer.from((await call('/saml2Metadata')).json().idpMetadata, 'base64').toString('utf8');
    const body = (pem: string) => pem.replace(/-----[^-]+-----|\s/g, '');
    expect(metadata).toContain(`entityID="cfapps.eu10.hana.ondemand.com/${GUID}"`);
    expect(metadata).toContain(body(renewed));
    expect(metadata).toContain(body(passive));

    const rotated = await call('/saml2Metadata/rotateCertificate', { method: 'POST' });
    expect(rotated.json()).toEqual({ activeCertificate: passive, passiveCertificate: renewed });
    expect((await call('/saml2Metadata/certificate')).json().certificate).toBe(passive);

    expect((await call('/saml2Metadata/certificate/passive', { method: 'DELETE' })).json()).toEqual({ Count: 1 });
    expect((await call('/saml2Metadata/certificate/passive', { method: 'DELETE' })).status).toBe(404);
  });

  it('lets the seed say the certificate already exists', async () => {
    const us10 = await xsuaaToken(sandbox, OTHER_KEY);
    const res = await sapRequest(sandbox, `${OTHER_KEY.uri}/destination-configuration/v1/saml2Metadata/certificate`, { headers: { authorization: `Bearer ${us10}` } });
    expect(res.status).toBe(200);
    const cert = new X509Certificate(res.json().certificate);
    expect(cert.subject).toBe(`CN=cfapps.us10.hana.ondemand.com/${OTHER_GUID}\nO=SAP\nOU=CP Destination Configuration`);
    // SAP's size, the sandbox default (tests lower the default with SANDBOX_CERT_KEY_BITS=2048; this seed asks for 4096).
    expect(cert.publicKey.asymmetricKeyDetails?.modulusLength).toBe(4096);
    expect(forge.pki.certificateFromPem(res.json().certificate).siginfo.algorithmOid).toBe(forge.pki.oids.sha512WithRSAEncryption);
  });

  it('generates certificates with the key size and validity set per subaccount on the settings route', async () => {
    const settings = await adminRequest(sandbox, `/subaccounts/${GUID}/settings`, { method: 'PUT', body: { trustCertificateValiditySeconds: 90 } });
    expect(settings.json()).toEqual({ subaccount: GUID, settings: { trustCertificateKeyBits: 2048, trustCertificateValiditySeconds: 90 } });
    const cert = new X509Certificate((await call('/saml2Metadata/certificate', { method: 'POST' })).json().certificate);
    expect(Date.parse(cert.validTo) - Date.parse(cert.validFrom)).toBe(90_000);
    expect(cert.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    const back = await adminRequest(sandbox, `/subaccounts/${GUID}/settings`, { method: 'PUT', body: { trustCertificateValiditySeconds: null } });
    expect(back.json().settings.trustCertificateValiditySeconds).toBeNull();
    const bad = await adminRequest(sandbox, `/subaccounts/${GUID}/settings`, { method: 'PUT', body: { trustCertificateKeyBits: 1024, validity: 1 } });
    expect(bad.status).toBe(400);
    expect(bad.json().fields.map((f: { field: string }) => f.field).sort()).toEqual(['(body)', 'trustCertificateKeyBits']);
    expect((await adminRequest(sandbox, `/subaccounts/${OTHER_GUID.replace('6', '7')}/settings`, { method: 'PUT', body: {} })).status).toBe(404);
  });
});

describe('subaccount destinations', () => {
  const dest = { Name: 'etag-test', Type: 'HTTP', URL: 'https://example.com', Authentication: 'NoAuthentication', ProxyType: 'Internet' };

  it('creates, reads with ETag (304 / 412), rejects duplicates, overwrites with If-Match, deletes', async () => {
    expect((await call('/subaccountDestinations/etag-test')).status).toBe(404);
    const created = await call('/subaccountDestinations', { method: 'POST', body: dest });
    expect(created.status).toBe(201);
    expect(created.text).toBe('');
    const dup = await call('/subaccountDestinations', { method: 'POST', body: dest });
    expect(dup.status).toBe(409);
    expect(dup.json().ErrorMessage).toMatch(/Duplicate key/);

    const got = await call('/subaccountDestinations/etag-test');
    expect(got.status).toBe(200);
    expect(got.json()).toEqual(dest);
    const etag = got.headers.etag as string;
    expect(etag).toMatch(/^".+"$/);
    expect((await call('/subaccountDestinations/etag-test', { headers: { 'if-none-match': etag } })).status).toBe(304);
    expect((await call('/subaccountDestinations/etag-test', { headers: { 'if-match': '"stale"' } })).status).toBe(412);

    const stale = await call('/subaccountDestinations', { method: 'PUT', body: { ...dest, URL: 'https://stale' }, headers: { 'if-match': '"stale"' } });
    expect(stale.status).toBe(412);
    const put = await call('/subaccountDestinations', { method: 'PUT', body: { ...dest, URL: 'https://new.example.com' }, headers: { 'if-match': etag } });
    expect(put.status).toBe(200);
    expect(put.json()).toEqual({ Count: 1 });
    const after = await call('/subaccountDestinations/etag-test');
    expect(after.json().URL).toBe('https://new.example.com');
    expect(after.headers.etag).not.toBe(etag);
    expect((await call('/subaccountDestinations', { method: 'PUT', body: { ...dest, Name: 'missing' } })).status).toBe(404);

    expect((await call('/subaccountDestinations/etag-test', { method: 'DELETE' })).json()).toEqual({ Count: 1 });
    expect((await call('/subaccountDestinations/etag-test', { method: 'DELETE' })).status).toBe(404);
  });

  it('answers bad bodies with 400 and ErrorMessage', async () => {
    for (const body of ['', '{broken', JSON.stringify({ Name: 'x' }), JSON.stringify({ Type: 'HTTP' }), JSON.stringify({ Name: 'x', Type: 'FTP' }), JSON.stringify({ Name: 'x', Type: 'HTTP', nested: {} }), JSON.stringify({ Name: 'n'.repeat(201), Type: 'HTTP' })]) {
      const res = await call('/subaccountDestinations', { method: 'POST', body, headers: { 'content-type': 'application/json' } });
      expect(res.status).toBe(400);
      expect(typeof res.json().ErrorMessage).toBe('string');
    }
  });

  it('lists with $filter Name in (...) and startswith, bulk-creates with 207, deletes by filter', async () => {
    const bulk = await call('/subaccountDestinations', { method: 'POST', body: [{ Name: 'app-a', Type: 'HTTP' }, { Name: "our team's app", Type: 'HTTP' }, { Name: 'other', Type: 'HTTP' }] });
    expect(bulk.status).toBe(201);
    expect(bulk.json()).toHaveLength(3);
    const mixed = await call('/subaccountDestinations', { method: 'POST', body: [{ Name: 'app-a', Type: 'HTTP' }, { Name: 'app-b', Type: 'HTTP' }] });
    expect(mixed.status).toBe(207);
    expect(mixed.json().map((r: { status: number }) => r.status)).toEqual([409, 201]);

    const byName = await call(`/subaccountDestinations?$filter=${encodeURIComponent(`Name in ('app-a','${encodeURIComponent("our team's app").replace(/'/g, '%27')}')`)}`);
    expect(byName.json().map((d: { Name: string }) => d.Name).sort()).toEqual(['app-a', "our team's app"]);
    const byPrefix = await call(`/subaccountDestinations?$filter=${encodeURIComponent("startswith(Name,'app-')")}`);
    expect(byPrefix.json().map((d: { Name: string }) => d.Name).sort()).toEqual(['app-a', 'app-b']);
    expect((await call(`/subaccountDestinations?$filter=${encodeURIComponent('Name eq 1')}`)).status).toBe(400);

    const deleted = await call(`/subaccountDestinations?$filter=${encodeURIComponent("Name in ('app-a','nope')")}`, { method: 'DELETE' });
    expect(deleted.json()).toEqual({ Count: 1, Summary: [{ name: 'app-a', status: 'DELETED' }, { name: 'nope', status: 'NOT_FOUND', reason: 'Could not find configuration' }] });
  });
});

describe('find destination with OAuth2SAMLBearerAssertion', () => {
  const TOKEN_URL = 'https://tokens.capture.example.test/sap/bc/sec/oauth2/token';
  const samlDest = {
    Name: 's4-saml',
    Type: 'HTTP',
    URL: 'https://my100001-api.s4hana.ondemand.com',
    ProxyType: 'Internet',
    Authentication: 'OAuth2SAMLBearerAssertion',
    audience: 'https://my100001.s4hana.ondemand.com',
    clientKey: 'COM501SID100',
    tokenServiceURLType: 'Dedicated',
    tokenServiceURL: TOKEN_URL,
    tokenServiceUser: 'COM501SID100',
    tokenServicePassword: TOKEN_PASSWORD,
    authnContextClassRef: 'urn:oasis:names:tc:SAML:2.0:ac:classes:X509',
    userIdSource: 'user_uuid',
  };
  let activeCert: string;

  beforeAll(async () => {
    activeCert = (await call('/saml2Metadata/certificate')).json().certificate;
    expect((await call('/subaccountDestinations', { method: 'POST', body: samlDest })).status).toBe(201);
  });

  const assertionXml = (c: Captured) => Buffer.from(c.form.assertion, 'base64url').toString('utf8');

  function verify(xml: string, certPem: string): boolean {
    const doc = new DOMParser().parseFromString(xml, 'text/xml');
    const signature = doc.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'Signature')[0];
    const sig = new SignedXml({ publicCert: certPem, getCertFromKeyInfo: () => null });
    sig.loadSignature(signature as never);
    try {
      return sig.checkSignature(xml);
    } catch {
      return false;
    }
  }

  it('posts a signed assertion to the token service and returns authTokens', async () => {
    captured.length = 0;
    const res = await call('/destinations/s4-saml');
    expect(res.status).toBe(200);
    const body = res.json();
    expect(body.owner).toEqual({ SubaccountId: GUID, InstanceId: null });
    expect(body.destinationConfiguration).toMatchObject({ Name: 's4-saml', tokenServicePassword: TOKEN_PASSWORD });
    expect(body.authTokens).toEqual([{ type: 'Bearer', value: 'captured-access-token', http_header: { key: 'Authorization', value: 'Bearer captured-access-token' }, expires_in: '3600' }]);

    expect(captured).toHaveLength(1);
    const c = captured[0];
    expect(c.form).toMatchObject({ grant_type: 'urn:ietf:params:oauth:grant-type:saml2-bearer', client_id: 'COM501SID100' });
    expect(c.form.assertion).not.toMatch(/[+/=]/);
    expect(c.basicUser).toBe('COM501SID100');

    const xml = assertionXml(c);
    expect(verify(xml, activeCert)).toBe(true);
    expect(verify(xml.replace(SANDBOX_PRINCIPAL.user_uuid, '00000000-0000-4000-8000-000000000000'), activeCert)).toBe(false);
    expect(verify(xml.replace('https://my100001.s4hana.ondemand.com', 'https://evil.example.com'), activeCert)).toBe(false);

    expect(xml).toContain(`<saml2:Issuer>cfapps.eu10.hana.ondemand.com/${GUID}</saml2:Issuer>`);
    expect(xml).toContain(`>${SANDBOX_PRINCIPAL.user_uuid}</saml2:NameID>`);
    expect(xml).toContain('<saml2:Audience>https://my100001.s4hana.ondemand.com</saml2:Audience>');
    expect(xml).toContain(`Recipient="${TOKEN_URL}"`);
    expect(xml).toContain('<saml2:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:X509</saml2:AuthnContextClassRef>');
    expect(xml).toContain('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');
  });

  it('takes the user from X-user-token and the NameID from nameIdFormat; assertionIssuer and base64 encoding apply', async () => {
    await call('/subaccountDestinations', {
      method: 'POST',
      body: { ...samlDest, Name: 's4-email', userIdSource: undefined, nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress', assertionIssuer: 'custom-issuer', samlAssertionEncoding: 'base64' },
    });
    const jwt = ['{"alg":"none"}', JSON.stringify({ email: 'jane.doe@example.com', user_name: 'jane', user_uuid: 'u-1' }), 'sig'].map((p, i) => (i < 2 ? Buffer.from(p).toString('base64url') : p)).join('.');
    captured.length = 0;
    const res = await call('/destinations/s4-email', { headers: { 'x-user-token': jwt } });
    expect(res.json().authTokens[0].type).toBe('Bearer');
    const xml = Buffer.from(captured[0].form.assertion, 'base64').toString('utf8');
    expect(xml).toContain('Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">jane.doe@example.com</saml2:NameID>');
    expect(xml).toContain('<saml2:Issuer>custom-issuer</saml2:Issuer>');
    expect(verify(xml, activeCert)).toBe(true);
    expect((await call('/destinations/s4-email', { headers: { 'x-user-token': 'not-a-jwt' } })).status).toBe(400);
  });

  it('reports a failed exchange in authTokens[].error with HTTP 200, without the password', async () => {
    await call('/subaccountDestinations', { method: 'PUT', body: { ...samlDest, clientKey: 'REJECTED' } });
    const res = await call('/destinations/s4-saml');
    expect(res.status).toBe(200);
    expect(res.json().authTokens).toEqual([{ type: '', value: '', error: expect.stringMatching(/HTTP 401.*invalid_client/) }]);
    expect(JSON.stringify(res.json().authTokens)).not.toContain(TOKEN_PASSWORD);
  });

  it('honours $skipTokenRetrieval and $skipCredentials, 404 for an unknown name, and X-tenant is refused for Dedicated', async () => {
    captured.length = 0;
    const skipped = await call('/destinations/s4-saml?$skipTokenRetrieval=true&$skipCredentials=true');
    expect(skipped.json().authTokens).toBeUndefined();
    expect(skipped.json().destinationConfiguration.tokenServicePassword).toBeUndefined();
    expect(captured).toHaveLength(0);
    const missing = await call('/destinations/nope');
    expect(missing.status).toBe(404);
    expect(typeof missing.json().ErrorMessage).toBe('string');
    expect((await call('/destinations/s4-saml', { headers: { 'x-tenant': 'abc' } })).status).toBe(400);
  });

  it('masks destination passwords and the client secret in GET /__sandbox/state', async () => {
    const state = await adminRequest(sandbox, '/state');
    expect(state.text).toContain('s4-saml');
    expect(state.text).not.toContain(TOKEN_PASSWORD);
    expect(state.text).not.toContain(KEY.clientsecret);
    expect(state.text).not.toContain(token);
  });
});
