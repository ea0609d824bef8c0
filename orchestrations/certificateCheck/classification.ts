/**
 * ok / expiring / mismatch for one tenant, from what BTP signs with and what the tenant's
 * communication system holds. Pure: the step reads, this decides, and the words are an SAP
 * administrator's.
 */
import { holdsSigningCertificate } from '../../shared/sap/s4/unconfirmedFields';
import type { CertificateSummary, CheckStatus } from './findings';

export interface TrustCertificates {
  active?: { pem: string; summary: CertificateSummary };
  passive?: { pem: string; summary: CertificateSummary };
}

export interface Classification {
  status: Exclude<CheckStatus, 'unreachable'>;
  daysLeft?: number;
  detail: string;
  fix: string;
}

export const repairFix = (subaccountId: string, tenantHost: string) =>
  `Push the subaccount's active certificate to the tenant: POST /api/repairs {"subaccountId": "${subaccountId}", "tenantHost": "${tenantHost}"} (sap-trust repair ${subaccountId}), or upload it in the Fiori app Communication Systems and set the SAML issuer to its CN.`;

export const rotationFix = (subaccountId: string, notAfter: string) =>
  `Rotate the trust certificate of subaccount ${subaccountId} before ${notAfter}: POST /api/rotations {"subaccountId": "${subaccountId}"} (sap-trust rotate ${subaccountId}) pushes a new certificate to every tenant in one cut-over.`;

export function classifyTenant(
  input: { tenantHost: string; subaccountId: string; communicationSystemId: string; expiryWindowDays: number },
  certificates: TrustCertificates,
  system: Record<string, unknown> | undefined,
): Classification {
  const { tenantHost, subaccountId, communicationSystemId: systemId, expiryWindowDays } = input;
  const active = certificates.active;
  if (!active) {
    return {
      status: 'mismatch',
      detail: `subaccount ${subaccountId} has no trust certificate, so no token exchange to ${tenantHost} can work`,
      fix: `Generate the trust certificate in the BTP cockpit (Connectivity > Destination Trust) or onboard the tenant again with allowCertificateGeneration, then push it to the tenant: ${repairFix(subaccountId, tenantHost)}`,
    };
  }
  if (!system) {
    return {
      status: 'mismatch',
      detail: `tenant ${tenantHost} has no communication system ${systemId} any more, so token exchanges fail now`,
      fix: `Onboard the tenant again (POST /api/onboardings): it creates the communication system with the active certificate.`,
    };
  }
  if (!holdsSigningCertificate(system, active.pem)) {
    const holdsPassive = certificates.passive !== undefined && holdsSigningCertificate(system, certificates.passive.pem);
    return {
      status: 'mismatch',
      daysLeft: active.summary.daysLeft,
      detail: holdsPassive
        ? `communication system ${systemId} holds the subaccount's passive certificate (${certificates.passive!.summary.fingerprintSha256}), while BTP signs with the active one (${active.summary.fingerprintSha256}): token exchanges fail now`
        : `communication system ${systemId} holds another signing certificate than the subaccount's active one (CN ${active.summary.commonName}, ${active.summary.fingerprintSha256}): token exchanges fail now`,
      fix: repairFix(subaccountId, tenantHost),
    };
  }
  const { daysLeft, notAfter } = active.summary;
  if (daysLeft <= expiryWindowDays) {
    return {
      status: 'expiring',
      daysLeft,
      detail: daysLeft < 0 ? `the trust certificate expired on ${notAfter}` : `the trust certificate ends on ${notAfter}, in ${daysLeft} days (window ${expiryWindowDays})`,
      fix: rotationFix(subaccountId, notAfter),
    };
  }
  return { status: 'ok', daysLeft, detail: `trusts the active certificate until ${notAfter} (${daysLeft} days)`, fix: '' };
}
