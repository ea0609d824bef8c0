/**
 * Issue 11, item 6: the trust API host is a setting (SAP's doc: api.<host>; SAP's migration sample:
 * apissecurity.<host>) and the sandbox answers on both; 429 comes without Retry-After when the
 * sandbox is told to behave as SAP documents; one attempt per call when the caller paces itself.
 */
import { createNeoService } from '../../../sandbox/neo/neoService';
import { SapError } from '../../../shared/sap/errors';
import { createNeoTrustManagement } from '../../../shared/sap/neo/trustManagement';
import { startSandboxFixture, type SandboxFixture } from './ias.sandboxFixture';

const LANDSCAPE = 'eu2.hana.ondemand.com';
const CLIENT = { clientId: 'neo-host-admin', clientSecret: 'neo-host-secret-11' };
const PACED = { clientId: 'neo-paced-admin', clientSecret: 'neo-paced-secret-11' };

let fx: SandboxFixture;

beforeAll(async () => {
  fx = await startSandboxFixture([createNeoService({ requestsPerMinute: 3 })], {
    neoSubaccounts: [
      { landscape: LANDSCAPE, subaccount: 'host1', clients: [CLIENT] },
      { landscape: LANDSCAPE, subaccount: 'paced1', clients: [PACED] },
    ],
  });
});

afterAll(async () => {
  await fx.stop();
});

async function caught(promise: Promise<unknown>): Promise<SapError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof SapError) return e;
    throw e;
  }
  throw new Error('expected a SapError');
}

async function switches(subaccount: string, body: Record<string, unknown>) {
  const res = await fetch(`${fx.sandbox.adminUrl}/tenants/${subaccount}/switches`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
}

describe('the Neo trust API host', () => {
  it.each(['api', 'apissecurity'] as const)('exports through %s.<landscape>, with the token from api.<landscape>', async (prefix) => {
    await fx.clearRequests();
    const neo = createNeoTrustManagement({ landscapeHost: LANDSCAPE, credentials: CLIENT, options: fx.options, trustHostPrefix: prefix });
    expect(neo.host).toBe(`${prefix}.${LANDSCAPE}`);
    expect((await neo.exportTrust('host1')).configurationType).toBe('Default');
    const hosts = (await fx.requests()).map((r) => `${r.method} ${r.host}${r.path}`);
    expect(hosts).toEqual([`POST api.${LANDSCAPE}/oauth2/apitoken/v1`, `GET ${prefix}.${LANDSCAPE}/trust/v2/accounts/host1`]);
  });
});

describe('429 as SAP documents it', () => {
  it('comes without Retry-After when the switch says so, and a one-attempt client does not repeat it', async () => {
    await switches('paced1', { noRetryAfter: true });
    const neo = createNeoTrustManagement({ landscapeHost: LANDSCAPE, credentials: PACED, options: fx.options, retry: { maxAttempts: 1 } });
    for (let i = 0; i < 3; i++) await neo.exportTrust('paced1');
    await fx.clearRequests();
    const e = await caught(neo.exportTrust('paced1'));
    expect(e.kind).toBe('Transient');
    expect(e.status).toBe(429);
    expect(e.retryAfterMs).toBeUndefined();
    expect((await fx.requests()).filter((r) => r.path === '/trust/v2/accounts/paced1')).toHaveLength(1);
  });
});
