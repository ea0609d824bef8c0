/**
 * ROTATION_MAINTENANCE_WINDOW's default and check, apart from the rotation settings (rotationSettings.ts)
 * so that the timer reads its schedule when the app loads without the settings schemas (timerSchedules.ts).
 */
import { Cron } from 'croner';

export const DEFAULT_MAINTENANCE_WINDOW = '0 0 3 * * 6';

/** A six-field NCRONTAB expression, the form Azure's timer trigger takes. */
export function maintenanceWindowProblem(expression: string): string | undefined {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 6) return `must have 6 fields {second} {minute} {hour} {day} {month} {day-of-week}, e.g. "0 0 3 * * 6" (Saturdays 03:00)`;
  try {
    new Cron(fields.join(' '), { mode: '6-part', paused: true, domAndDow: true });
    return undefined;
  } catch (e) {
    return `is not a valid NCRONTAB expression: ${(e as Error).message}`;
  }
}
