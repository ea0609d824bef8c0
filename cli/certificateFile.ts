/**
 * `sap-trust certificate <id>`: the certificate a manual step asks a person to upload, saved as a
 * PEM file (the download needs the function key, so a browser cannot fetch it). The file is
 * checked to be one X.509 certificate, and its subject and fingerprint are shown to compare with
 * what the Fiori app shows after the upload.
 */
import { X509Certificate } from 'node:crypto';

export interface SavedCertificate {
  path: string;
  subject: string;
  fingerprint256: string;
  validTo: string;
}

export function defaultCertificateFile(id: string): string {
  return `${id}-trust.pem`;
}

export function describeCertificate(pem: string): Omit<SavedCertificate, 'path'> {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(pem);
  } catch (e) {
    throw new Error(`the function app sent something that is not a PEM certificate (${(e as Error).message})`);
  }
  return { subject: certificate.subject.replace(/\n/g, ', '), fingerprint256: certificate.fingerprint256, validTo: new Date(certificate.validTo).toISOString() };
}
