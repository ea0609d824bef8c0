/**
 * The certificate a registry row records for a tenant: fingerprint, subject CN and end date of what S/4
 * holds. The onboarding and the rotation build it from their certificate references alike, and only these
 * three fields go into the row (a reference may carry more, e.g. the PEM).
 */
import type { TenantRecord } from './tenantRecord';

export function recordedCertificate(cert: { fingerprintSha256: string; commonName: string; notAfter: string }): TenantRecord['trustCertificate'] {
  return { fingerprintSha256: cert.fingerprintSha256, commonName: cert.commonName, notAfter: cert.notAfter };
}
