/**
 * Repair one tenant after the certificate changed elsewhere (renewed or rotated in the cockpit or through
 * the Destination API): its communication system holds a certificate BTP no longer signs with, so every
 * token exchange fails. Push the subaccount's active certificate, verify, record. One run per tenant.
 */
import { z } from 'zod';
import { defineWorkflow, type Prepared } from '../../shared/workflow/defineWorkflow';
import { runtimeServices } from '../../shared/config/runtimeServices';
import { validationErrors } from '../../shared/schemas/fieldErrors';
import { resolveTenants } from '../rotation/request';
import { RotationTenant, Subaccount, subaccountSystem } from '../rotation/spec';
import { subaccountPreflight } from '../rotation/steps/subaccountPreflight';
import { pushCertificateStep } from '../rotation/steps/pushCertificate';
import { verifyTokenExchangeStep } from '../rotation/steps/verifyTokenExchange';
import { recordTenants } from '../rotation/steps/recordTenants';

export const RepairRequest = z
  .object({
    subaccountId: z.string().trim().regex(/^[0-9a-fA-F-]{8,64}$/, 'must be the subaccount GUID'),
    tenantHost: z.string().trim().toLowerCase().regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'must be the tenant\'s API host, e.g. my100001-api.s4hana.ondemand.com'),
  })
  .strict();

export const RepairSpec = z.object({ subaccount: Subaccount, tenant: RotationTenant });
export type RepairSpec = z.infer<typeof RepairSpec>;

export const RepairResult = z.object({ tenantHost: z.string(), certificate: z.string(), pushed: z.boolean(), tokenExchangeVerified: z.boolean() });
export type RepairResult = z.infer<typeof RepairResult>;

export async function prepareRepair(body: unknown): Promise<Prepared<RepairSpec>> {
  const parsed = RepairRequest.safeParse(body);
  if (!parsed.success) return { ok: false, status: 400, fields: validationErrors(parsed.error, RepairRequest) };
  const record = await runtimeServices().registry.get(parsed.data.tenantHost, parsed.data.subaccountId);
  if (!record) return { ok: false, status: 422, fields: [{ field: 'tenantHost', message: `${parsed.data.tenantHost} is not recorded for subaccount ${parsed.data.subaccountId}: onboard it (POST /api/onboardings)` }] };
  const resolved = resolveTenants(parsed.data.subaccountId, [record]);
  if (!resolved.ok) return resolved;
  return { ok: true, input: { subaccount: resolved.subaccount, tenant: resolved.tenants[0] } };
}

const pushActiveCertificate = pushCertificateStep('pushActiveCertificate', "Push the subaccount's active certificate");
const verifyTokenExchange = verifyTokenExchangeStep('verifyTokenExchange', 'Verify the token exchange');

export const repair = defineWorkflow<RepairSpec, RepairResult>({
  kind: 'repairs',
  name: 'repair',
  noun: 'repair',
  idPrefix: 'repair',
  request: RepairRequest,
  prepare: prepareRepair,
  input: RepairSpec,
  key: (spec) => `${spec.tenant.tenant}-${spec.subaccount.subaccountId}`.toLowerCase(),
  subject: z.object({ tenant: z.string(), subaccountId: z.string() }),
  subjectOf: (spec) => ({ tenant: spec.tenant.tenant, subaccountId: spec.subaccount.subaccountId }),
  steps: [subaccountPreflight, pushActiveCertificate, verifyTokenExchange, recordTenants],
  result: RepairResult,

  *orchestrate(run, { subaccount, tenant }) {
    const { active } = yield* run.step(subaccountPreflight.with({ subaccount }));
    let pushed = (yield* run.step(pushActiveCertificate.with({ tenants: [tenant], cert: active }))).tenants[0];
    for (let round = 1; run.mode === 'run' && !pushed.holds && pushed.problem?.transient && round < 6; round++) {
      yield* run.sleep(2000 * round);
      pushed = (yield* run.step(pushActiveCertificate.with({ tenants: [tenant], cert: active }))).tenants[0];
    }
    if (run.mode === 'run' && !pushed.holds) {
      return run.fail('pushActiveCertificate', { system: tenant.tenant, kind: 'RepairRefused', message: `${tenant.tenantHost} did not take the active certificate ${active.fingerprintSha256}: ${pushed.problem?.message ?? 'no answer'}`, fix: pushed.problem?.fix ?? `Upload it by hand in the Fiori app Communication Systems (${tenant.communicationSystemId}).` });
    }
    const verified = (yield* run.step(verifyTokenExchange.with({ subaccount, tenants: [tenant] }))).tenants[0];
    if (run.mode === 'run' && !verified.ok) {
      return run.fail('verifyTokenExchange', { system: tenant.tenant, kind: 'TokenExchangeFailed', message: verified.problem?.message ?? 'the token exchange failed', fix: verified.problem?.fix ?? 'Check the destination and the arrangement.' });
    }
    yield* run.step(recordTenants.with({ subaccountId: subaccount.subaccountId, tenants: [tenant], cert: active, rotation: { at: run.now().toISOString(), rotationId: run.id, outcome: 'completed' }, verified: verified.ok }));
    return { tenantHost: tenant.tenantHost, certificate: active.fingerprintSha256, pushed: pushed.changed, tokenExchangeVerified: verified.ok };
  },
});

export const repairSystem = (spec: RepairSpec) => subaccountSystem(spec.subaccount);
