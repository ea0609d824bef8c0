/**
 * The sandbox's local CA: generated at first start and kept in `<dataDir>/sandbox/ca.pem` and
 * `ca-key.pem`, so a product configured with SAP_EXTRA_CA_FILE keeps trusting it across restarts.
 * Server certificates are issued per SNI host on demand and cached for the life of the process.
 * Keys come from node:crypto (native, fast); node-forge builds the certificates. Server certificates
 * carry an ECDSA P-256 key (node-forge cannot write one, so their TBS is signed with node:crypto).
 */
import { generateKeyPair, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { promisify } from 'node:util';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import forge from 'node-forge';

export interface CertificateAuthority {
  caPem: string;
  caFile: string;
  /** A TLS context whose certificate names `host` (SAN), signed by the CA. Cached per host. */
  contextFor(host: string): tls.SecureContext;
}

export interface KeyPairPem {
  privateKeyPem: string;
  publicKeyPem: string;
}

export function generateRsaKeyPair(bits = 2048): KeyPairPem {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: bits,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

const generateKeyPairAsync = promisify(generateKeyPair);

/** The same off the event loop: a 4096-bit key takes seconds, and the sandbox serves others meanwhile. */
export async function generateRsaKeyPairAsync(bits = 2048): Promise<KeyPairPem> {
  const { privateKey, publicKey } = await generateKeyPairAsync('rsa', {
    modulusLength: bits,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

/**
 * A random 16-byte serial number as the hex of its DER INTEGER content (what node-forge writes).
 * DER integers are two's complement: a first byte of 0x80 or more makes the serial negative, as one
 * of SAP's recorded trust certificates has (contracts A.3 update). The first byte is kept away from
 * 0x00 and 0xff so the encoding stays minimal, as DER requires.
 */
export function randomSerial(sign: 'positive' | 'negative' | 'either' = 'positive'): string {
  const bytes = randomBytes(16);
  const negative = sign === 'negative' || (sign === 'either' && (bytes[1] & 1) === 1);
  bytes[0] = negative ? Math.min(bytes[0] | 0x80, 0xfe) : Math.max(bytes[0] & 0x7f, 0x01);
  return bytes.toString('hex');
}

function createCa(): { certPem: string; keyPem: string } {
  const keys = generateRsaKeyPair(2048);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicKeyPem);
  cert.serialNumber = randomSerial();
  cert.validity.notBefore = new Date(Date.now() - 24 * 3600_000);
  cert.validity.notAfter = new Date(Date.now() + 10 * 365 * 24 * 3600_000);
  const subject = [
    { name: 'commonName', value: 'SAP Trust Onboarding Sandbox Local CA' },
    { name: 'organizationName', value: 'sandbox (not SAP)' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(keys.privateKeyPem), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.privateKeyPem };
}

/** Loads the CA from `<dir>/ca.pem` + `ca-key.pem`, creating both on first start. */
export function loadOrCreateCa(dir: string): CertificateAuthority {
  mkdirSync(dir, { recursive: true });
  const caFile = path.join(dir, 'ca.pem');
  const keyFile = path.join(dir, 'ca-key.pem');
  if (!existsSync(caFile) || !existsSync(keyFile)) {
    const created = createCa();
    writeFileSync(keyFile, created.keyPem, { mode: 0o600 });
    writeFileSync(caFile, created.certPem, { mode: 0o644 });
  }
  const caPem = readFileSync(caFile, 'utf8');
  const caCert = forge.pki.certificateFromPem(caPem);
  const caKeyPem = readFileSync(keyFile, 'utf8');
  // One key for every server certificate of this process: issuing per host then costs one signature.
  // ECDSA P-256, as many TLS front ends serve: each handshake then costs the sandbox a P-256 signature
  // instead of an RSA-2048 one (a tenth of the CPU), and the check opens a connection to every tenant.
  // The contracts say nothing about SAP's server keys; the CA stays RSA.
  const leafKeys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const leafKeyPem = leafKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const leafSpki = forge.asn1.fromDer(forge.util.createBuffer(leafKeys.publicKey.export({ type: 'spki', format: 'der' }).toString('binary')));
  const cache = new Map<string, tls.SecureContext>();

  function issue(host: string): string {
    const cert = forge.pki.createCertificate();
    // node-forge writes RSA keys only: the CA's key stands in, and the TBS gets the EC key below.
    cert.publicKey = caCert.publicKey;
    cert.serialNumber = randomSerial();
    cert.validity.notBefore = new Date(Date.now() - 24 * 3600_000);
    cert.validity.notAfter = new Date(Date.now() + 365 * 24 * 3600_000);
    cert.setSubject([{ name: 'commonName', value: host.slice(0, 64) }]);
    cert.setIssuer(caCert.subject.attributes);
    const isIp = /^\d+\.\d+\.\d+\.\d+$/.test(host);
    cert.setExtensions([
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [isIp ? { type: 7, ip: host } : { type: 2, value: host }] },
    ]);
    return signedWithEcKey(cert);
  }

  /** Certificate ::= SEQUENCE { tbsCertificate (with the EC key), sha256WithRSAEncryption, signature }. */
  function signedWithEcKey(cert: forge.pki.Certificate): string {
    const { asn1 } = forge;
    cert.siginfo.algorithmOid = forge.pki.oids.sha256WithRSAEncryption;
    // getTBSCertificate exists in node-forge but not in its type declarations.
    const tbs = (forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 }).getTBSCertificate(cert);
    const parts = tbs.value as forge.asn1.Asn1[];
    // TBSCertificate: version, serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo, extensions.
    parts[6] = leafSpki;
    const tbsDer = Buffer.from(asn1.toDer(tbs).getBytes(), 'binary');
    const signature = sign('sha256', tbsDer, caKeyPem);
    const algorithm = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(forge.pki.oids.sha256WithRSAEncryption).getBytes()),
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, ''),
    ]);
    const certificate = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
      tbs,
      algorithm,
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, `\0${signature.toString('binary')}`),
    ]);
    const der = Buffer.from(asn1.toDer(certificate).getBytes(), 'binary');
    return `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END CERTIFICATE-----\n`;
  }

  return {
    caPem,
    caFile,
    contextFor(host: string): tls.SecureContext {
      const name = certificateNameFor(host.toLowerCase());
      let ctx = cache.get(name);
      if (!ctx) {
        ctx = tls.createSecureContext({ key: leafKeyPem, cert: `${issue(name)}${caPem}` });
        cache.set(name, ctx);
      }
      return ctx;
    },
  };
}

/**
 * The name a server certificate is issued for: the wildcard of the host's parent domain, as SAP
 * serves `*.s4hana.ondemand.com` or `*.cfapps.eu10.hana.ondemand.com`. One certificate then covers
 * every tenant and subaccount, so a new one costs no certificate issue on first contact.
 */
export function certificateNameFor(host: string): string {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) return host;
  const labels = host.split('.');
  return labels.length >= 3 ? `*.${labels.slice(1).join('.')}` : host;
}
