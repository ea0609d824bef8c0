/**
 * What the API, the Durable history and the logs may see of a trust document: everything but the
 * local service provider's private key, which is replaced by a note naming its public key. The
 * fingerprint (SHA-256 of the canonical JSON of the FULL document) tells two documents apart without
 * showing either.
 */
import { createHash, createPublicKey } from 'node:crypto';
import { parsePkcs8Key } from './keyMaterial';

export const REDACTED_KEY_PREFIX = '(secret, not shown';

/** JSON with object keys sorted at every level: the same document always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function documentFingerprint(document: unknown): string {
  return createHash('sha256').update(canonicalJson(document)).digest('hex');
}

/** `(secret, not shown; public key sha256 1a2b…)`: which key it is, without any of its secret half. */
export function describePrivateKey(signingKey: string): string {
  const parsed = parsePkcs8Key(signingKey);
  if (!parsed.ok) return `${REDACTED_KEY_PREFIX}; not a readable key)`;
  const spki = createPublicKey(parsed.value).export({ type: 'spki', format: 'der' });
  return `${REDACTED_KEY_PREFIX}; public key sha256 ${createHash('sha256').update(new Uint8Array(spki)).digest('hex').slice(0, 32)})`;
}

export function redactTrustDocument<T extends { localServiceProvider?: { signingKey?: string } }>(document: T): T {
  const lsp = document.localServiceProvider;
  if (!lsp?.signingKey) return document;
  return { ...document, localServiceProvider: { ...lsp, signingKey: describePrivateKey(lsp.signingKey) } };
}
