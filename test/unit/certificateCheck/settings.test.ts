/** The certificate check's and the alerts' settings: defaults, and every bad one named at start. */
import { loadSettings, SettingsError } from '../../../shared/config';
import { ncrontabProblem } from '../../../shared/config/ncrontab';

const load = (env: Record<string, string>) => loadSettings(env, { localSettingsFile: false, cwd: '/tmp' });

function problemsOf(env: Record<string, string>) {
  try {
    load(env);
  } catch (e) {
    expect(e).toBeInstanceOf(SettingsError);
    return (e as SettingsError).problems;
  }
  throw new Error('expected a SettingsError');
}

describe('NCRONTAB schedules', () => {
  it.each(['0 0 2 * * *', '*/30 * * * * *', '0 15 3 1-7 JAN-DEC MON', '0 0 2 * * 1-5', '0 0,30 8-18/2 ? * SUN,SAT', '0 0 0 * * 7'])('accepts %s', (expr) => {
    expect(ncrontabProblem(expr)).toBeUndefined();
  });

  it.each([
    ['0 2 * * *', /must have 6 fields/],
    ['0 0 25 * * *', /hour field "25"/],
    ['0 0 2 0 * *', /day field "0"/],
    ['0 0 2 * 13 *', /month field "13"/],
    ['0 0 2 * * FUNDAY', /day-of-week field "FUNDAY"/],
    ['0 0 5-2 * * *', /runs backwards/],
    ['0 0 */0 * * *', /step "0"/],
  ])('refuses %s', (expr, problem) => {
    expect(ncrontabProblem(expr)).toMatch(problem);
  });
});

describe('certificate check settings', () => {
  it('default to a daily check at 02:00 UTC, a 30-day window and the Teams and Slack webhook hosts', () => {
    const s = load({});
    expect(s.certificateCheck).toEqual({ schedule: '0 0 2 * * *', expiryWindowDays: 30, concurrency: 16, batchSize: 25 });
    expect(s.alerts).toEqual({ webhookHosts: ['*.webhook.office.com', 'hooks.slack.com'] });
  });

  it('read what is set', () => {
    const s = load({ CERTIFICATE_CHECK_SCHEDULE: '0 30 4 * * *', CERTIFICATE_EXPIRY_WINDOW_DAYS: '45', CERTIFICATE_CHECK_CONCURRENCY: '4', CERTIFICATE_CHECK_BATCH_SIZE: '10', ALERT_WEBHOOK_SECRET: 'alert-webhook', ALERT_WEBHOOK_HOSTS: 'Hooks.Slack.com, *.example-teams.com' });
    expect(s.certificateCheck).toEqual({ schedule: '0 30 4 * * *', expiryWindowDays: 45, concurrency: 4, batchSize: 10 });
    expect(s.alerts).toEqual({ webhookSecret: 'alert-webhook', webhookHosts: ['hooks.slack.com', '*.example-teams.com'] });
  });

  it('name every bad one at once: schedule, window, concurrency, batch size, webhook secret and hosts', () => {
    const problems = problemsOf({
      CERTIFICATE_CHECK_SCHEDULE: '0 0 25 * * *',
      CERTIFICATE_EXPIRY_WINDOW_DAYS: '0',
      CERTIFICATE_CHECK_CONCURRENCY: '2.5',
      CERTIFICATE_CHECK_BATCH_SIZE: 'many',
      ALERT_WEBHOOK_SECRET: 'https://hooks.slack.com/services/T0/B0/xyz',
      ALERT_WEBHOOK_HOSTS: 'https://hooks.slack.com/x, *.webhook.office.com',
    });
    const bySetting = Object.fromEntries(problems.map((p) => [p.setting, p.message]));
    expect(Object.keys(bySetting).sort()).toEqual(['ALERT_WEBHOOK_HOSTS', 'ALERT_WEBHOOK_SECRET', 'CERTIFICATE_CHECK_BATCH_SIZE', 'CERTIFICATE_CHECK_CONCURRENCY', 'CERTIFICATE_CHECK_SCHEDULE', 'CERTIFICATE_EXPIRY_WINDOW_DAYS']);
    expect(bySetting.CERTIFICATE_CHECK_SCHEDULE).toMatch(/hour field "25"/);
    expect(bySetting.CERTIFICATE_EXPIRY_WINDOW_DAYS).toMatch(/at least 1 day/);
    expect(bySetting.ALERT_WEBHOOK_HOSTS).toMatch(/"https:\/\/hooks.slack.com\/x"/);
    // The settings error never repeats a webhook URL put where its secret's NAME belongs.
    expect(bySetting.ALERT_WEBHOOK_SECRET).not.toContain('xyz');
  });
});
