/**
 * A new RSA key pair and a self-signed X.509 certificate for it, with node:crypto only: what the
 * cockpit's "Generate Key Pair" does for a Neo local service provider (seed 000). node:crypto signs
 * but does not build certificates, so the few DER structures of an X.509 v1 certificate (RFC 5280:
 * v1 because it carries no extensions) are written here. The private key is returned to the caller,
 * whose activity stores it in the SecretStore and nowhere else.
 */
import { generateKeyPairSync, randomBytes, sign, X509Certificate } from 'node:crypto';

export interface SelfSignedKeyPair {
  /** base64 PKCS#8 DER, no BEGIN/END lines (the Neo trust API's signingKey). Secret. */
  privateKeyPkcs8Base64: string;
  /** base64 DER, no BEGIN/END lines (the Neo trust API's signingCertificate). */
  certificateBase64: string;
  notBefore: string;
  notAfter: string;
}

export const MIN_RSA_BITS = 2048;

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const tlv = (tag: number, value: Buffer) => Buffer.concat([Buffer.from([tag]), length(value.length), value]);
const sequence = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]) => tlv(0x31, Buffer.concat(items));
const nullValue = () => Buffer.from([0x05, 0x00]);

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const bytes = [40 * a + b];
  for (const arc of rest) {
    const chunk: number[] = [arc & 0x7f];
    for (let v = arc >> 7; v > 0; v >>= 7) chunk.unshift((v & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

/** A DER INTEGER of unsigned big-endian bytes: minimal, as OpenSSL 3 insists (a redundant leading zero is rejected). */
export function derPositiveInteger(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const digits = bytes.subarray(start);
  return tlv(0x02, digits[0] & 0x80 ? Buffer.concat([Buffer.from([0]), digits]) : digits);
}

/** UTCTime until 2049, GeneralizedTime after (RFC 5280 §4.1.2.5). */
function time(date: Date): Buffer {
  const iso = date.toISOString().replace(/[-:T]/g, '').replace(/\.\d{3}Z$/, 'Z');
  return date.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(iso.slice(2), 'ascii')) : tlv(0x18, Buffer.from(iso, 'ascii'));
}

const commonNameOnly = (cn: string) => sequence(set(sequence(oid('2.5.4.3'), tlv(0x0c, Buffer.from(cn, 'utf8')))));
const SHA256_WITH_RSA = () => sequence(oid('1.2.840.113549.1.1.11'), nullValue());

export function createSelfSignedKeyPair(options: { commonName: string; validDays: number; now: Date; bits?: number }): SelfSignedKeyPair {
  const bits = options.bits ?? MIN_RSA_BITS;
  if (bits < MIN_RSA_BITS) throw new Error(`RSA keys shorter than ${MIN_RSA_BITS} bits are refused`);
  if (!options.commonName || options.commonName.length > 64) throw new Error('the common name must have 1 to 64 characters (RFC 5280 ub-common-name)');
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  // Whole seconds: DER times carry no fractions.
  const notBefore = new Date(Math.floor(options.now.getTime() / 1000) * 1000 - 60_000);
  const notAfter = new Date(notBefore.getTime() + options.validDays * 86_400_000);
  // 16 random bytes whose first has bit 7 clear (positive) and bit 6 set (no leading zero to trim).
  const serial = randomBytes(16);
  serial[0] = (serial[0] & 0x3f) | 0x40;
  const name = commonNameOnly(options.commonName);
  const tbs = sequence(derPositiveInteger(serial), SHA256_WITH_RSA(), name, sequence(time(notBefore), time(notAfter)), name, publicKey.export({ type: 'spki', format: 'der' }));
  const signature = sign('sha256', tbs, privateKey);
  const der = sequence(tbs, SHA256_WITH_RSA(), tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  // Proof before anyone relies on it: node:crypto reads the certificate and its signature holds.
  const x509 = new X509Certificate(der);
  if (!x509.verify(publicKey) || !x509.checkPrivateKey(privateKey)) throw new Error('the generated certificate does not verify with its own key');
  return {
    privateKeyPkcs8Base64: privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64'),
    certificateBase64: der.toString('base64'),
    notBefore: notBefore.toISOString(),
    notAfter: notAfter.toISOString(),
  };
}
