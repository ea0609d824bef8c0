/**
 * From a POST /api/rotations body (or the maintenance-window timer) to the rotation spec: the shape
 * (400), then the subaccount's tenants from the registry and the credentials they were onboarded with
 * (422 naming what is missing). Nothing here calls SAP.
 */
import { z } from 'zod';
import { runtimeServices } from '../../shared/config/runtimeServices';
import { rotationSettings, RollbackWindowDays } from '../../shared/config/rotationSettings';
import type { TenantRecord } from '../../shared/registry';
import { validationErrors, type FieldError } from '../../shared/schemas/fieldErrors';
import { s4TenantOf } from '../../shared/secrets';
import type { Prepared } from '../../shared/workflow/defineWorkflow';
import type { RotationSpec, RotationTenant } from './spec';

export const RotationRequest = z
  .object({
    subaccountId: z.string().trim().regex(/^[0-9a-fA-F-]{8,64}$/, 'must be the subaccount GUID, e.g. 32fceecc-9de8-4d87-95ee-1824f8a9e108'),
    /** Overrides ROTATION_ROLLBACK_WINDOW_DAYS for this rotation. */
    rollbackWindowDays: RollbackWindowDays.optional(),
  })
  .strict();
export type RotationRequest = z.infer<typeof RotationRequest>;

export async function prepareRotation(body: unknown): Promise<Prepared<RotationSpec>> {
  const parsed = RotationRequest.safeParse(body);
  if (!parsed.success) return { ok: false, status: 400, fields: validationErrors(parsed.error, RotationRequest) };
  return rotationSpecOf(parsed.data, 'api');
}

export async function rotationSpecOf(request: RotationRequest, startedBy: RotationSpec['startedBy']): Promise<Prepared<RotationSpec>> {
  const { registry, manualStepDeadlineDays } = runtimeServices();
  const settings = rotationSettings();
  const records = await registry.listBySubaccount(request.subaccountId);
  const resolved = resolveTenants(request.subaccountId, records);
  if (!resolved.ok) return resolved;
  return {
    ok: true,
    input: {
      subaccount: resolved.subaccount,
      tenants: resolved.tenants,
      rollbackWindowDays: request.rollbackWindowDays ?? settings.rollbackWindowDays,
      manualStepDeadlineDays,
      batchSize: settings.batchSize,
      pushConcurrency: settings.pushConcurrency,
      startedBy,
    },
  };
}

type Resolved = { ok: true; subaccount: RotationSpec['subaccount']; tenants: RotationTenant[] } | { ok: false; status: 422; fields: FieldError[] };

/** The registry rows of a subaccount as rotation tenants; every row without credential names is named. */
export function resolveTenants(subaccountId: string, records: TenantRecord[]): Resolved {
  if (records.length === 0) {
    return { ok: false, status: 422, fields: [{ field: 'subaccountId', message: `no tenant of subaccount ${subaccountId} is in the tenant registry: onboard a tenant to it first (POST /api/onboardings)` }] };
  }
  const unnamed = records.filter((r) => !r.bootstrapUserSecret || !r.destinationServiceKeySecret);
  if (unnamed.length > 0) {
    return {
      ok: false,
      status: 422,
      fields: [{ field: 'subaccountId', message: `the registry does not name the credentials of ${unnamed.map((r) => r.tenantHost).join(', ')} (rows written before credentials were recorded): run their onboarding again, which changes nothing in SAP and records them` }],
    };
  }
  const keys = new Set(records.map((r) => r.destinationServiceKeySecret));
  const first = records[0];
  return {
    ok: true,
    // One subaccount, one Destination service key; when onboardings used different copies, the latest row's is as good as any.
    subaccount: { subaccountId: first.subaccountId, region: first.region, destinationServiceKeySecret: keys.size === 1 ? first.destinationServiceKeySecret! : latest(records).destinationServiceKeySecret! },
    tenants: records.map((r) => ({
      tenantHost: r.tenantHost,
      tenant: s4TenantOf(r.tenantHost),
      communicationSystemId: r.communicationSystemId,
      destinationName: r.destinationName,
      bootstrapUserSecret: r.bootstrapUserSecret!,
      recordedFingerprint: r.trustCertificate.fingerprintSha256,
    })),
  };
}

const latest = (records: TenantRecord[]) => [...records].sort((a, b) => b.lastVerifiedAt.localeCompare(a.lastVerifiedAt))[0];
