/** The manual step for tenants that do not take the signing certificate through the API. */
import type { ManualAction } from '../../shared/workflow/workflowStatus';
import type { TrustCertificateRef } from './references';
import type { OnboardingSpec } from './spec';

export function manualCertificateUpload(spec: OnboardingSpec, cert: Pick<TrustCertificateRef, 'commonName' | 'fingerprintSha256' | 'pem'>, runId: string, deadline: Date): ManualAction {
  const mappingMode = spec.s4.userIdMappingMode === 'user_uuid' ? 'User UUID' : 'User Name';
  return {
    step: 'communicationSystem',
    title: `Upload the BTP trust certificate to communication system ${spec.s4.communicationSystemId} on ${spec.s4.tenant}`,
    instructions: [
      `Open https://${spec.s4.uiHost}/ui#CommunicationSystem-maintain (Fiori app "Communication Systems") and open system ${spec.s4.communicationSystemId}.`,
      `Under "OAuth 2.0 Identity Provider", click "Upload Signing Certificate" and upload the attached certificate (SHA-256 ${cert.fingerprintSha256}); "sap-trust certificate ${runId}" saves it.`,
      `Set "OAuth 2.0 SAML Issuer" to ${cert.commonName} and "User ID Mapping Mode" to ${mappingMode}, then save.`,
      `Confirm with "sap-trust resume ${runId} communicationSystem" (POST /api/onboardings/${runId}/manual-steps/communicationSystem); the onboarding then reads the system back and checks it.`,
    ],
    attachments: [
      {
        name: 'certificate',
        fileName: `${runId}-trust.pem`,
        contentType: 'application/x-pem-file',
        description: 'Certificate to upload',
        content: cert.pem,
      },
    ],
    facts: { 'Fiori app': 'Communication Systems', 'OAuth 2.0 SAML Issuer': cert.commonName, 'User ID Mapping Mode': mappingMode, 'SHA-256': cert.fingerprintSha256 },
    deadline: deadline.toISOString(),
  };
}
