import { createNeoService } from '../../../sandbox/neo/neoService';
import { adviceFor } from '../../../shared/sap/errorAdvice';
import { SapError } from '../../../shared/sap/errors';
import { createNeoTokenProvider } from '../../../shared/sap/neo/neoToken';
import type { NeoTrustConfiguration } from '../../../shared/sap/neo/trustConfiguration';
import { createNeoTrustManagement } from '../../../shared/sap/neo/trustManagement';
import { makeTestCertificate } from '../../unit/sandbox/ias.testCertificate';
import { startSandboxFixture, type SandboxFixture } from './ias.sandboxFixture';

const LANDSCAPE = 'eu2.hana.ondemand.com';
const ADMIN = { clientId: 'neo-trust-admin', clientSecret: 'neo-admin-secret-77' };
const READER = { clientId: 'neo-trust-reader', clientSecret: 'neo-reader-secret-77' };
const LIMITED = { clientId: 'neo-limited-admin', clientSecret: 'neo-limited-secret-77' };
const RETRY = { clientId: 'neo-retry-admin', clientSecret: 'neo-retry-secret-77' };

let fx: SandboxFixture;

beforeAll(async () => {
  fx = await startSandboxFixture([createNeoService({ requestsPerMinute: 5 })], {
    neoSubaccounts: [
      { landscape: LANDSCAPE, subaccount: 'a1b2c3', clients: [ADMIN, { ...READER, scopes: ['readTrustSettings'] }] },
      { landscape: LANDSCAPE, subaccount: 'limited1', clients: [LIMITED] },
      { landscape: LANDSCAPE, subaccount: 'retry1', clients: [RETRY] },
    ],
  });
});

afterAll(async () => {
  await fx.stop();
});

beforeEach(async () => {
  await fx.setFaults([]);
});

function trust(credentials = ADMIN) {
  return createNeoTrustManagement({ landscapeHost: LANDSCAPE, credentials, options: fx.options });
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

function destinationTrust(): NeoTrustConfiguration {
  const cert = makeTestCertificate('cfapps.eu10.hana.ondemand.com/9f8e7d6c-0000-4000-8000-000000000003');
  return {
    configurationType: 'Default',
    applicationIdentityProviders: {
      identityProviders: [
        {
          name: cert.commonName,
          enabled: 'true',
          userIdSource: { type: 'subject', value: '' },
          signatureAlgorithm: 'SHA-256',
          signingCertificate: cert.base64Der,
          onlyForIdpInitiatedSSO: 'true',
          onlyForOAuthSAMLBearerFlow: 'false',
        },
      ],
    },
  };
}

describe('Neo Trust Management client against the sandbox over HTTPS', () => {
  it('gets a token carrying the client scopes', async () => {
    const tokens = createNeoTokenProvider({ landscapeHost: LANDSCAPE, credentials: READER, options: fx.options });
    expect(await tokens.token()).toMatch(/^[0-9a-f]{32}$/);
    expect(tokens.scopes()).toEqual(['hcp.readTrustSettings']);
  });

  it('exports, imports (overwriting) and exports again', async () => {
    const neo = trust();
    expect((await neo.exportTrust('a1b2c3')).configurationType).toBe('Default');
    const wanted = destinationTrust();
    await neo.importTrust('a1b2c3', wanted);
    expect(await neo.exportTrust('a1b2c3')).toEqual(wanted);
  });

  it('reports bad platform client credentials as Unauthorized without the secret', async () => {
    const e = await caught(trust({ clientId: ADMIN.clientId, clientSecret: 'not-the-neo-secret' }).exportTrust('a1b2c3'));
    expect(e.kind).toBe('Unauthorized');
    expect(e.operation).toBe('Platform API token');
    expect(JSON.stringify(e)).not.toContain('not-the-neo-secret');
  });

  it('names the stored platform API client and gives Neo advice when its credentials are refused', async () => {
    const connection = { landscapeHost: LANDSCAPE, credentials: { clientId: ADMIN.clientId, clientSecret: 'not-the-neo-secret' }, options: fx.options, credential: 'neo-a1b2c3-platform-client' };
    const e = await caught(createNeoTrustManagement(connection).exportTrust('a1b2c3'));
    expect(e.message).toMatch(/^Neo platform API api\.eu2\.hana\.ondemand\.com refused the Neo platform API client stored as neo-a1b2c3-platform-client for Platform API token: .* \(HTTP 401\)$/);
    expect(adviceFor(e)).toContain('Platform API Clients');
    expect(adviceFor(e)).not.toMatch(/locked|service key/);
    expect(JSON.stringify(e) + e.message + adviceFor(e)).not.toContain('not-the-neo-secret');
  });

  it('reports an import without manageTrustSettings as Forbidden with SAP message', async () => {
    const e = await caught(trust(READER).importTrust('a1b2c3', destinationTrust()));
    expect(e.kind).toBe('Forbidden');
    expect(e.sapMessage).toContain('hcp.manageTrustSettings');
  });

  it('reports an unknown subaccount as NotFound', async () => {
    const e = await caught(trust().exportTrust('nosuch1'));
    expect(e.kind).toBe('NotFound');
    expect(e.status).toBe(404);
  });

  it('reports a configuration Neo refuses as Invalid naming the field', async () => {
    const doc = destinationTrust();
    doc.applicationIdentityProviders!.identityProviders[0].signingCertificate = makeTestCertificate().pem;
    const e = await caught(trust().importTrust('a1b2c3', doc));
    expect(e.kind).toBe('Invalid');
    expect(e.status).toBe(400);
    expect(e.sapMessage).toContain('identityProviders[0].signingCertificate');
  });

  it('refuses to send a document that is not a trust configuration', async () => {
    await fx.clearRequests();
    const e = await caught(trust().importTrust('a1b2c3', { configurationType: 'Sometimes' } as unknown as NeoTrustConfiguration));
    expect(e.kind).toBe('Invalid');
    expect(e.sapMessage).toContain('configurationType');
    expect((await fx.requests()).filter((r) => r.method === 'PUT')).toHaveLength(0);
  });

  it('stops at the rate limit with Transient carrying Retry-After when the wait is longer than the client waits', async () => {
    const neo = trust(LIMITED);
    for (let i = 0; i < 5; i++) await neo.exportTrust('limited1');
    const e = await caught(neo.exportTrust('limited1'));
    expect(e.kind).toBe('Transient');
    expect(e.status).toBe(429);
    expect(e.sapMessage).toBe('Too many requests');
    expect(e.retryAfterMs).toBeGreaterThan(10_000);
  });

  it('repeats an import after a 429, since a full overwrite is safe to repeat', async () => {
    const neo = trust(RETRY);
    await neo.exportTrust('retry1'); // token cached before the fault
    await fx.setFaults([{ host: '^api\\.eu2\\.', method: 'PUT', status: 429, errorRate: 1, retryAfterSeconds: 0 }]);
    await fx.clearRequests();
    const e = await caught(neo.importTrust('retry1', destinationTrust()));
    expect(e.kind).toBe('Transient');
    expect((await fx.requests()).filter((r) => r.method === 'PUT')).toHaveLength(4);
  });
});
