/**
 * PEM ⇄ base64 DER. S/4HANA's signing-certificate field and Neo's trust API want the certificate as
 * bare base64 (no BEGIN/END lines, no line breaks); the Destination service returns PEM.
 */
import { CertificateError } from './certificateError';

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * The DER bytes of the one certificate in `input`: a PEM block, or base64 DER with or without line
 * breaks. JSON-escaped newlines (`\n` as two characters) are accepted, as pasted from API answers.
 */
export function certificateDer(input: string | Buffer): Buffer {
  if (Buffer.isBuffer(input)) {
    if (input.length === 0) throw new CertificateError('empty', 'The certificate is empty.');
    // DER starts with a SEQUENCE tag; anything else is treated as text.
    return input[0] === 0x30 ? input : certificateDer(input.toString('utf8'));
  }
  const text = input.replace(/\\r\\n|\\n/g, '\n').trim();
  if (text.length === 0) throw new CertificateError('empty', 'The certificate is empty.');
  const blocks = [...text.matchAll(PEM_BLOCK)];
  if (blocks.some(([, label]) => label.includes('PRIVATE KEY'))) {
    throw new CertificateError('private-key', 'This is a private key, not a certificate. Never send private keys; give the public certificate (BEGIN CERTIFICATE).');
  }
  if (blocks.length > 0) {
    const certificates = blocks.filter(([, label]) => label === 'CERTIFICATE');
    if (certificates.length === 0) {
      throw new CertificateError('not-a-certificate', `Expected a PEM CERTIFICATE block, found ${blocks.map(([, l]) => l).join(', ')}.`);
    }
    if (certificates.length > 1) {
      throw new CertificateError('multiple-certificates', `Expected one certificate, found ${certificates.length}. Give only the trust certificate.`);
    }
    return decodeBase64(certificates[0][2]);
  }
  if (text.includes('-----')) throw new CertificateError('malformed', 'The PEM text has no matching BEGIN/END CERTIFICATE lines.');
  return decodeBase64(text);
}

function decodeBase64(body: string): Buffer {
  const compact = body.replace(/\s+/g, '');
  if (!BASE64.test(compact) || compact.length % 4 !== 0) {
    throw new CertificateError('malformed', 'The certificate is neither PEM nor valid base64-encoded DER.');
  }
  return Buffer.from(compact, 'base64');
}

/** PEM with 64-character lines, as RFC 7468 writes it. */
export function derToPem(der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/** Base64 DER on one line, without BEGIN/END lines: what S/4 and Neo take. */
export function pemToBase64Der(pem: string): string {
  return certificateDer(pem).toString('base64');
}

export function base64DerToPem(base64Der: string): string {
  return derToPem(certificateDer(base64Der));
}
