/**
 * X.509 certificates the sandbox parses on every token request or destination lookup (the trust
 * certificate, a communication system's signing certificate), parsed once per text. The same few
 * certificates come back for every tenant, and parsing one costs more than answering the call.
 */
import { X509Certificate } from 'node:crypto';
import { recentlyUsed } from '../../shared/memo/recentlyUsed';

const byPem = recentlyUsed<string, X509Certificate>(256);
const byBase64Der = recentlyUsed<string, X509Certificate>(256);

/** Throws as `new X509Certificate(pem)` does; a text that failed is parsed (and fails) again next time. */
export function parsedPem(pem: string): X509Certificate {
  return byPem(pem, () => new X509Certificate(pem));
}

/** `compact`: base64 without whitespace. */
export function parsedBase64Der(compact: string): X509Certificate {
  return byBase64Der(compact, () => new X509Certificate(new Uint8Array(Buffer.from(compact, 'base64'))));
}
