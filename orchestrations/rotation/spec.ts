/**
 * The resolved rotation: the subaccount and every tenant the registry knows for it, with the NAMES of
 * the credentials that reach them (never values). Resolved once at the HTTP edge (or by the timer), so
 * that the orchestration works on the tenants as they were when it started. Lives in Durable history.
 */
import { z } from 'zod';

export const RotationTenant = z.object({
  /** API host, `my100001-api.s4hana.ondemand.com`. */
  tenantHost: z.string(),
  /** `my100001`, how administrators name it. */
  tenant: z.string(),
  communicationSystemId: z.string(),
  destinationName: z.string(),
  bootstrapUserSecret: z.string(),
  /** The certificate the registry says the system holds (colon hex). */
  recordedFingerprint: z.string(),
});
export type RotationTenant = z.infer<typeof RotationTenant>;

export const Subaccount = z.object({
  subaccountId: z.string(),
  region: z.string(),
  destinationServiceKeySecret: z.string(),
});
export type Subaccount = z.infer<typeof Subaccount>;

export const RotationSpec = z.object({
  subaccount: Subaccount,
  tenants: z.array(RotationTenant).min(1),
  rollbackWindowDays: z.number().positive(),
  manualStepDeadlineDays: z.number().positive(),
  /** Tenants per activity: a batch is pushed at once (its own concurrency), batches run side by side. */
  batchSize: z.number().int().positive(),
  /** Tenants the cut-over pushes at once. */
  pushConcurrency: z.number().int().positive(),
  /** Who started it: a person through the API, or the maintenance-window timer. */
  startedBy: z.enum(['api', 'maintenance window']).default('api'),
});
export type RotationSpec = z.infer<typeof RotationSpec>;

/** One rotation at a time per subaccount. */
export const rotationKey = (spec: Pick<RotationSpec, 'subaccount'>) => spec.subaccount.subaccountId.toLowerCase();

export const subaccountSystem = (subaccount: Subaccount) => `subaccount ${subaccount.subaccountId}`;

/** The tenants in batches of `size`, in registry order. */
export function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
