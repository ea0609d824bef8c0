/**
 * Settings of the certificate rotation and the repair (issue 9), checked at start with the other
 * settings (functions/http/settingsGate.ts): a bad one makes every route answer 503 naming it.
 *
 * - ROTATION_ROLLBACK_WINDOW_DAYS (default 7, fractions allowed): how long the old certificate stays as
 *   the passive one, so that POST /api/rotations/{id}/rollback can bring it back.
 * - ROTATION_MAINTENANCE_WINDOW (NCRONTAB, default `0 0 3 * * 6`, Saturdays 03:00): when the automatic
 *   rotation looks at the last check and starts rotations.
 * - ROTATION_AUTO (default false): start a rotation when the last check found a tenant `expiring`.
 * - REPAIR_AUTO (default false): start a repair for each tenant the last check found in `mismatch`.
 * - ROTATION_BATCH_SIZE (default 25): tenants per activity of the preflight, the verification and the
 *   restore; a batch's tenants are handled at once, batches side by side.
 * - ROTATION_PUSH_CONCURRENCY (default 200): how many tenants the cut-over pushes at once; a subaccount with
 *   up to that many tenants is pushed in one wave, so no tenant waits for another's round trip.
 */
import { z } from 'zod';
import { SettingsError, type Env } from './settings';
import { DEFAULT_MAINTENANCE_WINDOW, maintenanceWindowProblem } from './maintenanceWindow';

export { DEFAULT_MAINTENANCE_WINDOW, maintenanceWindowProblem as ncrontabProblem };

export interface RotationSettings {
  rollbackWindowDays: number;
  maintenanceWindow: string;
  autoRotate: boolean;
  autoRepair: boolean;
  batchSize: number;
  pushConcurrency: number;
}

const blankIsUnset = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v);
const onOff = z.preprocess(
  (v) => (typeof blankIsUnset(v) === 'string' ? String(blankIsUnset(v)).toLowerCase() : blankIsUnset(v)),
  z.enum(['true', 'false', 'on', 'off', '1', '0'], { error: 'must be true or false' }).default('false'),
).transform((v) => v === 'true' || v === 'on' || v === '1');

/** A rollback window in days: a JSON number in requests, a string in settings. */
export const RollbackWindowDays = z
  .number({ error: 'must be a number of days, e.g. 7 or 0.5' })
  .min(1 / 86_400, 'must be at least one second (0.0000116 days)')
  .max(90, 'must be at most 90 days');
const RollbackWindowDaysSetting = z.coerce.number({ error: 'must be a number of days, e.g. 7 or 0.5' }).pipe(RollbackWindowDays);

const RotationEnv = z.object({
  ROTATION_ROLLBACK_WINDOW_DAYS: z.preprocess(blankIsUnset, RollbackWindowDaysSetting.default(7)),
  ROTATION_MAINTENANCE_WINDOW: z.preprocess(
    blankIsUnset,
    z
      .string()
      .default(DEFAULT_MAINTENANCE_WINDOW)
      .superRefine((v, ctx) => {
        const problem = maintenanceWindowProblem(v);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
  ),
  ROTATION_AUTO: onOff,
  REPAIR_AUTO: onOff,
  ROTATION_BATCH_SIZE: z.preprocess(blankIsUnset, z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(1).max(200).default(25)),
  ROTATION_PUSH_CONCURRENCY: z.preprocess(blankIsUnset, z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(1).max(500).default(200)),
});

export function loadRotationSettings(env: Env = process.env): RotationSettings {
  const parsed = RotationEnv.safeParse(env);
  if (!parsed.success) throw new SettingsError(parsed.error.issues.map((i) => ({ setting: String(i.path[0]), message: i.message })));
  const s = parsed.data;
  return {
    rollbackWindowDays: s.ROTATION_ROLLBACK_WINDOW_DAYS,
    maintenanceWindow: s.ROTATION_MAINTENANCE_WINDOW,
    autoRotate: s.ROTATION_AUTO,
    autoRepair: s.REPAIR_AUTO,
    batchSize: s.ROTATION_BATCH_SIZE,
    pushConcurrency: s.ROTATION_PUSH_CONCURRENCY,
  };
}

let cached: RotationSettings | undefined;
export function rotationSettings(): RotationSettings {
  return (cached ??= loadRotationSettings());
}
