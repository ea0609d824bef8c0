/**
 * IAS reads the certificates an administrator uploads and fills the read-only fields `dn`,
 * `validFrom`, `validTo` (recorded). It accepts PEM with BEGIN/END lines or bare base64 DER
 * (S-TF docs); anything that is not a certificate is refused with 400.
 */
import { X509Certificate } from 'node:crypto';
import type { ErrorDetail } from './iasResponses';

export interface CertificateFields {
  dn: string;
  validFrom: string;
  validTo: string;
}

function toIsoSeconds(date: string): string {
  return new Date(date).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** RFC 2253 order, as IAS shows it: most specific RDN first, comma separated. */
function distinguishedName(subject: string): string {
  return subject.split('\n').filter(Boolean).reverse().join(',');
}

export function readCertificate(base64Certificate: string): CertificateFields | undefined {
  const der = base64Certificate
    .replace(/-----BEGIN CERTIFICATE-----/g, '')
    .replace(/-----END CERTIFICATE-----/g, '')
    .replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+=*$/.test(der)) return undefined;
  try {
    const cert = new X509Certificate(new Uint8Array(Buffer.from(der, 'base64')));
    return { dn: distinguishedName(cert.subject), validFrom: toIsoSeconds(cert.validFrom), validTo: toIsoSeconds(cert.validTo) };
  } catch {
    return undefined;
  }
}

/** Replaces `dn`/`validFrom`/`validTo` with what the certificate says; returns the unreadable ones. */
export function fillCertificateFields(entry: Record<string, unknown>, target: string): ErrorDetail | undefined {
  const fields = typeof entry.base64Certificate === 'string' ? readCertificate(entry.base64Certificate) : undefined;
  if (!fields) return { target, message: 'The certificate is not a valid X.509 certificate.' };
  delete entry.dn;
  delete entry.validFrom;
  delete entry.validTo;
  const isDefault = entry.isDefault;
  delete entry.isDefault;
  const base64Certificate = entry.base64Certificate;
  delete entry.base64Certificate;
  Object.assign(entry, { dn: fields.dn, base64Certificate, validFrom: fields.validFrom, validTo: fields.validTo });
  if (isDefault !== undefined) entry.isDefault = isDefault;
  return undefined;
}
