/** A real self-signed X.509 certificate for tests that upload signing certificates (IAS, Neo). */
import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';

export interface TestCertificate {
  pem: string;
  /** base64 DER without BEGIN/END lines, as Neo wants it. */
  base64Der: string;
  /** base64 PKCS#8 private key without BEGIN/END lines. */
  base64Pkcs8Key: string;
  commonName: string;
}

export function makeTestCertificate(commonName = 'cfapps.eu10.hana.ondemand.com/1b2c3d4e-0000-4000-8000-000000000001'): TestCertificate {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.UTC(2025, 0, 1));
  cert.validity.notAfter = new Date(Date.UTC(2027, 0, 1));
  // DER order O, OU, CN: shown as CN=…,OU=…,O=SAP in RFC 2253 order, like SAP's certificates.
  const attrs = [
    { name: 'organizationName', value: 'SAP' },
    { shortName: 'OU', value: 'CP Destination Configuration' },
    { name: 'commonName', value: commonName },
  ];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.sign(forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()), forge.md.sha256.create());
  const pem = forge.pki.certificateToPem(cert);
  const base64Der = forge.util.encode64(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes());
  const base64Pkcs8Key = privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64');
  return { pem, base64Der, base64Pkcs8Key, commonName };
}
