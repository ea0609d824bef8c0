/**
 * Issue 11's pacing across a restart, over loopback HTTP to devhost and the sandbox: the budget of a
 * subaccount (here reduced to 4 requests per minute on both sides, as SAP says the limit may be) is
 * kept in the table beside the registry (Azurite), so a devhost killed and started again in the middle
 * of an import neither forgets what it spent nor lets a new run overspend it: no 429, and no minute
 * in which SAP saw more than the limit.
 */
import { destroySharedSapAgents } from '../../../shared/sap/http/agent';
import type { TrustDocument } from '../../../shared/neoTrust/trustDocument';
import { makeKeyPairCertificate, seed004Example } from '../../support/neoTrustDocuments';
import { startNeoTrustStack, type NeoTrustStack } from '../../support/neoTrustStack';

jest.setTimeout(300_000);

const LIMIT = 4;
let neo: NeoTrustStack;
let first: TrustDocument;
let second: TrustDocument;

beforeAll(async () => {
  first = seed004Example(1, { sp: makeKeyPairCertificate('https://eu2.hana.ondemand.com/src1'), idp: makeKeyPairCertificate('idp1.accounts.ondemand.com') });
  second = seed004Example(2, { idp: makeKeyPairCertificate('idp2.accounts.ondemand.com') });
  neo = await startNeoTrustStack([{ subaccount: 'src1', trust: first }, { subaccount: 'dst1' }], { devhostEnv: { NEO_TRUST_REQUESTS_PER_MINUTE: String(LIMIT) } });
  await neo.setSwitches('dst1', { requestsPerMinute: LIMIT, noRetryAfter: true });
});

afterAll(async () => {
  await neo?.stop();
  destroySharedSapAgents();
});

async function start(kind: 'exports' | 'imports', body: unknown): Promise<string> {
  const answer = await neo.call('POST', `/api/neo-trust/${kind}`, body);
  if (answer.status !== 202) throw new Error(`POST /api/neo-trust/${kind}: HTTP ${answer.status} ${answer.text}`);
  return answer.body.id;
}

async function ended(kind: 'exports' | 'imports', id: string, timeoutMs = 200_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await neo.call('GET', `/api/neo-trust/${kind}/${id}`);
    if (answer.status === 200 && ['completed', 'failed', 'terminated'].includes(answer.body.status)) return answer.body;
    if (Date.now() > deadline) throw new Error(`${id} did not end: ${answer.text.slice(0, 400)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const toTarget = async () => (await neo.stack.sandboxRequests()).filter((r) => r.path === '/trust/v2/accounts/dst1');

it('a devhost restarted while an import waits for the budget keeps the pace: no 429, never more than the limit in a minute, both runs complete', async () => {
  const exported = await ended('exports', await start('exports', { source: neo.target('src1') }));
  expect(exported.status).toBe('completed');

  // 3 of the 4 requests: backup GET, PUT, read-back GET.
  const one = await ended('imports', await start('imports', { target: neo.target('dst1'), exportId: exported.id }));
  expect(one.status).toBe('completed');

  // The 4th is the next import's backup; its PUT has to wait about a minute, on a durable timer.
  const two = await start('imports', { target: neo.target('dst1'), document: second });
  const deadline = Date.now() + 60_000;
  while ((await toTarget()).length < LIMIT) {
    if (Date.now() > deadline) throw new Error('the second import never read its target');
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 1_000));
  expect(await toTarget()).toHaveLength(LIMIT);

  await neo.stack.restartDevhost();
  // A run the new process starts: without the shared ledger its request would go at once and be refused.
  const three = await start('exports', { source: neo.target('dst1') });

  const [imported, again] = [await ended('imports', two), await ended('exports', three)];
  expect(imported.status).toBe('completed');
  expect(imported.result.readBackEqual).toBe(true);
  expect(again.status).toBe('completed');

  const requests = await toTarget();
  expect(requests.map((r) => r.method)).toEqual(['GET', 'PUT', 'GET', 'GET', expect.any(String), expect.any(String), expect.any(String)]);
  expect(requests.filter((r) => r.status === 429)).toEqual([]);
  const state = await neo.stack.sandboxState();
  expect(state.services.neo['eu2.hana.ondemand.com/dst1'].tooManyRequests).toBe(0);
  const at = requests.map((r) => Date.parse(r.at));
  for (const from of at) expect(at.filter((t) => t >= from && t < from + 60_000).length).toBeLessThanOrEqual(LIMIT);
  // The budget was spent and honoured: the second import's write came a minute after the first import.
  expect(at[4] - at[0]).toBeGreaterThanOrEqual(60_000);
});
