/**
 * Issue 9, "Done when", the certificate check: three tenants onboarded on devhost with the sandbox and
 * Azurite, then, as an administrator's day goes: the timer's first check (all ok), one check per day
 * under the day's fixed id (409 for a second start, again only on an explicit recheck),
 * a rotation made elsewhere (mismatch) and a certificate near its end (expiring) found with the alert on
 * the Slack webhook, a corrupt registry row skipped, the report, and a devhost restart that keeps it all.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { destroySharedSapAgents } from '../../../shared/sap/http/agent';
import { tableClient, tableConnectionFromEnv } from '../../../shared/registry';
import { startOnboardingStack, type OnboardingStack } from '../../support/onboardingStack';
import { adminDestinations } from '../onboarding/adminActions';

jest.setTimeout(300_000);

const WEBHOOK_SECRET = 'alert-webhook';
const WEBHOOK_TOKEN = 'q9Xw2LkTokenNotForLogs';
const WEBHOOK_URL = `https://hooks.slack.com/services/T0TEST/B0TEST/${WEBHOOK_TOKEN}`;
const TEN_DAYS = 10 * 86_400;
const today = () => new Date().toISOString().slice(0, 10);

let stack: OnboardingStack;

async function waitForCheck(id: string, timeoutMs = 120_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await stack.api('GET', `/api/certificate-checks/${encodeURIComponent(id)}`);
    if (answer.status === 200) return answer.body;
    if (answer.status !== 202) throw new Error(`GET check ${id}: HTTP ${answer.status} ${answer.text}`);
    if (Date.now() > deadline) throw new Error(`check ${id} still ${answer.body.status}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The day's check has run already: every further check of the day asks for it. */
async function runCheck(body: Record<string, unknown> = {}): Promise<any> {
  const started = await stack.api('POST', '/api/certificate-checks', { recheck: true, ...body });
  expect(started.status).toBe(202);
  return waitForCheck(started.body.id);
}

async function webhookPosts(): Promise<any[]> {
  const res = await fetch(`${stack.sandbox.adminUrl}/webhooks`);
  return ((await res.json()) as { posts: any[] }).posts;
}

beforeAll(async () => {
  stack = await startOnboardingStack({
    landscapes: [{}, {}, { trustCertificateValiditySeconds: TEN_DAYS }],
    devhostEnv: { ALERT_WEBHOOK_SECRET: WEBHOOK_SECRET, CERTIFICATE_CHECK_CONCURRENCY: '2', CERTIFICATE_CHECK_BATCH_SIZE: '1' },
  });
  for (const l of stack.landscapes) {
    const view = await stack.onboard(l.request());
    expect(view.status).toBe('completed');
  }
  const stored = await stack.api('PUT', `/api/credentials/${WEBHOOK_SECRET}`, { value: WEBHOOK_URL });
  expect(stored.status).toBe(204);
});

afterAll(async () => {
  destroySharedSapAgents();
  await stack?.stop();
});

describe('the certificate check', () => {
  let firstId: string;

  it('is started by its timer in devhost, and a fresh landscape is all ok except the certificate that ends in 10 days', async () => {
    const admin = await fetch(`${stack.devhostUrl}/admin/functions/certificateCheckTimer`, {
      method: 'POST',
      headers: { 'x-functions-key': stack.masterKey, 'content-type': 'application/json' },
      body: JSON.stringify({ input: '' }),
    });
    expect(admin.status).toBe(202);
    let runs: any[] = [];
    for (let i = 0; i < 100 && runs.length === 0; i++) {
      runs = (await stack.api('GET', '/api/certificate-checks')).body.items;
      if (runs.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(runs.map((r) => r.id)).toEqual([`certcheck-${today()}`]);
    firstId = runs[0].id;
    const done = await waitForCheck(firstId);
    expect(done.status).toBe('completed');
    expect(done.result.tenants).toBe(3);
    expect(done.result.counts).toEqual({ ok: 2, expiring: 1, mismatch: 0, unreachable: 0 });
    const [expiring] = done.result.findings;
    expect(expiring).toMatchObject({ tenantHost: stack.landscapes[2].s4Host, subaccountId: stack.landscapes[2].subaccountId, status: 'expiring' });
    expect(expiring.daysLeft).toBeGreaterThanOrEqual(9);
    expect(expiring.daysLeft).toBeLessThanOrEqual(10);
    // Every tenant's result is in the registry.
    for (const l of stack.landscapes) {
      const record = await stack.registry.get(l.s4Host, l.subaccountId);
      expect(record?.lastCheck?.status).toBe(l === stack.landscapes[2] ? 'expiring' : 'ok');
    }
  });

  it('fires once a day: the timer again the same day starts nothing', async () => {
    const admin = await fetch(`${stack.devhostUrl}/admin/functions/certificateCheckTimer`, { method: 'POST', headers: { 'x-functions-key': stack.masterKey }, body: JSON.stringify({ input: '' }) });
    expect(admin.status).toBe(202);
    await new Promise((r) => setTimeout(r, 1500));
    const runs = (await stack.api('GET', '/api/certificate-checks')).body.items;
    expect(runs.map((r: any) => r.id)).toEqual([firstId]);
  });

  it('sends the alert to the Slack webhook: subaccount, tenant, days left and what to do, and no secret', async () => {
    const posts = await webhookPosts();
    expect(posts).toHaveLength(1);
    const [post] = posts;
    expect(post.host).toBe('hooks.slack.com');
    expect(post.contentType).toMatch(/application\/json/);
    const text: string = post.body.text;
    const l = stack.landscapes[2];
    expect(text).toContain(l.subaccountId);
    expect(text).toContain(l.s4Host);
    expect(text).toMatch(/(9|10) days left/);
    expect(text).toMatch(/What to do: Rotate the trust certificate/);
    for (const secret of [WEBHOOK_TOKEN, l.serviceKey.clientsecret, l.bootstrapUser.password]) expect(text).not.toContain(secret);
    expect(post.path).not.toContain(WEBHOOK_TOKEN);
    // The custom event went to the app's log, per subaccount.
    expect(stack.devhostOutput()).toContain('SapTrustCertificateAlert');
    expect(stack.devhostOutput()).not.toContain(WEBHOOK_TOKEN);
  });

  it("answers 409 with the day's check to a second POST the same day, and starts nothing", async () => {
    const second = await stack.api('POST', '/api/certificate-checks', {});
    expect(second.status).toBe(409);
    expect(second.body.id).toBe(firstId);
    expect(second.body.statusUrl).toMatch(new RegExp(`/api/certificate-checks/${firstId}$`));
    expect(second.body.error).toMatch(/has already run \(completed\).*\{"recheck": true\}/);
    const runs = (await stack.api('GET', '/api/certificate-checks')).body.items;
    expect(runs.map((r: any) => [r.id, r.status])).toEqual([[firstId, 'completed']]);
  });

  it('checks again the same day only on an explicit recheck, under the same id, and never twice at once', async () => {
    const before = await stack.api('GET', `/api/certificate-checks/${firstId}`);
    await stack.setLatency(400);
    try {
      const again = await stack.api('POST', '/api/certificate-checks', { recheck: true });
      expect(again.status).toBe(202);
      expect(again.body.id).toBe(firstId);
      for (const body of [{}, { recheck: true }]) {
        const meanwhile = await stack.api('POST', '/api/certificate-checks', body);
        expect(meanwhile.status).toBe(409);
        expect(meanwhile.body.id).toBe(firstId);
        expect(meanwhile.body.error).toMatch(/still running/);
      }
      // The timer, fired again while it runs, starts nothing either.
      const timer = await fetch(`${stack.devhostUrl}/admin/functions/certificateCheckTimer`, { method: 'POST', headers: { 'x-functions-key': stack.masterKey }, body: JSON.stringify({ input: '' }) });
      expect(timer.status).toBe(202);
      const done = await waitForCheck(firstId);
      expect(done.status).toBe('completed');
      // A new run under the same id: checked later than the first (createdAt keeps whole seconds only).
      expect(done.createdAt >= before.body.createdAt).toBe(true);
      expect(Date.parse(done.result.checkedAt)).toBeGreaterThan(Date.parse(before.body.result.checkedAt));
      expect(done.result.counts).toEqual({ ok: 2, expiring: 1, mismatch: 0, unreachable: 0 });
      expect((await stack.api('GET', '/api/certificate-checks')).body.items.map((r: any) => r.id)).toEqual([firstId]);
    } finally {
      await stack.setLatency(0);
    }
  });

  it('finds the mismatch after a rotation made through the Destination API, and alerts with the repair', async () => {
    const l = stack.landscapes[1];
    const destinations = adminDestinations(stack, l);
    await destinations.generatePassiveCertificate();
    await destinations.rotateCertificate();
    const before = (await webhookPosts()).length;
    const done = await runCheck();
    expect(done.result.counts).toEqual({ ok: 1, expiring: 1, mismatch: 1, unreachable: 0 });
    const mismatch = done.result.findings.find((f: any) => f.status === 'mismatch');
    // S/4 still holds the certificate that is now the passive one.
    expect(mismatch).toMatchObject({ tenantHost: l.s4Host, subaccountId: l.subaccountId });
    expect(mismatch.detail).toMatch(/passive certificate/);
    expect(mismatch.fix).toMatch(/POST \/api\/repairs/);
    expect((await stack.registry.get(l.s4Host, l.subaccountId))?.lastCheck?.status).toBe('mismatch');
    const posts = await webhookPosts();
    expect(posts).toHaveLength(before + 1);
    expect(posts[posts.length - 1].body.text).toContain(`${l.s4Host}: mismatch`);
  });

  it('reports and skips a corrupt registry row; the other tenants are still checked', async () => {
    const client = tableClient(tableConnectionFromEnv({ AzureWebJobsStorage: stack.azurite.connectionString }).connection!, 'TenantRegistry');
    await client.createEntity({ partitionKey: 'broken-subaccount', rowKey: 'my999999-api.s4hana.ondemand.com', tenantHost: 'my999999-api.s4hana.ondemand.com' });
    try {
      const done = await runCheck();
      expect(done.status).toBe('completed');
      expect(done.result.tenants).toBe(3);
      expect(done.result.skipped).toEqual([expect.objectContaining({ where: expect.stringContaining("PartitionKey 'broken-subaccount'"), problem: expect.stringContaining('subaccountId') })]);
      const listStep = done.steps.find((s: any) => s.id === 'listRegistry');
      expect(listStep.warnings.join(' ')).toMatch(/corrupt registry row/);
    } finally {
      await client.deleteEntity('broken-subaccount', 'my999999-api.s4hana.ondemand.com');
    }
  });

  it('refuses a webhook host outside ALERT_WEBHOOK_HOSTS: nothing is sent, and the check says which host and what to do', async () => {
    const evil = 'https://hooks.slack.com.attacker.example/services/T0TEST/B0TEST/stolenToken';
    expect((await stack.api('PUT', `/api/credentials/${WEBHOOK_SECRET}`, { value: evil })).status).toBe(204);
    try {
      const before = (await webhookPosts()).length;
      const done = await runCheck();
      expect(done.result.alert).toMatchObject({ webhook: 'not sent', problem: expect.stringMatching(/points at host hooks\.slack\.com\.attacker\.example, which is not in ALERT_WEBHOOK_HOSTS/) });
      expect(JSON.stringify(done)).not.toContain('stolenToken');
      expect(done.steps.find((s: any) => s.id === 'alert').warnings.join(' ')).toMatch(/PUT \/api\/credentials\/alert-webhook/);
      expect(await webhookPosts()).toHaveLength(before);
    } finally {
      await stack.api('PUT', `/api/credentials/${WEBHOOK_SECRET}`, { value: WEBHOOK_URL });
    }
  });

  it('answers 400 naming each bad field of a check request, and starts nothing', async () => {
    const before = (await stack.api('GET', '/api/certificate-checks')).body.items.length;
    const answer = await stack.api('POST', '/api/certificate-checks', { expiryWindowDays: 0, window: 30, recheck: 'yes' });
    expect(answer.status).toBe(400);
    expect(answer.body.fields.map((f: any) => f.field).sort()).toEqual(['expiryWindowDays', 'recheck', 'window']);
    expect((await stack.api('GET', '/api/certificate-checks')).body.items).toHaveLength(before);
  });

  it('puts no secret into the durable history, the devhost log or the answers', async () => {
    const durable = path.join(stack.dataDir, 'durable');
    const history = readdirSync(durable, { withFileTypes: true }).filter((f) => f.isFile()).map((f) => readFileSync(path.join(durable, f.name), 'utf8')).join('\n');
    expect(history).toContain('certcheck-');
    const answers = JSON.stringify([(await stack.api('GET', '/api/certificate-checks')).body, (await stack.api('GET', '/api/certificates')).body]);
    for (const l of stack.landscapes) {
      for (const secret of [l.serviceKey.clientsecret, l.bootstrapUser.password, WEBHOOK_TOKEN]) {
        expect(history).not.toContain(secret);
        expect(stack.devhostOutput()).not.toContain(secret);
        expect(answers).not.toContain(secret);
      }
    }
  });

  it('GET /api/certificates lists every tenant, most urgent first, with the last check', async () => {
    const report = await stack.api('GET', '/api/certificates');
    expect(report.status).toBe(200);
    expect(Object.keys((await stack.api('GET', '/api/openapi.json')).body.paths)).toContain('/api/certificates');
    const rows = report.body.tenants;
    expect(rows.map((r: any) => r.status)).toEqual(['mismatch', 'expiring', 'ok']);
    expect(rows[0]).toMatchObject({ tenantHost: stack.landscapes[1].s4Host, subaccountId: stack.landscapes[1].subaccountId });
    for (const row of rows) {
      expect(row.commonName).toMatch(/^cfapps\.eu10\.hana\.ondemand\.com\//);
      expect(row.fingerprintSha256).toMatch(/^[0-9A-F:]+$/i);
      expect(typeof row.daysLeft).toBe('number');
      expect(row.lastCheck.at).toBeDefined();
    }
  });

  it('keeps the registry and its last checks through a devhost restart', async () => {
    const before = (await stack.api('GET', '/api/certificates')).body.tenants;
    await stack.restartDevhost();
    const after = await stack.api('GET', '/api/certificates');
    expect(after.status).toBe(200);
    expect(after.body.tenants.map((r: any) => [r.tenantHost, r.status, r.lastCheck.at])).toEqual(before.map((r: any) => [r.tenantHost, r.status, r.lastCheck.at]));
  });
});
