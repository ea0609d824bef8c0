/** Step 8: remember which tenant trusts which certificate, for the certificate check and rotation. */
import type { OnboardingPlan } from './onboardingPlan';
import type { StepDependencies } from './stepDependencies';
import type { ArrangementRef, CommunicationSystemRef, DestinationRef, TokenExchangeResult, TrustCertificateRef } from './stepReferences';
import { TenantRegistryError } from '../registry';
import { asActivityOutcome, PermanentStepError, type ActivityOutcome } from './stepResult';

export interface RecordInput {
  plan: OnboardingPlan;
  cert: TrustCertificateRef;
  system: CommunicationSystemRef;
  arrangement: ArrangementRef;
  destination: DestinationRef;
  verified: TokenExchangeResult;
  onboardingId: string;
}

export function recordTenant(input: RecordInput, deps: StepDependencies): Promise<ActivityOutcome<{ tenantHost: string }>> {
  const { plan, cert, system, arrangement, destination } = input;
  return asActivityOutcome('record', 'tenant registry', async () => {
    const now = deps.now().toISOString();
    const { outcome } = await upsertOrExplain(deps, {
      tenantHost: plan.s4.host,
      subaccountId: plan.btp.subaccountId,
      region: plan.btp.region,
      communicationSystemId: system.systemId,
      scenarioId: arrangement.scenarioId,
      arrangementName: arrangement.arrangementName,
      destinationName: destination.name,
      trustCertificate: { fingerprintSha256: cert.fingerprintSha256, commonName: cert.commonName, notAfter: cert.notAfter },
      onboardedAt: now,
      lastVerifiedAt: now,
      onboardingId: input.onboardingId,
    });
    return { ok: true, outcome, reference: { tenantHost: plan.s4.host } };
  });
}

/** A registry file someone damaged is the administrator's to repair, not a product defect. */
async function upsertOrExplain(deps: StepDependencies, record: Parameters<StepDependencies['registry']['upsert']>[0]) {
  try {
    return await deps.registry.upsert(record);
  } catch (e) {
    if (!(e instanceof TenantRegistryError)) throw e;
    throw new PermanentStepError({ system: 'tenant registry', kind: 'RegistryUnreadable', message: e.message, fix: e.fix });
  }
}
