/**
 * Step 0: before any write, prove every credential works and learn what the tenant offers: the
 * BTP token (through a certificate read), the SAP_COM_0A48 user (through $metadata of the three
 * services), and whether the signing certificate can be written through the API at all.
 */
import type { OnboardingPlan } from './onboardingPlan';
import type { StepDependencies } from './stepDependencies';
import type { Preflight } from './stepReferences';
import { asActivityOutcome, unchanged, type ActivityOutcome } from './stepResult';

export function preflight({ plan }: { plan: OnboardingPlan }, deps: StepDependencies): Promise<ActivityOutcome<Preflight>> {
  return asActivityOutcome('preflight', plan.s4.tenant, async () => {
    const destinations = await deps.destinationService(plan.btp.destinationServiceKeySecret, plan.btp.subaccountId, plan.btp.region);
    const s4 = await deps.s4(plan.s4.host, plan.s4.bootstrapUserSecret);
    const [, capabilities] = await Promise.all([destinations.getActiveCertificate(), s4.capabilities()]);
    const detail = capabilities.certificateUploadByApi
      ? 'the tenant accepts the signing certificate through the API'
      : `the tenant does not offer ${capabilities.missing.join(', ')}: the certificate upload will be a manual step`;
    return unchanged({ certificateUploadByApi: capabilities.certificateUploadByApi, missingProperties: capabilities.missing }, detail);
  });
}
