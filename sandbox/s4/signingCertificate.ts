/**
 * The OAuth 2.0 IdP signing certificate of a communication system: what Fiori's "Upload Signing
 * Certificate" stores. The API field (contracts G.1, UNCONFIRMED) carries base64 DER; the sandbox
 * derives the subject/issuer fields from it and turns it into PEM for signature checks.
 */
import { X509Certificate } from 'node:crypto';
import { parsedBase64Der } from '../core/parsedCertificate';
import { SIGNING_CERTIFICATE_FIELD } from './fieldModel';
import { newEtag, type EntityRecord, type S4Tenant } from './tenantState';

export function distinguishedName(multiline: string): string {
  return multiline.split('\n').filter((l) => l.length > 0).join(', ');
}

/** Parses base64 DER (whitespace tolerated). Undefined when it is not an X.509 certificate. */
export function parseBase64Der(value: string): X509Certificate | undefined {
  const compact = value.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+=*$/.test(compact)) return undefined;
  try {
    return parsedBase64Der(compact);
  } catch {
    return undefined;
  }
}

/** Sets (or clears with null) the certificate and the fields derived from it. */
export function applySigningCertificate(system: EntityRecord, cert: X509Certificate | null): void {
  system[SIGNING_CERTIFICATE_FIELD] = cert ? cert.raw.toString('base64') : null;
  system.OAuth2IdentityProviderCertificateSubject = cert ? distinguishedName(cert.subject) : null;
  system.OAuth2IdentityProviderCertificateIssuer = cert ? distinguishedName(cert.issuer) : null;
}

export function signingCertificatePem(system: EntityRecord): string | undefined {
  const b64 = system[SIGNING_CERTIFICATE_FIELD];
  if (typeof b64 !== 'string' || b64.length === 0) return undefined;
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/** Reads PEM or base64 DER, as a person might paste either into Fiori. */
export function parseCertificateUpload(text: string): X509Certificate | undefined {
  if (text.includes('-----BEGIN CERTIFICATE-----')) {
    try {
      return new X509Certificate(text);
    } catch {
      return undefined;
    }
  }
  return parseBase64Der(text);
}

export class ManualUploadError extends Error {}

/**
 * Simulates the administrator's manual step in Fiori (*Communication Systems* » OAuth 2.0 Identity
 * Provider » Upload Signing Certificate), which works whatever the tenant's API switches say.
 * Optionally also sets the SAML issuer and activates the IdP, as the person does in the same screen.
 */
export function uploadSigningCertificateManually(
  t: S4Tenant,
  systemId: string,
  certificate: string,
  now: Date,
  options: { samlIssuer?: string; activate?: boolean } = {},
): EntityRecord {
  const system = Object.values(t.systems).find((s) => s.ID === systemId);
  if (!system) throw new ManualUploadError(`Communication system ${systemId} does not exist in tenant ${t.tenant}`);
  const cert = parseCertificateUpload(certificate);
  if (!cert) throw new ManualUploadError('certificate is neither a PEM certificate nor base64 DER');
  applySigningCertificate(system, cert);
  if (options.samlIssuer !== undefined) system.OAuth2IdentityProviderName = options.samlIssuer;
  if (options.activate !== false) system.IsOAuth2IdentityProviderActive = true;
  system['@etag'] = newEtag(now);
  return system;
}
