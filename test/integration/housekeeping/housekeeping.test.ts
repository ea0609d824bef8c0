/**
 * Issue 12, housekeeping, on devhost + sandbox: the purgeHistory timer removes ended runs older than
 * DURABLE_HISTORY_RETENTION_DAYS but keeps the latest run of each target (the run API, the CLI and the
 * next run number read it); PUT /api/credentials/{name} does not overwrite a secret the product did
 * not store unless the caller asks for it.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { destroySharedSapAgents } from '../../../shared/sap/http/agent';
import { startOnboardingStack, type OnboardingStack } from '../../support/onboardingStack';

jest.setTimeout(240_000);

/** 3 seconds: runs that ended before the pause are "old". */
const RETENTION_DAYS = 3 / 86_400;

let stack: OnboardingStack;

beforeAll(async () => {
  stack = await startOnboardingStack({ landscapes: 2, devhostEnv: { DURABLE_HISTORY_RETENTION_DAYS: String(RETENTION_DAYS) } });
});

afterAll(async () => {
  destroySharedSapAgents();
  await stack?.stop();
});

const instanceIds = async (): Promise<string[]> => {
  const answer = await stack.api('GET', '/runtime/webhooks/durabletask/instances', undefined, { key: stack.masterKey });
  expect(answer.status).toBe(200);
  return (answer.body as { instanceId: string }[]).map((i) => i.instanceId).sort();
};

async function firePurge(): Promise<void> {
  const before = (stack.devhostOutput().match(/history purge: removed/g) ?? []).length;
  expect((await stack.api('POST', '/admin/functions/purgeHistory', { input: '' }, { key: stack.masterKey })).status).toBe(202);
  const deadline = Date.now() + 30_000;
  while ((stack.devhostOutput().match(/history purge: removed/g) ?? []).length === before) {
    if (Date.now() > deadline) throw new Error(`the purge did not report within 30 s:\n${stack.devhostOutput().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('the durable history purge', () => {
  it('removes old ended runs and plans, keeps the latest run of each target and every recent one', async () => {
    const [a, b] = stack.landscapes;
    const a1 = await stack.onboard(a.request());
    const a2 = await stack.onboard(a.request());
    const plan = await stack.api('POST', '/api/onboardings/plans', a.request());
    expect(plan.status).toBe(200);
    const b1 = await stack.onboard(b.request());
    expect([a1.status, a2.status, b1.status]).toEqual(['completed', 'completed', 'completed']);
    expect(await instanceIds()).toEqual([a1.id, a2.id, b1.id, plan.body.id].sort());

    await new Promise((r) => setTimeout(r, RETENTION_DAYS * 86_400_000 + 1000));
    const a3 = await stack.onboard(a.request()); // recent: kept, and now the latest of a
    await firePurge();

    expect(await instanceIds()).toEqual([a3.id, b1.id].sort());
    expect(stack.devhostOutput()).toMatch(/history purge: removed 3 of 5 instances/);
    // What the purge kept still answers, and the run numbers go on.
    expect((await stack.get(b1.id)).status).toBe('completed');
    const a4 = await stack.onboard(a.request());
    expect(a4.id).toBe(a3.id.replace(/-r3$/, '-r4'));
  });
});

describe('PUT /api/credentials/{name} and secrets the product did not store', () => {
  const name = 'shared-vault-other-app-secret';
  const foreignValue = 'value-of-another-application-1234567890';
  const secretFile = () => path.join(stack.dataDir, 'secrets', `${name}.json`);

  beforeAll(() => {
    // Another application's secret in the same store: no managed-by tag.
    mkdirSync(path.dirname(secretFile()), { recursive: true });
    const now = new Date().toISOString();
    writeFileSync(secretFile(), JSON.stringify({ name, value: foreignValue, contentType: 'text/plain', tags: { owner: 'payroll' }, createdOn: now, updatedOn: now }), { mode: 0o600 });
  });

  const put = (query = '') => stack.api('PUT', `/api/credentials/${name}${query}`, { value: { user: 'COMM_USER', password: 'Another-Passw0rd-For-The-Test' } });

  it('refuses to overwrite it with 409, says how to go on, and leaves the value as it was', async () => {
    const answer = await put();
    expect(answer.status).toBe(409);
    expect(answer.body.error).toContain('was not stored by this product');
    expect(answer.body.error).toContain('?overwrite=true');
    expect(answer.text).not.toContain(foreignValue);
    expect(JSON.parse(readFileSync(secretFile(), 'utf8')).value).toBe(foreignValue);
  });

  it('names a bad overwrite value as a field error', async () => {
    const answer = await put('?overwrite=yes');
    expect(answer.status).toBe(400);
    expect(answer.body.fields).toEqual([{ field: 'overwrite', message: 'must be true or false' }]);
  });

  it('overwrites it when the caller asks explicitly, and the product owns it from then on', async () => {
    expect((await put('?overwrite=true')).status).toBe(204);
    const stored = JSON.parse(readFileSync(secretFile(), 'utf8'));
    expect(stored.value).not.toBe(foreignValue);
    expect(stored.tags['managed-by']).toBe('sap-trust-onboarding');
    expect((await put()).status).toBe(204);
  });

  it('stores a new credential and replaces one it stored itself without being asked', async () => {
    expect((await stack.api('PUT', '/api/credentials/brand-new-credential', { value: 'x'.repeat(20) })).status).toBe(204);
    expect((await stack.api('PUT', '/api/credentials/brand-new-credential', { value: 'y'.repeat(20) })).status).toBe(204);
  });
});
