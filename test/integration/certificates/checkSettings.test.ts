/**
 * Bad certificate-check and alert settings are reported with the other settings: devhost starts the
 * app, and health (like every route) answers 503 naming each bad setting and what is wrong with it,
 * as the Functions host in Azure does (issue 7 item 9: never a 500, never a silent start).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnDevhostChild } from '../../support/onboardingStack';

jest.setTimeout(120_000);

it('answers 503 naming the schedule, the window and the webhook hosts, and says so at start', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'check-settings-it-'));
  const devhost = await spawnDevhostChild(path.join(root, 'devhost'), {
    KEY_VAULT_URL: '',
    SECRET_STORE: '',
    REGISTRY_STORE: 'memory',
    CERTIFICATE_CHECK_SCHEDULE: '0 0 25 * * *',
    CERTIFICATE_EXPIRY_WINDOW_DAYS: '-3',
    ALERT_WEBHOOK_HOSTS: 'hooks.slack.com, evil host',
  });
  try {
    const health = await fetch(`${devhost.url}/api/health`);
    expect(health.status).toBe(503);
    const body = (await health.json()) as { settings: { setting: string; message: string }[] };
    const problems = body.settings.map((p) => `${p.setting}: ${p.message}`).join('\n');
    expect(problems).toMatch(/CERTIFICATE_CHECK_SCHEDULE: is not an NCRONTAB schedule: hour field "25"/);
    expect(problems).toMatch(/CERTIFICATE_EXPIRY_WINDOW_DAYS: must be at least 1 day/);
    expect(problems).toMatch(/ALERT_WEBHOOK_HOSTS: has "evil host"/);
    expect(devhost.output()).toMatch(/CERTIFICATE_CHECK_SCHEDULE/);
  } finally {
    await devhost.stop();
    rmSync(root, { recursive: true, force: true });
  }
});
