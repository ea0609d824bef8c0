import { createNeoService } from '../../../sandbox/neo/neoService';
import type { NeoSlice } from '../../../sandbox/neo/neoState';
import { basic, sandboxRequest, testContext } from './ias.sandboxRequest';
import { makeTestCertificate } from './ias.testCertificate';

const HOST = 'api.eu2.hana.ondemand.com';

function setup(requestsPerMinute?: number) {
  const service = createNeoService(requestsPerMinute === undefined ? {} : { requestsPerMinute });
  const slice: NeoSlice = service.initialState();
  service.seed(slice, {
    neoSubaccounts: [
      { landscape: 'eu2.hana.ondemand.com', subaccount: 'a1b2c3', clients: [
        { clientId: 'trust-admin', clientSecret: 'trust-secret-1' },
        { clientId: 'trust-reader', clientSecret: 'reader-secret-1', scopes: ['readTrustSettings'] },
      ] },
      { landscape: 'eu2.hana.ondemand.com', subaccount: 'other1', clients: [{ clientId: 'other-admin', clientSecret: 'other-secret-1' }] },
    ],
  });
  const clock = { now: new Date('2026-03-01T10:00:00.000Z') };
  const ctx = testContext({ landscape: 'eu2.hana.ondemand.com' }, clock);
  const call = async (method: string, path: string, options: { headers?: Record<string, string>; body?: unknown } = {}) =>
    service.handle(sandboxRequest(method, HOST, path, options), slice, ctx);
  const token = async (clientId = 'trust-admin', secret = 'trust-secret-1') =>
    ((await call('POST', '/oauth2/apitoken/v1?grant_type=client_credentials', { headers: { authorization: basic(clientId, secret) } })).body as { access_token: string }).access_token;
  return { service, slice, clock, call, token };
}

function trustDocument() {
  const idpCert = makeTestCertificate('cfapps.eu10.hana.ondemand.com/0e5f1d7a-1111-4222-8333-444455556666');
  return {
    configurationType: 'Custom',
    localServiceProvider: { name: 'https://eu2.hana.ondemand.com/a1b2c3', principalPropagationEnabled: 'false', forceAuthenticationEnabled: 'false' },
    applicationIdentityProviders: {
      identityProviders: [
        {
          name: idpCert.commonName,
          enabled: 'true',
          ssoBinding: 'HTTP-POST',
          userIdSource: { type: 'subject', value: '' },
          signatureAlgorithm: 'SHA-256',
          signingCertificate: idpCert.base64Der,
          onlyForIdpInitiatedSSO: 'true',
          onlyForOAuthSAMLBearerFlow: 'false',
        },
      ],
    },
  };
}

describe('Neo sandbox platform API token', () => {
  it('issues a 25-minute token whose scope lists the client scopes', async () => {
    const { call } = setup();
    const res = await call('POST', '/oauth2/apitoken/v1?grant_type=client_credentials', { headers: { authorization: basic('trust-reader', 'reader-secret-1') } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ access_token: expect.stringMatching(/^[0-9a-f]{32}$/), token_type: 'Bearer', expires_in: 1500, scope: 'hcp.readTrustSettings' });
  });

  it('refuses bad client credentials with 401 and a missing grant type with 400', async () => {
    const { call } = setup();
    expect((await call('POST', '/oauth2/apitoken/v1?grant_type=client_credentials', { headers: { authorization: basic('trust-admin', 'wrong') } })).status).toBe(401);
    expect((await call('POST', '/oauth2/apitoken/v1?grant_type=client_credentials')).status).toBe(401);
    expect((await call('POST', '/oauth2/apitoken/v1', { headers: { authorization: basic('trust-admin', 'trust-secret-1') } })).status).toBe(400);
  });
});

describe('Neo sandbox Trust Management API v2', () => {
  it('exports the default configuration of a fresh subaccount', async () => {
    const { call, token } = setup();
    const res = await call('GET', '/trust/v2/accounts/a1b2c3', { headers: { authorization: `Bearer ${await token()}` } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ configurationType: 'Default', applicationIdentityProviders: { identityProviders: [] } });
  });

  it('imports a configuration that overwrites the previous one', async () => {
    const { call, token } = setup();
    const auth = { authorization: `Bearer ${await token()}` };
    const first = trustDocument();
    expect((await call('PUT', '/trust/v2/accounts/a1b2c3', { headers: auth, body: first })).status).toBe(204);
    expect((await call('GET', '/trust/v2/accounts/a1b2c3', { headers: auth })).body).toEqual(first);
    const second = { configurationType: 'Default', applicationIdentityProviders: { identityProviders: [] } };
    expect((await call('PUT', '/trust/v2/accounts/a1b2c3', { headers: auth, body: second })).status).toBe(204);
    expect((await call('GET', '/trust/v2/accounts/a1b2c3', { headers: auth })).body).toEqual(second);
  });

  it('answers 400 naming every bad field of an import', async () => {
    const { call, token } = setup();
    const doc = trustDocument() as any;
    doc.applicationIdentityProviders.identityProviders[0].signingCertificate = makeTestCertificate().pem;
    doc.applicationIdentityProviders.identityProviders[0].enabled = true;
    doc.applicationIdentityProviders.identityProviders[0].signatureAlgorithm = 'SHA-512';
    doc.applicationIdentityProviders.identityProvider = [];
    const res = await call('PUT', '/trust/v2/accounts/a1b2c3', { headers: { authorization: `Bearer ${await token()}` }, body: doc });
    expect(res.status).toBe(400);
    const message = (res.body as { error_description: string }).error_description;
    for (const field of ['identityProviders[0].signingCertificate', 'identityProviders[0].enabled', 'identityProviders[0].signatureAlgorithm', 'identityProvider']) {
      expect(message).toContain(field);
    }
    expect((await call('PUT', '/trust/v2/accounts/a1b2c3', { headers: { authorization: `Bearer ${await token()}` }, body: '{' })).status).toBe(400);
  });

  it('answers 401 without a valid token and after it expires', async () => {
    const { call, token, clock } = setup();
    expect((await call('GET', '/trust/v2/accounts/a1b2c3')).status).toBe(401);
    const issued = await token();
    clock.now = new Date(clock.now.getTime() + 1501_000);
    expect((await call('GET', '/trust/v2/accounts/a1b2c3', { headers: { authorization: `Bearer ${issued}` } })).status).toBe(401);
  });

  it('answers 403 when the client lacks manageTrustSettings or belongs to another subaccount', async () => {
    const { call, token } = setup();
    const reader = { authorization: `Bearer ${await token('trust-reader', 'reader-secret-1')}` };
    expect((await call('GET', '/trust/v2/accounts/a1b2c3', { headers: reader })).status).toBe(200);
    const put = await call('PUT', '/trust/v2/accounts/a1b2c3', { headers: reader, body: trustDocument() });
    expect(put.status).toBe(403);
    expect((put.body as { error_description: string }).error_description).toContain('hcp.manageTrustSettings');
    const foreign = { authorization: `Bearer ${await token('other-admin', 'other-secret-1')}` };
    expect((await call('GET', '/trust/v2/accounts/a1b2c3', { headers: foreign })).status).toBe(403);
  });

  it('answers 404 for an unknown subaccount', async () => {
    const { call, token } = setup();
    expect((await call('GET', '/trust/v2/accounts/unknown9', { headers: { authorization: `Bearer ${await token()}` } })).status).toBe(404);
  });

  it('allows 100 requests per minute per subaccount, then 429 with Retry-After until the minute is over', async () => {
    const { call, token, clock } = setup();
    const auth = { authorization: `Bearer ${await token()}` };
    for (let i = 0; i < 100; i++) expect((await call('GET', '/trust/v2/accounts/a1b2c3', { headers: auth })).status).toBe(200);
    clock.now = new Date(clock.now.getTime() + 20_000);
    const limited = await call('GET', '/trust/v2/accounts/a1b2c3', { headers: auth });
    expect(limited.status).toBe(429);
    expect(limited.body).toBe('Too many requests');
    expect(limited.headers?.['retry-after']).toBe('40');
    const otherAuth = { authorization: `Bearer ${await token('other-admin', 'other-secret-1')}` };
    expect((await call('GET', '/trust/v2/accounts/other1', { headers: otherAuth })).status).toBe(200);
    clock.now = new Date(clock.now.getTime() + 40_000);
    expect((await call('GET', '/trust/v2/accounts/a1b2c3', { headers: auth })).status).toBe(200);
  });

  it('the switch requestsPerMinute reduces one subaccount\'s limit (SAP: it "may be further reduced"), not the others\'', async () => {
    const { service, slice, call, token } = setup();
    expect(service.applySwitches!(slice, 'a1b2c3', { requestsPerMinute: 2 })?.status).toBe(200);
    const auth = { authorization: `Bearer ${await token()}` };
    expect((await call('GET', '/trust/v2/accounts/a1b2c3', { headers: auth })).status).toBe(200);
    expect((await call('GET', '/trust/v2/accounts/a1b2c3', { headers: auth })).status).toBe(200);
    expect((await call('GET', '/trust/v2/accounts/a1b2c3', { headers: auth })).status).toBe(429);
    const otherAuth = { authorization: `Bearer ${await token('other-admin', 'other-secret-1')}` };
    for (let i = 0; i < 3; i++) expect((await call('GET', '/trust/v2/accounts/other1', { headers: otherAuth })).status).toBe(200);
  });

  it('masks client secrets and signing keys when describing the state', async () => {
    const { service, slice, call, token } = setup();
    const doc = trustDocument() as any;
    const sp = makeTestCertificate('https://eu2.hana.ondemand.com/a1b2c3');
    doc.localServiceProvider.signingKey = sp.base64Pkcs8Key;
    doc.localServiceProvider.signingCertificate = sp.base64Der;
    expect((await call('PUT', '/trust/v2/accounts/a1b2c3', { headers: { authorization: `Bearer ${await token()}` }, body: doc })).status).toBe(204);
    const text = JSON.stringify(service.describe(slice));
    expect(text).not.toContain('trust-secret-1');
    expect(text).not.toContain(sp.base64Pkcs8Key);
  });

  it('answers for api.<landscape> and apissecurity.<landscape> hosts only (issue 11: SAP doc and SAP sample disagree)', () => {
    const { service } = setup();
    expect(service.matchHost('api.hana.ondemand.com')).toEqual({ landscape: 'hana.ondemand.com', prefix: 'api' });
    expect(service.matchHost('api.eu2.hana.ondemand.com')).toEqual({ landscape: 'eu2.hana.ondemand.com', prefix: 'api' });
    expect(service.matchHost('apissecurity.eu2.hana.ondemand.com')).toEqual({ landscape: 'eu2.hana.ondemand.com', prefix: 'apissecurity' });
    expect(service.matchHost('apisecurity.eu2.hana.ondemand.com')).toBeUndefined();
    expect(service.matchHost('destination-configuration.cfapps.eu10.hana.ondemand.com')).toBeUndefined();
  });
});

describe('Neo sandbox switches (issue 11)', () => {
  const auth = async (token: () => Promise<string>) => ({ authorization: `Bearer ${await token()}` });

  it('answers 404 for a Default configuration when told to, and the configuration again once it is Custom', async () => {
    const { service, slice, call, token } = setup();
    expect(service.applySwitches!(slice, 'a1b2c3', { notFoundForDefault: true })?.status).toBe(200);
    expect((await call('GET', '/trust/v2/accounts/a1b2c3', { headers: await auth(token) })).status).toBe(404);
    expect((await call('PUT', '/trust/v2/accounts/a1b2c3', { headers: await auth(token), body: trustDocument() })).status).toBe(204);
    expect((await call('GET', '/trust/v2/accounts/a1b2c3', { headers: await auth(token) })).status).toBe(200);
  });

  it('carries out an import and then answers 500, as many times as told', async () => {
    const { service, slice, call, token } = setup();
    service.applySwitches!(slice, 'a1b2c3', { failImportsAfterWrite: 1 });
    const doc = trustDocument();
    expect((await call('PUT', '/trust/v2/accounts/a1b2c3', { headers: await auth(token), body: doc })).status).toBe(500);
    expect(slice.subaccounts['eu2.hana.ondemand.com/a1b2c3'].trust.configurationType).toBe('Custom');
    expect((await call('PUT', '/trust/v2/accounts/a1b2c3', { headers: await auth(token), body: doc })).status).toBe(204);
  });

  it('keeps an import without its last identity provider when told to', async () => {
    const { service, slice, call, token } = setup();
    service.applySwitches!(slice, 'a1b2c3', { dropLastIdentityProviderOnImport: 1 });
    expect((await call('PUT', '/trust/v2/accounts/a1b2c3', { headers: await auth(token), body: trustDocument() })).status).toBe(204);
    expect(slice.subaccounts['eu2.hana.ondemand.com/a1b2c3'].trust.applicationIdentityProviders?.identityProviders).toEqual([]);
  });

  it('refuses unknown switches with 400 and leaves other services their tenants', () => {
    const { service, slice } = setup();
    expect(service.applySwitches!(slice, 'a1b2c3', { retryAfter: false })?.status).toBe(400);
    expect(service.applySwitches!(slice, 'my100001', { noRetryAfter: true })).toBeUndefined();
  });
});

describe('Neo sandbox on apissecurity.<landscape> (SAP migration sample host)', () => {
  it('serves the trust API there but issues no tokens there', async () => {
    const { service, slice, clock, token } = setup();
    const ctx = testContext({ landscape: 'eu2.hana.ondemand.com', prefix: 'apissecurity' }, clock);
    const onSecurityHost = (method: string, path: string, options: { headers?: Record<string, string> } = {}) =>
      service.handle(sandboxRequest(method, 'apissecurity.eu2.hana.ondemand.com', path, options), slice, ctx);
    expect((await onSecurityHost('POST', '/oauth2/apitoken/v1?grant_type=client_credentials', { headers: { authorization: basic('trust-admin', 'trust-secret-1') } })).status).toBe(404);
    expect((await onSecurityHost('GET', '/trust/v2/accounts/a1b2c3', { headers: { authorization: `Bearer ${await token()}` } })).status).toBe(200);
  });
});
