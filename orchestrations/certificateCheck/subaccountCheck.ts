/**
 * One subaccount: its active and passive trust certificates, then, one tenant after the other, what
 * each tenant's communication system holds; every tenant's result is recorded in the registry. One
 * SAP call at a time, so that the check's concurrency setting is the number of SAP calls in flight.
 * SAP errors make a tenant `unreachable` with the error and its fix; they never fail the check.
 */
import { daysUntilExpiry, parseCertificate } from '../../shared/certificates';
import type { TenantRecord } from '../../shared/registry';
import { adviceFor } from '../../shared/sap/errorAdvice';
import { isSapError } from '../../shared/sap/errors';
import type { StepDependencies } from '../../shared/workflow/stepDependencies';
import { PermanentStepError } from '../../shared/workflow/stepOutcome';
import { classifyTenant, type TrustCertificates } from './classification';
import { emptyCounts, type CheckStatus, type SubaccountCheck, type TenantFinding } from './findings';

export interface SubaccountCheckInput {
  subaccountId: string;
  at: string;
  expiryWindowDays: number;
  /** The subaccount's registry rows when the batch read them already. */
  records?: TenantRecord[];
}
type Input = SubaccountCheckInput;

interface TenantResult {
  record: TenantRecord;
  status: CheckStatus;
  daysLeft?: number;
  detail: string;
  fix: string;
}

/** A registry that does not answer throws (the activity's retry takes it); SAP errors become `unreachable` tenants. */
export async function checkSubaccount(deps: StepDependencies, input: Input): Promise<SubaccountCheck> {
  const at = new Date(input.at);
  const records = input.records ?? (await deps.registry.listBySubaccount(input.subaccountId));
  const certificates = await readCertificates(deps, records, at);
  const results: TenantResult[] = [];
  for (const record of records) {
    if ('problem' in certificates) {
      results.push({ record, status: 'unreachable', detail: certificates.problem, fix: certificates.fix });
      continue;
    }
    results.push(await checkTenant(deps, record, certificates, input.expiryWindowDays));
  }
  await recordChecks(deps, input, results);

  const counts = emptyCounts();
  const findings: TenantFinding[] = [];
  for (const r of results) {
    counts[r.status]++;
    if (r.status !== 'ok') findings.push({ tenantHost: r.record.tenantHost, subaccountId: r.record.subaccountId, status: r.status, ...(r.daysLeft === undefined ? {} : { daysLeft: r.daysLeft }), detail: r.detail, fix: r.fix });
  }
  const active = 'problem' in certificates ? undefined : certificates.active?.summary;
  return { subaccountId: input.subaccountId, tenants: records.length, counts, ...(active ? { activeCertificate: active } : {}), findings };
}

/** One table transaction per subaccount where the registry can; else every tenant at once (no SAP calls). */
async function recordChecks(deps: StepDependencies, input: Input, results: TenantResult[]): Promise<void> {
  const checks = results.map((r) => ({ tenantHost: r.record.tenantHost, check: { at: input.at, status: r.status, detail: r.detail } }));
  if (deps.registry.recordChecks) return deps.registry.recordChecks(input.subaccountId, checks);
  await Promise.all(checks.map((c) => deps.registry.recordCheck(c.tenantHost, input.subaccountId, c.check)));
}

async function readCertificates(deps: StepDependencies, records: TenantRecord[], at: Date): Promise<TrustCertificates | { problem: string; fix: string }> {
  const first = records.find((r) => r.destinationServiceKeySecret) ?? records[0];
  if (!first?.destinationServiceKeySecret) {
    return {
      problem: `the registry does not say which Destination service key belongs to subaccount ${first?.subaccountId ?? ''} (the rows were written before the check existed)`,
      fix: 'Run the onboarding of one of its tenants again: the record step then stores the names of the credentials the check uses.',
    };
  }
  try {
    const destinations = await deps.destinationService(first.destinationServiceKeySecret, first.subaccountId, first.region);
    const active = await destinations.getActiveCertificate();
    const passive = await destinations.getPassiveCertificate();
    const summarized = (pem: string | undefined) => {
      if (!pem) return undefined;
      const c = parseCertificate(pem);
      return { pem: c.pem, summary: { commonName: c.commonName, fingerprintSha256: c.fingerprintSha256, notAfter: c.notAfter, daysLeft: daysUntilExpiry(c, at) } };
    };
    return { active: summarized(active), passive: summarized(passive) };
  } catch (e) {
    return unreachable(e);
  }
}

async function checkTenant(deps: StepDependencies, record: TenantRecord, certificates: TrustCertificates, expiryWindowDays: number): Promise<TenantResult> {
  if (!record.bootstrapUserSecret) {
    return {
      record,
      status: 'unreachable',
      detail: `the registry does not say which SAP_COM_0A48 user reads tenant ${record.tenantHost} (the row was written before the check existed)`,
      fix: 'Run the onboarding of this tenant again: the record step then stores the names of the credentials the check uses.',
    };
  }
  try {
    const s4 = await deps.s4(record.tenantHost, record.bootstrapUserSecret);
    const system = await s4.systems.findById(record.communicationSystemId);
    const verdict = classifyTenant({ ...record, expiryWindowDays }, certificates, system);
    return { record, ...verdict };
  } catch (e) {
    const { problem, fix } = unreachable(e);
    return { record, status: 'unreachable', detail: problem, fix };
  }
}

function unreachable(e: unknown): { problem: string; fix: string } {
  if (e instanceof PermanentStepError) return { problem: e.failure.message, fix: e.failure.fix };
  if (isSapError(e)) return { problem: e.message, fix: adviceFor(e) };
  // The registry not answering is for the activity's retry; anything else is a defect.
  throw e;
}
