/**
 * When rotations and repairs start by themselves: the maintenance-window timer (fired through devhost's
 * admin API, as the Functions host allows) reads the last check's findings in the registry and starts a
 * rotation for a subaccount with a tenant `expiring` and a repair for a tenant in `mismatch`. And the
 * settings that steer it are checked at start: a bad window or cron makes every route answer 503 naming it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { rotationDoors } from '../../support/rotationStack';
import { xsuaaToken } from '../../support/sandboxClient';
import { httpCall, spawnDevhostChild, startOnboardingStack, type OnboardingStack } from '../../support/onboardingStack';

jest.setTimeout(240_000);

describe('the maintenance window', () => {
  let stack: OnboardingStack;
  beforeAll(async () => {
    stack = await startOnboardingStack({ landscapes: 2, extraTenants: 1, devhostEnv: { ROTATION_AUTO: 'true', REPAIR_AUTO: 'true', ROTATION_ROLLBACK_WINDOW_DAYS: String(2 / 86_400) } });
    const views = await Promise.all([...stack.landscapes.map((l) => l.request()), stack.extraTenants[0].request()].map((r) => stack.onboard(r)));
    for (const v of views) expect(v.status).toBe('completed');
  }, 240_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('starts a rotation where the last check found expiring and a repair where it found mismatch', async () => {
    const doors = rotationDoors(stack);
    const [rotating, repairing] = stack.landscapes;
    // The second subaccount's certificate is rotated behind the product's back: its tenant is in mismatch.
    const bearer = { authorization: `Bearer ${await xsuaaToken(stack.sandbox, repairing.serviceKey)}` };
    const base = `${repairing.serviceKey.uri}/destination-configuration/v1/saml2Metadata`;
    await stack.sap(`${base}/certificate/passive`, { method: 'POST', headers: bearer });
    await stack.sap(`${base}/rotateCertificate`, { method: 'POST', headers: bearer });
    const at = new Date().toISOString();
    await stack.registry.recordCheck(rotating.s4Host, rotating.subaccountId, { at, status: 'expiring', detail: '20 days left' });
    await stack.registry.recordCheck(stack.extraTenants[0].s4Host, rotating.subaccountId, { at, status: 'ok' });
    await stack.registry.recordCheck(repairing.s4Host, repairing.subaccountId, { at, status: 'mismatch' });
    const before = (await doors.certificates(rotating.subaccountId)).active!.fingerprint256;

    const fired = await stack.api('POST', '/admin/functions/certificateMaintenanceWindow', {}, { key: stack.masterKey });
    expect(fired.status).toBe(202);

    const rotations = await waitForItems(stack, '/api/rotations', 1);
    expect(rotations[0].id).toBe(`rotate-${rotating.subaccountId}-r1`);
    const repairs = await waitForItems(stack, '/api/repairs', 1);
    expect(repairs[0].id).toBe(`repair-${repairing.tenant}-${repairing.subaccountId}-r1`);
    const rotated = await doors.waitFor(rotations[0].id);
    expect(rotated.result?.outcome).toBe('rotated');
    expect(rotated.result.tenants).toHaveLength(2);
    expect((await doors.certificates(rotating.subaccountId)).active!.fingerprint256).not.toBe(before);
    const repaired = await doors.waitFor(repairs[0].id, undefined, 120_000, 'repairs');
    expect(repaired.result).toMatchObject({ pushed: true, tokenExchangeVerified: true });
    const timeline = await doors.timeline();
    expect([rotating.tenant, stack.extraTenants[0].tenant, repairing.tenant].map((t) => timeline[t].mismatched)).toEqual([false, false, false]);
  });
});

async function waitForItems(stack: OnboardingStack, route: string, count: number): Promise<Array<{ id: string }>> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const items = (await stack.api('GET', route)).body.items as Array<{ id: string }>;
    if (items.length >= count || Date.now() > deadline) return items;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('settings checked at start', () => {
  it('an invalid rollback window and a five-field cron make every route answer 503 naming both, never 500', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'rotation-settings-'));
    const devhost = await spawnDevhostChild(path.join(root, 'devhost'), { KEY_VAULT_URL: '', SECRET_STORE: '', REGISTRY_STORE: 'memory', ROTATION_ROLLBACK_WINDOW_DAYS: 'a week', ROTATION_MAINTENANCE_WINDOW: '0 3 * * *' });
    try {
      const keys = JSON.parse(readFileSync(path.join(root, 'devhost', 'host-keys.json'), 'utf8'));
      for (const [method, route] of [['GET', '/api/health'], ['POST', '/api/rotations']]) {
        const answer = await httpCall(`${devhost.url}${route}`, method, { 'x-functions-key': keys.functionKeys.default }, method === 'POST' ? { subaccountId: '32fceecc-9de8-4d87-95ee-1824f8a9e108' } : undefined);
        expect(answer.status).toBe(503);
        expect(answer.text).toContain('ROTATION_ROLLBACK_WINDOW_DAYS');
        expect(answer.text).toContain('ROTATION_MAINTENANCE_WINDOW');
      }
    } finally {
      await devhost.stop();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
