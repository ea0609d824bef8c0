/**
 * Trust documents for tests: seed 004's four examples with their placeholders filled by real keys and
 * certificates (generated here, RSA 2048), and key pairs / certificates with chosen validity.
 */
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';
import type { TrustDocument } from '../../shared/neoTrust/trustDocument';

export interface KeyPairCertificate {
  /** base64 PKCS#8 DER, no BEGIN/END lines. */
  key: string;
  /** base64 DER, no BEGIN/END lines. */
  certificate: string;
  pem: string;
}

export function makeKeyPairCertificate(commonName: string, validity: { from?: Date; to?: Date } = {}): KeyPairCertificate {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = '0' + Math.floor(Math.random() * 1e9).toString(16);
  cert.validity.notBefore = validity.from ?? new Date(Date.now() - 86_400_000);
  cert.validity.notAfter = validity.to ?? new Date(Date.now() + 2 * 365 * 86_400_000);
  const attrs = [{ name: 'commonName', value: commonName }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.sign(forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()), forge.md.sha256.create());
  return {
    key: privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64'),
    certificate: forge.util.encode64(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes()),
    pem: forge.pki.certificateToPem(cert),
  };
}

const FIXTURES = path.resolve(__dirname, '../fixtures/neoTrust');
export const SEED_004_EXAMPLES = [1, 2, 3, 4] as const;

/** Example n of seed 004, verbatim but for its placeholders. One local SP key pair and one IdP certificate per call. */
export function seed004Example(n: (typeof SEED_004_EXAMPLES)[number], material: { sp?: KeyPairCertificate; idp?: KeyPairCertificate } = {}): TrustDocument {
  const sp = material.sp ?? makeKeyPairCertificate('https://hana.ondemand.com/example');
  const idp = material.idp ?? makeKeyPairCertificate('example-idp.accounts.ondemand.com');
  const text = readFileSync(path.join(FIXTURES, `seed004-example${n}.json`), 'utf8')
    .replaceAll('<private-key>', sp.key)
    .replaceAll('<public-certificiate>', sp.certificate)
    .replaceAll('<idp-certificate>', idp.certificate)
    .replaceAll('<valid-url>', 'https://example.com/logout')
    .replaceAll('<idp-name>', 'ExampleIdP')
    .replaceAll('<description>', 'Example identity provider');
  return JSON.parse(text) as TrustDocument;
}

export const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
