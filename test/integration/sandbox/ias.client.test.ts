import { createIasService } from '../../../sandbox/ias/iasService';
import { adviceFor } from '../../../shared/sap/errorAdvice';
import { SapError } from '../../../shared/sap/errors';
import { ServicePinError } from '../../../shared/sap/http/servicePins';
import { IAS_AUTHENTICATION, authenticationPath } from '../../../shared/sap/ias/applicationSchemas';
import { createIasApplications } from '../../../shared/sap/ias/applications';
import { createIasTokenProvider } from '../../../shared/sap/ias/iasToken';
import { makeTestCertificate } from '../../unit/sandbox/ias.testCertificate';
import { startSandboxFixture, type SandboxFixture } from './ias.sandboxFixture';

const TENANT_HOST = 'onboardtest.accounts.ondemand.com';
const ADMIN = { clientId: 'ias-admin-client', clientSecret: 'ias-admin-secret-42' };
const USERS_ONLY = { clientId: 'ias-users-client', clientSecret: 'ias-users-secret-42' };

let fx: SandboxFixture;

beforeAll(async () => {
  fx = await startSandboxFixture([createIasService()], {
    iasTenants: [
      { tenant: 'onboardtest', clients: [ADMIN, { ...USERS_ONLY, scopes: ['manageUsers'] }] },
      { tenant: 'manyapps', clients: [ADMIN], applications: Array.from({ length: 130 }, (_, i) => ({ name: `seeded app ${i}` })) },
    ],
  });
});

afterAll(async () => {
  await fx.stop();
});

beforeEach(async () => {
  await fx.setFaults([]);
});

function applications(credentials = ADMIN, tenantHost = TENANT_HOST) {
  return createIasApplications({ tenantHost, credentials, options: fx.options });
}

async function caught(promise: Promise<unknown>): Promise<SapError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof SapError) return e;
    throw e;
  }
  throw new Error('expected a SapError');
}

describe('IAS Application Directory client against the sandbox over HTTPS', () => {
  it('creates an application, reads it back by id and by name, patches it and deletes it', async () => {
    const ias = applications();
    const cert = makeTestCertificate('cfapps.eu10.hana.ondemand.com/5a6b7c8d-0000-4000-8000-000000000002');
    const id = await ias.create({
      name: 'cfapps.eu10.hana.ondemand.com/5a6b7c8d',
      description: 'BTP subaccount trust',
      [IAS_AUTHENTICATION]: {
        ssoType: 'saml2',
        saml2Configuration: {
          acsEndpoints: [{ bindingName: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST', location: 'https://sp.example.com/acs', index: 0, isDefault: true }],
          certificatesForSigning: [{ base64Certificate: cert.pem, isDefault: true }],
        },
      },
    });
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    const got = await ias.get(id);
    expect(got.name).toBe('cfapps.eu10.hana.ondemand.com/5a6b7c8d');
    expect(got[IAS_AUTHENTICATION]?.saml2Configuration?.certificatesForSigning?.[0]?.dn).toContain(`CN=${cert.commonName}`);
    expect((await ias.findByName('cfapps.eu10.hana.ondemand.com/5a6b7c8d'))?.id).toBe(id);
    expect(await ias.findByName('no such app')).toBeUndefined();

    await ias.patch(id, [
      { op: 'replace', path: '/description', value: 'updated' },
      { op: 'replace', path: authenticationPath('subjectNameIdentifier'), value: 'mail' },
    ]);
    const patched = await ias.get(id);
    expect(patched.description).toBe('updated');
    expect(patched[IAS_AUTHENTICATION]?.subjectNameIdentifier).toBe('mail');

    await ias.delete(id);
    const gone = await caught(ias.get(id));
    expect(gone.kind).toBe('NotFound');
    expect(gone.sapMessage).toBe('Unable to find application with provided identifier.');
    expect(gone.message).toBe(`Identity Authentication tenant ${TENANT_HOST} has no such object for Applications get: "Unable to find application with provided identifier." (HTTP 404)`);
  });

  it('follows nextCursor through every page', async () => {
    const all = await applications(ADMIN, 'manyapps.accounts.ondemand.com').list();
    expect(all).toHaveLength(130);
    expect(new Set(all.map((a) => a.id)).size).toBe(130);
    const pages = (await fx.requests()).filter((r) => r.host === 'manyapps.accounts.ondemand.com' && r.path.startsWith('/Applications'));
    expect(pages).toHaveLength(2);
  });

  it('fetches one token and reuses it while it is valid', async () => {
    await fx.clearRequests();
    const ias = applications();
    await ias.list();
    await ias.list();
    const tokenCalls = (await fx.requests()).filter((r) => r.host === TENANT_HOST && r.path === '/oauth2/token');
    expect(tokenCalls).toHaveLength(1);
  });

  it('reports a wrong client secret as Unauthorized without the secret', async () => {
    const wrong = { clientId: ADMIN.clientId, clientSecret: 'definitely-wrong-secret' };
    const e = await caught(applications(wrong).list());
    expect(e.kind).toBe('Unauthorized');
    expect(e.status).toBe(401);
    expect(e.operation).toBe('OAuth token');
    expect(JSON.stringify(e)).not.toContain('definitely-wrong-secret');
    expect(e.message).not.toContain('definitely-wrong-secret');
  });

  it('names the stored API client and gives IAS advice when its secret is refused', async () => {
    const connection = { tenantHost: TENANT_HOST, credentials: { clientId: ADMIN.clientId, clientSecret: 'definitely-wrong-secret' }, options: fx.options, credential: 'ias-onboardtest-api-client' };
    const e = await caught(createIasApplications(connection).list());
    expect(e.message).toMatch(new RegExp(`^Identity Authentication tenant ${TENANT_HOST} refused the IAS API client stored as ias-onboardtest-api-client for OAuth token: .* \\(HTTP 401\\)$`));
    expect(adviceFor(e)).toMatch(/Administrators/);
    expect(adviceFor(e)).not.toMatch(/locked|service key/);
    expect(JSON.stringify(e) + e.message + adviceFor(e)).not.toContain('definitely-wrong-secret');
  });

  it('reports a client without manageApp as Forbidden', async () => {
    const e = await caught(applications(USERS_ONLY).list());
    expect(e.kind).toBe('Forbidden');
    expect(e.status).toBe(403);
  });

  it('reports a body IAS refuses as Invalid with SAP message', async () => {
    const e = await caught(applications().create({ name: 'bad', [IAS_AUTHENTICATION]: { saml2Configuration: { digestAlgorithm: 'md5' } } }));
    expect(e.kind).toBe('Invalid');
    expect(e.status).toBe(400);
    expect(e.sapMessage).toBe('Invalid user input.');
  });

  it('retries a 429 on reads honouring Retry-After, and never repeats a create', async () => {
    const ias = applications();
    await ias.list(); // token cached before the fault
    await fx.setFaults([{ host: '^onboardtest\\.', path: '^/Applications', status: 429, errorRate: 1, retryAfterSeconds: 1 }]);
    await fx.clearRequests();
    const started = Date.now();
    const listError = await caught(ias.list());
    expect(listError.kind).toBe('Transient');
    expect(listError.retryAfterMs).toBe(1000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2900);
    const reads = (await fx.requests()).filter((r) => r.method === 'GET');
    expect(reads).toHaveLength(4);

    await fx.clearRequests();
    const createError = await caught(ias.create({ name: 'not twice' }));
    expect(createError.kind).toBe('Transient');
    expect((await fx.requests()).filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('renews the token once when IAS answers 401 to a cached token', async () => {
    const connection = { tenantHost: TENANT_HOST, credentials: ADMIN, options: fx.options };
    const real = createIasTokenProvider(connection);
    let stale = true;
    const ias = createIasApplications(connection, {
      tokens: {
        token: async () => (stale ? 'token-the-tenant-no-longer-knows' : real.token()),
        invalidate: () => {
          stale = false;
          real.invalidate();
        },
      },
    });
    await expect(ias.list()).resolves.toEqual(expect.any(Array));
    expect(stale).toBe(false);
  });

  // Issue 7 item 2: the client secret goes only to an IAS tenant host, so the client refuses any
  // other host when it is built (it used to be the allowlist, at the first call).
  it('refuses a host that is not an IAS tenant before any network call', async () => {
    await fx.clearRequests();
    const e = await caught((async () => applications(ADMIN, 'onboardtest.accounts.evil.example').list())());
    expect(e).toBeInstanceOf(ServicePinError);
    expect(e.sapMessage).toContain('onboardtest.accounts.evil.example is not an IAS tenant host');
    expect(e.sapMessage).toContain('<tenant>.accounts.ondemand.com');
    expect(await fx.requests()).toHaveLength(0);
  });
});
