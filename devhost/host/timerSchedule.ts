/**
 * NCRONTAB schedules as the Functions host reads them: exactly six fields
 * `{second} {minute} {hour} {day} {month} {day-of-week}`, day-of-month AND day-of-week (NCrontab semantics),
 * evaluated by croner. Time zone: WEBSITE_TIME_ZONE when set (IANA name), else UTC.
 */
import { Cron } from 'croner';
import { z } from 'zod';

export interface NcrontabSchedule {
  expression: string;
  timezone: string;
  /** The first occurrence strictly after `after`. */
  nextAfter(after: Date): Date | undefined;
}

/** `%SettingName%` schedules are read from app settings, as in Azure. */
export function resolveScheduleSetting(schedule: string, env: NodeJS.ProcessEnv = process.env): string {
  const setting = /^%(.+)%$/.exec(schedule.trim());
  if (!setting) return schedule.trim();
  const value = env[setting[1]];
  if (!value) throw new Error(`timer schedule refers to app setting ${setting[1]}, which is not set`);
  return value.trim();
}

export function parseNcrontab(expression: string, timezone = process.env.WEBSITE_TIME_ZONE || 'UTC'): NcrontabSchedule {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 6) {
    throw new Error(`timer schedule "${expression}" must have 6 fields: {second} {minute} {hour} {day} {month} {day-of-week}`);
  }
  let cron: Cron;
  try {
    cron = new Cron(fields.join(' '), { mode: '6-part', timezone, domAndDow: true, paused: true });
  } catch (error) {
    throw new Error(`timer schedule "${expression}" is not a valid NCRONTAB expression: ${(error as Error).message}`);
  }
  return {
    expression,
    timezone,
    nextAfter: (after) => cron.nextRun(after) ?? undefined,
  };
}

/** What devhost remembers per timer in DATA_DIR (the Functions host keeps the same in its schedule monitor). */
export const TimerStatus = z.object({
  schedule: z.string(),
  last: z.string(),
  next: z.string(),
  lastUpdated: z.string(),
});
export type TimerStatus = z.infer<typeof TimerStatus>;

/**
 * Past due when the occurrence that should have followed the last run is already behind us, i.e. devhost
 * was down (or busy) when it was due. A timer without a recorded run is never past due. When the
 * schedule changed since, the expected occurrence is recomputed from the last run.
 */
export function isPastDue(status: TimerStatus | undefined, schedule: NcrontabSchedule, now: Date): boolean {
  if (!status) return false;
  const expected =
    status.schedule === schedule.expression ? new Date(status.next) : schedule.nextAfter(new Date(status.last));
  return expected !== undefined && !Number.isNaN(expected.getTime()) && expected.getTime() <= now.getTime();
}

export function statusAfterRun(schedule: NcrontabSchedule, ranAt: Date): TimerStatus {
  const next = schedule.nextAfter(ranAt);
  return {
    schedule: schedule.expression,
    last: ranAt.toISOString(),
    next: next ? next.toISOString() : '9999-12-31T23:59:59.000Z',
    lastUpdated: ranAt.toISOString(),
  };
}
