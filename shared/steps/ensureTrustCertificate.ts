/**
 * Step 1: the subaccount's trust certificate ("Download Trust"). GET first; POST only when there is
 * none and the request allows it: a POST on an existing certificate renews it and breaks every trust.
 */
import { parseCertificate } from '../certificates';
import type { OnboardingPlan } from './onboardingPlan';
import type { StepDependencies } from './stepDependencies';
import type { TrustCertificateRef } from './stepReferences';
import { asActivityOutcome, created, PermanentStepError, unchanged, type ActivityOutcome } from './stepResult';

export function ensureTrustCertificate({ plan }: { plan: OnboardingPlan }, deps: StepDependencies): Promise<ActivityOutcome<TrustCertificateRef>> {
  const system = `subaccount ${plan.btp.subaccountId}`;
  return asActivityOutcome('trustCertificate', system, async () => {
    if (plan.btp.trustCertificatePem) return unchanged(toRef(plan.btp.trustCertificatePem), 'supplied in the request');
    const destinations = await deps.destinationService(plan.btp.destinationServiceKeySecret, plan.btp.subaccountId);
    const existing = await destinations.getActiveCertificate();
    if (existing) return unchanged(toRef(existing), `CN=${parseCertificate(existing).commonName}`);
    if (!plan.btp.allowCertificateGeneration) {
      throw new PermanentStepError({
        system,
        kind: 'NoTrustCertificate',
        message: 'the subaccount has no trust certificate yet',
        fix: 'Generate it in the BTP cockpit (Connectivity > Destination Trust), or set btp.allowCertificateGeneration to true in the request ("btp": {"allowCertificateGeneration": true, …}) to let the onboarding generate it.',
      });
    }
    const { certificate, generated } = await destinations.generateActiveIfMissing();
    const ref = toRef(certificate);
    return generated ? created(ref, `generated, CN=${ref.commonName}`) : unchanged(ref);
  });
}

function toRef(pem: string): TrustCertificateRef {
  const info = parseCertificate(pem);
  return {
    commonName: info.commonName,
    fingerprintSha256: info.fingerprintSha256,
    notBefore: info.notBefore,
    notAfter: info.notAfter,
    pem: info.pem,
    base64Der: info.base64Der,
  };
}
