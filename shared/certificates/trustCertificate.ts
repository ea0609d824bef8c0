/**
 * Reads an X.509 certificate (the subaccount's trust certificate, or one an administrator supplies)
 * with node:crypto. The SAML issuer S/4 must know is the subject's CN, which SAP writes as
 * `cfapps.<region>.hana.ondemand.com/<subaccount-guid>`: it is read from the certificate, never built.
 */
import { X509Certificate } from 'node:crypto';
import { CertificateError } from './certificateError';
import { certificateDer, derToPem } from './pemEncoding';

export interface CertificateInfo {
  pem: string;
  /** Base64 DER on one line (no BEGIN/END). */
  base64Der: string;
  /** The subject's common name, unescaped. */
  commonName: string;
  /** Display form, e.g. `CN=cfapps.eu10.hana.ondemand.com/…, OU=CP Destination Configuration, O=SAP`. */
  subject: string;
  issuer: string;
  serialNumber: string;
  /** SHA-256 over the DER, upper-case hex pairs joined by colons (as Fiori and the cockpit show it). */
  fingerprintSha256: string;
  /** The same, lower-case hex without separators. */
  fingerprintSha256Hex: string;
  notBefore: string;
  notAfter: string;
  selfSigned: boolean;
}

export function parseCertificate(input: string | Buffer): CertificateInfo {
  const der = certificateDer(input);
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(derToPem(der));
  } catch {
    throw new CertificateError('malformed', 'The data is not a readable X.509 certificate.');
  }
  const commonName = subjectCommonName(x509);
  if (!commonName) throw new CertificateError('malformed', 'The certificate subject has no common name (CN).');
  const fingerprintSha256 = x509.fingerprint256.toUpperCase();
  return {
    pem: derToPem(der),
    base64Der: der.toString('base64'),
    commonName,
    subject: displayName(x509.subject),
    issuer: displayName(x509.issuer),
    serialNumber: x509.serialNumber,
    fingerprintSha256,
    fingerprintSha256Hex: fingerprintSha256.replace(/:/g, '').toLowerCase(),
    notBefore: isoDate(x509.validFrom),
    notAfter: isoDate(x509.validTo),
    selfSigned: x509.checkIssued(x509),
  };
}

/** Whole days from `now` until the certificate expires; negative once it has. */
export function daysUntilExpiry(cert: Pick<CertificateInfo, 'notAfter'>, now: Date): number {
  return Math.floor((Date.parse(cert.notAfter) - now.getTime()) / 86_400_000);
}

/** Accepts `AB:CD:…`, `abcd…`, with or without colons or case. */
export function normalizeFingerprint(fingerprint: string): string {
  return fingerprint.replace(/[:\s]/g, '').toLowerCase();
}

export function sameFingerprint(a: string, b: string): boolean {
  return normalizeFingerprint(a) === normalizeFingerprint(b);
}

/**
 * `toLegacyObject().subject` gives the attribute values unescaped (the `subject` string escapes `,`,
 * `+`, `"` and control characters). Several CNs come as an array; the last is the most specific.
 */
function subjectCommonName(x509: X509Certificate): string | undefined {
  const subject = x509.toLegacyObject().subject as unknown as Record<string, string | string[] | undefined>;
  const cn = subject.CN;
  return Array.isArray(cn) ? cn[cn.length - 1] : cn;
}

function displayName(multiline: string): string {
  return multiline.split('\n').reverse().join(', ');
}

function isoDate(opensslDate: string): string {
  const ms = Date.parse(opensslDate);
  if (Number.isNaN(ms)) throw new CertificateError('malformed', 'The certificate validity dates cannot be read.');
  return new Date(ms).toISOString();
}
