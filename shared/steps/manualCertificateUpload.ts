/** The manual step for tenants that do not take the signing certificate through the API. */
import type { OnboardingPlan } from './onboardingPlan';
import type { TrustCertificateRef } from './stepReferences';
import type { ManualAction } from './workflowStatus';

export const manualStepEventName = (step: string) => `manualStep:${step}`;

export function manualCertificateUpload(
  plan: OnboardingPlan,
  cert: Pick<TrustCertificateRef, 'commonName' | 'fingerprintSha256' | 'pem'>,
  instanceId: string,
  deadline: Date,
): ManualAction {
  const certificatePath = `onboardings/${encodeURIComponent(instanceId)}/certificate`;
  return {
    step: 'communicationSystem',
    title: `Upload the BTP trust certificate to communication system ${plan.s4.communicationSystemId} on ${plan.s4.tenant}`,
    fioriApp: 'Communication Systems',
    instructions: [
      `Open https://${plan.s4.uiHost}/ui#CommunicationSystem-maintain (Fiori app "Communication Systems") and open system ${plan.s4.communicationSystemId}.`,
      `Under "OAuth 2.0 Identity Provider", click "Upload Signing Certificate" and upload the certificate from GET /api/${certificatePath} (SHA-256 ${cert.fingerprintSha256}).`,
      `Set "OAuth 2.0 SAML Issuer" to ${cert.commonName} and "User ID Mapping Mode" to ${plan.s4.userIdMappingMode === 'user_uuid' ? 'User UUID' : 'User Name'}, then save.`,
      `Confirm with POST /api/onboardings/${encodeURIComponent(instanceId)}/manual-steps/communicationSystem (or "sap-trust resume ${instanceId} communicationSystem"); the onboarding then reads the system back and checks it.`,
    ],
    certificatePath,
    certificatePem: cert.pem,
    samlIssuer: cert.commonName,
    deadline: deadline.toISOString(),
  };
}
