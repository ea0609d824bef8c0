import { createIasService } from '../../../sandbox/ias/iasService';
import type { IasSlice } from '../../../sandbox/ias/iasState';
import { basic, sandboxRequest, testContext } from './ias.sandboxRequest';
import { makeTestCertificate } from './ias.testCertificate';

const AUTH = 'urn:sap:identity:application:schemas:extension:sci:1.0:Authentication';
const HOST = 'mytenant.accounts.ondemand.com';

function setup() {
  const service = createIasService();
  const slice: IasSlice = service.initialState();
  service.seed(slice, {
    iasTenants: [
      {
        tenant: 'mytenant',
        clients: [
          { clientId: 'admin-client', clientSecret: 'admin-secret-1' },
          { clientId: 'users-only', clientSecret: 'users-secret-1', scopes: ['manageUsers'] },
        ],
        admins: [{ user: 'P000001', password: 'admin-password' }],
      },
    ],
  });
  const clock = { now: new Date('2026-03-01T10:00:00.000Z') };
  const ctx = testContext({ tenant: 'mytenant' }, clock);
  const call = async (method: string, path: string, options: { headers?: Record<string, string>; body?: unknown } = {}) =>
    service.handle(sandboxRequest(method, HOST, path, options), slice, ctx);
  const token = async (clientId = 'admin-client', secret = 'admin-secret-1') => {
    const res = await call('POST', '/oauth2/token', {
      headers: { authorization: basic(clientId, secret), 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    return (res.body as { access_token: string }).access_token;
  };
  const authed = async (method: string, path: string, body?: unknown) => call(method, path, { headers: { authorization: `Bearer ${await token()}` }, body });
  const create = async (body: unknown) => {
    const res = await authed('POST', '/Applications/v1/', body);
    return String(res.headers?.location).split('/').pop()!;
  };
  return { service, slice, clock, ctx, call, token, authed, create };
}

describe('IAS sandbox token endpoint', () => {
  it('issues a bearer token for client credentials sent with Basic auth', async () => {
    const { call } = setup();
    const res = await call('POST', '/oauth2/token', {
      headers: { authorization: basic('admin-client', 'admin-secret-1'), 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600 });
  });

  it('accepts client_id and client_secret in the form body', async () => {
    const { call } = setup();
    const res = await call('POST', '/oauth2/token', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=admin-client&client_secret=admin-secret-1',
    });
    expect(res.status).toBe(200);
  });

  it('refuses a wrong secret with 401 invalid_client and an unsupported grant with 400', async () => {
    const { call } = setup();
    const wrong = await call('POST', '/oauth2/token', {
      headers: { authorization: basic('admin-client', 'nope'), 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ error: 'invalid_client' });
    const grant = await call('POST', '/oauth2/token', {
      headers: { authorization: basic('admin-client', 'admin-secret-1'), 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=password',
    });
    expect(grant.status).toBe(400);
    expect(grant.body).toMatchObject({ error: 'unsupported_grant_type' });
  });

  it('keeps only a hash of issued tokens in the state', async () => {
    const { slice, token } = setup();
    const issued = await token();
    expect(JSON.stringify(slice)).not.toContain(issued);
  });
});

describe('IAS sandbox Application Directory', () => {
  it('answers 401 in the IAS error model without credentials, and after the token expires', async () => {
    const { call, token, clock } = setup();
    const none = await call('GET', '/Applications/v1/');
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ error: { code: 401, message: expect.any(String) } });
    const issued = await token();
    clock.now = new Date(clock.now.getTime() + 3601_000);
    const expired = await call('GET', '/Applications/v1/', { headers: { authorization: `Bearer ${issued}` } });
    expect(expired.status).toBe(401);
  });

  it('answers 403 to a client without the manageApp scope', async () => {
    const { call, token } = setup();
    const res = await call('GET', '/Applications/v1/', { headers: { authorization: `Bearer ${await token('users-only', 'users-secret-1')}` } });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: { code: 403 } });
  });

  it('accepts Basic auth with administrator credentials', async () => {
    const { call } = setup();
    const res = await call('GET', '/Applications/v1/', { headers: { authorization: basic('P000001', 'admin-password') } });
    expect(res.status).toBe(200);
  });

  it('creates with 201, an empty body and a Location, and fills the defaults IAS fills', async () => {
    const { authed, clock } = setup();
    const res = await authed('POST', '/Applications/v1/', { id: '', name: 'SAML2 - Test App', [AUTH]: { ssoType: 'saml2', assertionAttributes: null } });
    expect(res.status).toBe(201);
    expect(res.body).toBe('');
    expect(res.headers?.location).toMatch(/^\/Applications\/v1\/[0-9a-f-]{36}$/);
    const id = String(res.headers?.location).split('/').pop();
    const got = await authed('GET', `/Applications/v1/${id}`);
    const app = got.body as Record<string, any>;
    expect(app.id).toBe(id);
    expect(app.meta).toMatchObject({ created: clock.now.toISOString(), location: `https://${HOST}/Applications/v1/${id}`, type: 'charged', version: '1' });
    expect(app[AUTH].subjectNameIdentifier).toBe('uid');
    expect(app[AUTH].clientId).toMatch(/^[0-9a-f-]{36}$/);
    expect(app[AUTH].assertionAttributes.map((a: any) => a.assertionAttributeName)).toEqual(['first_name', 'last_name', 'mail', 'user_uuid', 'locale']);
    expect(app[AUTH].saml2Configuration.digestAlgorithm).toBe('sha256');
  });

  it('keeps given assertion attributes and marks them not inherited', async () => {
    const { authed, create } = setup();
    const id = await create({ name: 'a', [AUTH]: { assertionAttributes: [{ assertionAttributeName: 'param1', userAttributeName: 'firstName' }] } });
    const app = (await authed('GET', `/Applications/v1/${id}`)).body as Record<string, any>;
    expect(app[AUTH].assertionAttributes).toEqual([{ assertionAttributeName: 'param1', userAttributeName: 'firstName', inherited: false }]);
  });

  it('reads uploaded signing certificates and refuses what is not a certificate', async () => {
    const { authed, create } = setup();
    const cert = makeTestCertificate('sp.example.test');
    const id = await create({ name: 'c', [AUTH]: { saml2Configuration: { certificatesForSigning: [{ base64Certificate: cert.pem, isDefault: true }] } } });
    const app = (await authed('GET', `/Applications/v1/${id}`)).body as Record<string, any>;
    expect(app[AUTH].saml2Configuration.certificatesForSigning[0]).toEqual({
      dn: 'CN=sp.example.test,OU=CP Destination Configuration,O=SAP',
      base64Certificate: cert.pem,
      validFrom: '2025-01-01T00:00:00Z',
      validTo: '2027-01-01T00:00:00Z',
      isDefault: true,
    });
    const bad = await authed('POST', '/Applications/v1/', { name: 'd', [AUTH]: { saml2Configuration: { certificatesForSigning: [{ base64Certificate: '-----BEGIN CERTIFICATE-----\nredacted\n-----END CERTIFICATE-----', isDefault: true }] } } });
    expect(bad.status).toBe(400);
    expect((bad.body as any).error.details[0].target).toContain('certificatesForSigning[0].base64Certificate');
  });

  it('answers 400 naming each bad field', async () => {
    const { authed } = setup();
    const res = await authed('POST', '/Applications/v1/', { name: 'x'.repeat(256), [AUTH]: { saml2Configuration: { digestAlgorithm: 'md5' } } });
    expect(res.status).toBe(400);
    const targets = (res.body as any).error.details.map((d: any) => d.target);
    expect(targets).toEqual(expect.arrayContaining(['name', `${AUTH}.saml2Configuration.digestAlgorithm`]));
    const notJson = await authed('POST', '/Applications/v1/', '{oops');
    expect(notJson.status).toBe(400);
  });

  it('answers 404 with the recorded message for an unknown id', async () => {
    const { authed } = setup();
    const res = await authed('GET', '/Applications/v1/00000000-0000-0000-0000-000000000000');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: 404, message: 'Unable to find application with provided identifier.' } });
  });

  it('applies the recorded PATCH operations and answers 200 with an empty body', async () => {
    const { authed, create, clock } = setup();
    const id = await create({ name: 'SAML2 - Test App', [AUTH]: { saml2Configuration: { acsEndpoints: [{ bindingName: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST', location: 'https://test.1.com', index: 1, isDefault: true }] } } });
    clock.now = new Date(clock.now.getTime() + 2000);
    const res = await authed('PATCH', `/Applications/v1/${id}`, {
      operations: [
        { op: 'replace', path: '/name', value: 'SAML2 - Updated Test App' },
        { op: 'replace', path: `/${AUTH}/saml2Configuration/acsEndpoints`, value: [{ bindingName: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST', location: 'https://test.1.com', index: 1 }, { bindingName: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect', location: 'https://test.2.com', index: 2, isDefault: true }] },
        { op: 'add', path: `/${AUTH}/assertionAttributes/0`, value: { assertionAttributeName: 'login_name', userAttributeName: 'loginName' } },
        { op: 'remove', path: `/${AUTH}/assertionAttributes/1` },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    const app = (await authed('GET', `/Applications/v1/${id}`)).body as Record<string, any>;
    expect(app.name).toBe('SAML2 - Updated Test App');
    expect(app[AUTH].saml2Configuration.acsEndpoints.map((a: any) => a.isDefault)).toEqual([false, true]);
    expect(app[AUTH].assertionAttributes.map((a: any) => a.assertionAttributeName)).toEqual(['login_name', 'last_name', 'mail', 'user_uuid', 'locale']);
    expect(app.meta.lastModified).toBe(clock.now.toISOString());
    expect(app.meta.created).not.toBe(app.meta.lastModified);
  });

  it('refuses PATCH of read-only or missing paths with 400 and leaves the application unchanged', async () => {
    const { authed, create } = setup();
    const id = await create({ name: 'keep' });
    for (const operations of [
      [{ op: 'replace', path: '/id', value: 'x' }],
      [{ op: 'remove', path: '/description' }],
      [{ op: 'add', path: `/${AUTH}/assertionAttributes/9`, value: { assertionAttributeName: 'a', userAttributeName: 'b' } }],
      [{ op: 'replace', path: '/name', value: 'changed' }, { op: 'move', path: '/name' }],
    ]) {
      const res = await authed('PATCH', `/Applications/v1/${id}`, { operations });
      expect(res.status).toBe(400);
    }
    expect(((await authed('GET', `/Applications/v1/${id}`)).body as any).name).toBe('keep');
  });

  it('lists by name filter and pages with nextCursor until the last page', async () => {
    const { authed, create } = setup();
    const ids = [] as string[];
    for (let i = 0; i < 5; i++) ids.push(await create({ name: i === 3 ? 'Target App' : `app ${i}` }));
    const filtered = (await authed('GET', `/Applications/v1/?filter=${encodeURIComponent('name eq Target App')}`)).body as any;
    expect(filtered.applications.map((a: any) => a.id)).toEqual([ids[3]]);
    expect(filtered.totalResults).toBe(1);
    expect(filtered).not.toHaveProperty('nextCursor');

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = (await authed('GET', `/Applications/v1/?limit=2${cursor ? `&cursor=${cursor}` : ''}`)).body as any;
      expect(page.itemsPerPage).toBe(page.applications.length);
      expect(page.totalResults).toBe(5);
      seen.push(...page.applications.map((a: any) => a.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].sort());
  });

  it('refuses bad list parameters with 400', async () => {
    const { authed } = setup();
    expect((await authed('GET', '/Applications/v1/?limit=0')).status).toBe(400);
    expect((await authed('GET', '/Applications/v1/?limit=101')).status).toBe(400);
    expect((await authed('GET', '/Applications/v1/?filter=name%20like%20x')).status).toBe(400);
    expect((await authed('GET', '/Applications/v1/?cursor=abc')).status).toBe(400);
  });

  it('replaces everything on PUT but keeps id, clientId and creation', async () => {
    const { authed, create } = setup();
    const id = await create({ name: 'before', description: 'gone after PUT' });
    const before = (await authed('GET', `/Applications/v1/${id}`)).body as any;
    const res = await authed('PUT', `/Applications/v1/${id}`, { name: 'after' });
    expect(res.status).toBe(200);
    const after = (await authed('GET', `/Applications/v1/${id}`)).body as any;
    expect(after.name).toBe('after');
    expect(after).not.toHaveProperty('description');
    expect(after[AUTH].clientId).toBe(before[AUTH].clientId);
    expect(after.meta.created).toBe(before.meta.created);
  });

  it('deletes with 200, after which the application is not found', async () => {
    const { authed, create } = setup();
    const id = await create({ name: 'short-lived' });
    expect((await authed('DELETE', `/Applications/v1/${id}`)).status).toBe(200);
    expect((await authed('GET', `/Applications/v1/${id}`)).status).toBe(404);
    expect((await authed('DELETE', `/Applications/v1/${id}`)).status).toBe(404);
  });

  it('masks secrets when describing the state', () => {
    const { service, slice } = setup();
    const text = JSON.stringify(service.describe(slice));
    expect(text).not.toContain('admin-secret-1');
    expect(text).not.toContain('admin-password');
    expect(text).toContain('admin-client');
  });

  it('answers only for IAS tenant hosts', () => {
    const { service } = setup();
    expect(service.matchHost('mytenant.accounts.ondemand.com')).toEqual({ tenant: 'mytenant' });
    expect(service.matchHost('mytenant.accounts.cloud.sap')).toEqual({ tenant: 'mytenant' });
    expect(service.matchHost('api.hana.ondemand.com')).toBeUndefined();
  });
});
