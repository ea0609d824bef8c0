/**
 * The timers' schedules, read when the app loads (a timer registers with its schedule). Each reads its
 * own setting and checks it as the settings check does (certificateCheckSettings.ts, rotationSettings.ts),
 * but without the settings schemas (zod), which the entry does not load (bench/coldStart). A bad
 * schedule must not keep the app from loading: the timer keeps its default, and the settings gate
 * answers 503 naming the setting.
 */
import { DEFAULT_MAINTENANCE_WINDOW, maintenanceWindowProblem } from './maintenanceWindow';
import { ncrontabProblem } from './ncrontab';

export const DEFAULT_CERTIFICATE_CHECK_SCHEDULE = '0 0 2 * * *';

/** CERTIFICATE_CHECK_SCHEDULE: when the daily certificate check starts. */
export function certificateCheckSchedule(env: NodeJS.ProcessEnv = process.env): string {
  return scheduleSetting(env.CERTIFICATE_CHECK_SCHEDULE, ncrontabProblem, DEFAULT_CERTIFICATE_CHECK_SCHEDULE);
}

/** ROTATION_MAINTENANCE_WINDOW: when the maintenance window opens. */
export function maintenanceWindowSchedule(env: NodeJS.ProcessEnv = process.env): string {
  return scheduleSetting(env.ROTATION_MAINTENANCE_WINDOW, maintenanceWindowProblem, DEFAULT_MAINTENANCE_WINDOW);
}

function scheduleSetting(value: string | undefined, problemOf: (schedule: string) => string | undefined, fallback: string): string {
  const schedule = value?.trim();
  return schedule && problemOf(schedule) === undefined ? schedule : fallback;
}
