/**
 * Bad certificate-check and alert settings are refused at start with the other settings: `npm start`
 * (devhost/main.ts) does not start, and its error names each bad setting and what is wrong with it.
 * (In Azure, where the host starts anyway, the settings gate answers 503 with the same list.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnDevhostChild } from '../../support/onboardingStack';

jest.setTimeout(120_000);

it('refuses to start, naming the schedule, the window and the webhook hosts', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'check-settings-it-'));
  try {
    const started = spawnDevhostChild(path.join(root, 'devhost'), {
      KEY_VAULT_URL: '',
      SECRET_STORE: '',
      REGISTRY_STORE: 'memory',
      CERTIFICATE_CHECK_SCHEDULE: '0 0 25 * * *',
      CERTIFICATE_EXPIRY_WINDOW_DAYS: '-3',
      ALERT_WEBHOOK_HOSTS: 'hooks.slack.com, evil host',
    });
    const error = await started.then(
      async (d) => {
        await d.stop();
        throw new Error('devhost started with bad settings');
      },
      (e: Error) => e,
    );
    expect(error.message).toMatch(/devhost exited with 1 during start/);
    expect(error.message).toMatch(/CERTIFICATE_CHECK_SCHEDULE: is not an NCRONTAB schedule: hour field "25"/);
    expect(error.message).toMatch(/CERTIFICATE_EXPIRY_WINDOW_DAYS: must be at least 1 day/);
    expect(error.message).toMatch(/ALERT_WEBHOOK_HOSTS: has "evil host"/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
