/**
 * A certificate from SP metadata (`KeyDescriptor/KeyInfo/X509Data/X509Certificate`, base64 DER with
 * line breaks), read with node:crypto. IAS would accept an expired one silently and the SP's logons
 * would fail later, so an expired or not yet valid certificate is refused here, before any write.
 */
import { X509Certificate } from 'node:crypto';

export interface MetadataCertificate {
  /** PEM with BEGIN/END lines, as the IAS Application Directory takes it (S-TF). */
  pem: string;
  /** Base64 DER on one line. */
  base64Der: string;
  /** RFC 2253 order, most specific RDN first, as IAS shows `dn`. */
  subject: string;
  notBefore: string;
  notAfter: string;
  /** SHA-256 over the DER, lower-case hex without separators. */
  fingerprintSha256: string;
}

export type CertificateReading = { ok: true; certificate: MetadataCertificate } | { ok: false; problem: string };

function pemOf(base64Der: string): string {
  return `-----BEGIN CERTIFICATE-----\n${base64Der.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----`;
}

const iso = (date: string) => new Date(date).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function readMetadataCertificate(text: string, now: Date): CertificateReading {
  const base64Der = text.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
  if (base64Der === '' || !/^[A-Za-z0-9+/]+=*$/.test(base64Der)) return { ok: false, problem: 'is not base64' };
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(new Uint8Array(Buffer.from(base64Der, 'base64')));
  } catch {
    return { ok: false, problem: 'is not a readable X.509 certificate' };
  }
  const certificate: MetadataCertificate = {
    pem: pemOf(base64Der),
    base64Der,
    subject: x509.subject.split('\n').filter(Boolean).reverse().join(','),
    notBefore: iso(x509.validFrom),
    notAfter: iso(x509.validTo),
    fingerprintSha256: x509.fingerprint256.replace(/:/g, '').toLowerCase(),
  };
  if (Date.parse(certificate.notAfter) <= now.getTime()) {
    return { ok: false, problem: `(${certificate.subject}) expired on ${certificate.notAfter}; generate a new key pair for the service provider and export its metadata again` };
  }
  if (Date.parse(certificate.notBefore) > now.getTime()) {
    return { ok: false, problem: `(${certificate.subject}) is not valid before ${certificate.notBefore}` };
  }
  return { ok: true, certificate };
}
