/**
 * Certificates and keys as the Neo trust API carries them: base64 DER without BEGIN/END lines
 * (contracts D). Parsed with node:crypto; a PEM armour is named as such, because pasting a PEM file
 * is the mistake administrators make.
 */
import { X509Certificate, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

const BASE64 = /^[A-Za-z0-9+/\s]+=*\s*$/;

function derBytes(value: string, what: string): Parsed<Buffer> {
  if (/-----BEGIN /.test(value)) return { ok: false, problem: `is PEM; the API wants the base64 DER ${what} without the BEGIN/END lines` };
  if (value.trim() === '') return { ok: false, problem: `is empty; the API wants the base64 DER ${what}` };
  if (!BASE64.test(value)) return { ok: false, problem: `is not base64 (the API wants the base64 DER ${what} without BEGIN/END lines)` };
  return { ok: true, value: Buffer.from(value.replace(/\s+/g, ''), 'base64') };
}

export function parseDerCertificate(value: string): Parsed<X509Certificate> {
  const bytes = derBytes(value, 'certificate');
  if (!bytes.ok) return bytes;
  try {
    return { ok: true, value: new X509Certificate(new Uint8Array(bytes.value)) };
  } catch {
    return { ok: false, problem: 'is base64 but not an X.509 certificate' };
  }
}

export function parsePkcs8Key(value: string): Parsed<KeyObject> {
  const bytes = derBytes(value, 'PKCS#8 private key');
  if (!bytes.ok) return bytes;
  try {
    return { ok: true, value: createPrivateKey({ key: bytes.value, format: 'der', type: 'pkcs8' }) };
  } catch {
    return { ok: false, problem: 'is base64 but not a PKCS#8 private key' };
  }
}

/** Whether the private key is the one whose public half the certificate carries. */
export function keyMatchesCertificate(key: KeyObject, certificate: X509Certificate): boolean {
  const fromKey = createPublicKey(key).export({ type: 'spki', format: 'der' });
  const fromCert = certificate.publicKey.export({ type: 'spki', format: 'der' });
  return Buffer.compare(new Uint8Array(fromKey), new Uint8Array(fromCert)) === 0;
}
