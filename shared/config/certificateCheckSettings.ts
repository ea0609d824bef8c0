/**
 * Settings of the certificate check and its alerts (issue 9, items 2 and 3), validated at start with
 * the other settings: a bad one is named in the settings error, the app serves nothing until it is fixed.
 */
import { z } from 'zod';
import { SECRET_NAME_PATTERN } from '../secrets/secretNames';
import { ncrontabProblem } from './ncrontab';
import { DEFAULT_CERTIFICATE_CHECK_SCHEDULE } from './timerSchedules';
import type { SettingProblem } from './settings';

export { DEFAULT_CERTIFICATE_CHECK_SCHEDULE };
/** Where Teams and Slack incoming webhooks live. */
export const DEFAULT_ALERT_WEBHOOK_HOSTS = ['*.webhook.office.com', 'hooks.slack.com'];

export interface CertificateCheckSettings {
  /** NCRONTAB of the daily check's timer (UTC unless WEBSITE_TIME_ZONE says otherwise). */
  schedule: string;
  /** A certificate that ends within this many days is `expiring`. */
  expiryWindowDays: number;
  /** How many subaccounts are checked at once: the check keeps at most this many SAP calls in flight. */
  concurrency: number;
  /** Subaccounts per sub-orchestration (at most): bounds each history. */
  batchSize: number;
}

export interface AlertSettings {
  /** NAME of the stored credential holding the incoming-webhook URL; no webhook when unset. */
  webhookSecret?: string;
  /** Host patterns a webhook URL may point at (`*.domain` or an exact host). */
  webhookHosts: string[];
}

const blankIsUnset = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v);
const HOST_PATTERN = /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/;

const whole = (min: number, max: number, fallback: number) =>
  z.preprocess(
    blankIsUnset,
    z.coerce
      .number({ error: `must be a whole number from ${min} to ${max}` })
      .int(`must be a whole number from ${min} to ${max}`)
      .min(min, `must be at least ${min}`)
      .max(max, `must be at most ${max}`)
      .default(fallback),
  );

const CertificateEnv = z.object({
  CERTIFICATE_CHECK_SCHEDULE: z.preprocess(
    blankIsUnset,
    z
      .string()
      .default(DEFAULT_CERTIFICATE_CHECK_SCHEDULE)
      .superRefine((v, ctx) => {
        const problem = ncrontabProblem(v);
        if (problem) ctx.addIssue({ code: 'custom', message: `is not an NCRONTAB schedule: ${problem}` });
      }),
  ),
  CERTIFICATE_EXPIRY_WINDOW_DAYS: z.preprocess(
    blankIsUnset,
    z.coerce.number({ error: 'must be a number of days, e.g. 30' }).min(1, 'must be at least 1 day').max(365, 'must be at most 365 days').default(30),
  ),
  CERTIFICATE_CHECK_CONCURRENCY: whole(1, 256, 16),
  CERTIFICATE_CHECK_BATCH_SIZE: whole(1, 500, 25),
  ALERT_WEBHOOK_SECRET: z.preprocess(
    blankIsUnset,
    z.string().regex(SECRET_NAME_PATTERN, 'must be the NAME of a stored credential (letters, digits, dashes), not the webhook URL itself').optional(),
  ),
  ALERT_WEBHOOK_HOSTS: z.preprocess(
    blankIsUnset,
    z
      .string()
      .optional()
      .transform((v) => (v === undefined ? DEFAULT_ALERT_WEBHOOK_HOSTS : v.split(',').map((p) => p.trim().toLowerCase()).filter(Boolean)))
      .superRefine((patterns, ctx) => {
        const bad = patterns.filter((p) => !HOST_PATTERN.test(p));
        if (bad.length) ctx.addIssue({ code: 'custom', message: `has ${bad.map((b) => `"${b}"`).join(', ')}: each entry must be a host name (hooks.slack.com) or *.domain (*.webhook.office.com)` });
        if (patterns.length === 0) ctx.addIssue({ code: 'custom', message: 'lists no host: leave it unset for the Teams and Slack defaults' });
      }),
  ),
});

/** The check's and the alerts' settings; their problems are added to `problems`. */
export function certificateCheckSettingsFrom(env: Record<string, string | undefined>, problems: SettingProblem[]): { certificateCheck: CertificateCheckSettings; alerts: AlertSettings } {
  const parsed = CertificateEnv.safeParse(env);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push({ setting: String(issue.path[0] ?? 'settings'), message: issue.message });
    return { certificateCheck: { schedule: DEFAULT_CERTIFICATE_CHECK_SCHEDULE, expiryWindowDays: 30, concurrency: 16, batchSize: 25 }, alerts: { webhookHosts: DEFAULT_ALERT_WEBHOOK_HOSTS } };
  }
  const s = parsed.data;
  return {
    certificateCheck: {
      schedule: s.CERTIFICATE_CHECK_SCHEDULE,
      expiryWindowDays: s.CERTIFICATE_EXPIRY_WINDOW_DAYS,
      concurrency: s.CERTIFICATE_CHECK_CONCURRENCY,
      batchSize: s.CERTIFICATE_CHECK_BATCH_SIZE,
    },
    alerts: { ...(s.ALERT_WEBHOOK_SECRET ? { webhookSecret: s.ALERT_WEBHOOK_SECRET } : {}), webhookHosts: s.ALERT_WEBHOOK_HOSTS },
  };
}
