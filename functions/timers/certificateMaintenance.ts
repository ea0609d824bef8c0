/**
 * The maintenance window (ROTATION_MAINTENANCE_WINDOW, NCRONTAB): when it opens, the last certificate
 * check's findings (the registry's lastCheck, written by the check workflow) start what they call for:
 * a rotation for each subaccount with a tenant `expiring` (ROTATION_AUTO), a repair for each tenant in
 * `mismatch` (REPAIR_AUTO). Runs already going are left alone (the run API's one-run-per-key rule).
 * Both settings default to off: then the alert tells a person what to start. The timer is registered in
 * functions/appFunctions.ts.
 */
import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { DurableClient } from 'durable-functions';
import { rotationSettings, type RotationSettings } from '../../shared/config/rotationSettings';
import { runtimeServices } from '../../shared/config/runtimeServices';
import type { TenantRecord } from '../../shared/registry';
import { rotationSpecOf } from '../../orchestrations/rotation/request';
import { rotation } from '../../orchestrations/rotation/workflow';
import { prepareRepair, repair } from '../../orchestrations/repair/workflow';
import { onboarding } from '../../orchestrations/onboarding/workflow';
import { offboarding } from '../../orchestrations/offboarding/workflow';
import { startRun } from '../http/runApi';

/** The workflows whose runs can block a rotation or repair (their exclusive groups and blockers). */
const ALL = [onboarding, offboarding, rotation, repair];

export interface MaintenanceOutcome {
  rotations: Array<{ subaccountId: string; started?: string; skipped?: string }>;
  repairs: Array<{ tenantHost: string; subaccountId: string; started?: string; skipped?: string }>;
}

/** What the last check asks for, and what was started; also behind POST /api/repairs/mismatched. */
export async function startFromLastCheck(client: DurableClient, records: TenantRecord[], settings: Pick<RotationSettings, 'autoRotate' | 'autoRepair'>): Promise<MaintenanceOutcome> {
  const outcome: MaintenanceOutcome = { rotations: [], repairs: [] };
  if (settings.autoRotate) {
    const expiring = [...new Set(records.filter((r) => r.lastCheck?.status === 'expiring').map((r) => r.subaccountId))];
    for (const subaccountId of expiring) {
      const spec = await rotationSpecOf({ subaccountId }, 'maintenance window');
      if (!spec.ok) {
        outcome.rotations.push({ subaccountId, skipped: spec.fields.map((f) => f.message).join('; ') });
        continue;
      }
      const started = await startRun(client, rotation, ALL, spec.input);
      outcome.rotations.push(started.ok ? { subaccountId, started: started.id } : { subaccountId, skipped: `${started.active.instanceId} is active` });
    }
  }
  if (settings.autoRepair) {
    for (const r of records.filter((x) => x.lastCheck?.status === 'mismatch')) {
      const outcomeOf = await startRepair(client, r.subaccountId, r.tenantHost);
      outcome.repairs.push({ tenantHost: r.tenantHost, subaccountId: r.subaccountId, ...outcomeOf });
    }
  }
  return outcome;
}

export async function startRepair(client: DurableClient, subaccountId: string, tenantHost: string): Promise<{ started?: string; skipped?: string }> {
  const spec = await prepareRepair({ subaccountId, tenantHost });
  if (!spec.ok) return { skipped: spec.fields.map((f) => f.message).join('; ') };
  const started = await startRun(client, repair, ALL, spec.input);
  return started.ok ? { started: started.id } : { skipped: `${started.active.instanceId} is active` };
}

export async function maintenanceWindow(_timer: unknown, context: InvocationContext): Promise<void> {
  const settings = rotationSettings();
  if (!settings.autoRotate && !settings.autoRepair) return;
  const client = df.getClient(context);
  const outcome = await startFromLastCheck(client, await runtimeServices().registry.list(), settings);
  context.log(`maintenance window: ${outcome.rotations.length} rotation(s), ${outcome.repairs.length} repair(s): ${JSON.stringify(outcome)}`);
}
