import { createHash, X509Certificate } from 'node:crypto';
import * as forge from 'node-forge';
import {
  base64DerToPem,
  CertificateError,
  daysUntilExpiry,
  parseCertificate,
  pemToBase64Der,
  sameFingerprint,
} from '../../shared/certificates';

const keys = forge.pki.rsa.generateKeyPair(1024);
const SUBACCOUNT = '7b3c1e2a-4d5f-4a6b-9c8d-0e1f2a3b4c5d';

function selfSigned(commonName: string, notBefore: Date, notAfter: Date): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = '0a1b2c';
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  const attrs = [
    { name: 'organizationName', value: 'SAP' },
    { shortName: 'OU', value: 'CP Destination Configuration' },
    { name: 'commonName', value: commonName },
  ];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

const notBefore = new Date('2025-01-15T10:00:00Z');
const notAfter = new Date('2027-01-15T10:00:00Z');
const btpCn = `cfapps.eu10.hana.ondemand.com/${SUBACCOUNT}`;
const pem = selfSigned(btpCn, notBefore, notAfter);

describe('parseCertificate', () => {
  it('reads the CN with slashes as the SAML issuer S/4 needs', () => {
    expect(parseCertificate(pem).commonName).toBe(btpCn);
  });

  it('reads a CN with https:// and with characters the subject string escapes', () => {
    expect(parseCertificate(selfSigned('https://cfapps.eu10.hana.ondemand.com/x', notBefore, notAfter)).commonName).toBe(
      'https://cfapps.eu10.hana.ondemand.com/x',
    );
    expect(parseCertificate(selfSigned('a, b=c+d "q"', notBefore, notAfter)).commonName).toBe('a, b=c+d "q"');
  });

  it('gives the SHA-256 fingerprint over the DER in colon and plain form', () => {
    const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    const expected = createHash('sha256').update(new Uint8Array(der)).digest('hex');
    const info = parseCertificate(pem);
    expect(info.fingerprintSha256Hex).toBe(expected);
    expect(info.fingerprintSha256).toBe(expected.toUpperCase().match(/../g)!.join(':'));
    expect(sameFingerprint(info.fingerprintSha256, expected)).toBe(true);
  });

  it('gives validity as ISO timestamps and the days left', () => {
    const info = parseCertificate(pem);
    expect(info.notBefore).toBe('2025-01-15T10:00:00.000Z');
    expect(info.notAfter).toBe('2027-01-15T10:00:00.000Z');
    expect(daysUntilExpiry(info, new Date('2027-01-05T10:00:00Z'))).toBe(10);
    expect(daysUntilExpiry(info, new Date('2027-01-16T10:00:00Z'))).toBe(-1);
  });

  it('reads subject, issuer and self-signedness', () => {
    const info = parseCertificate(pem);
    expect(info.subject).toBe(`CN=${btpCn}, OU=CP Destination Configuration, O=SAP`);
    expect(info.issuer).toBe(info.subject);
    expect(info.selfSigned).toBe(true);
  });

  it('accepts PEM, CRLF PEM, JSON-escaped PEM, base64 DER and raw DER alike', () => {
    const fp = parseCertificate(pem).fingerprintSha256;
    const b64 = pemToBase64Der(pem);
    for (const form of [pem, pem.replace(/\n/g, '\r\n'), pem.replace(/\n/g, '\\n'), b64, b64.replace(/(.{76})/g, '$1\n'), Buffer.from(b64, 'base64')]) {
      expect(parseCertificate(form).fingerprintSha256).toBe(fp);
    }
  });
});

describe('PEM ⇄ base64 DER', () => {
  it('base64 DER has no BEGIN/END lines and no line breaks, and round-trips', () => {
    const b64 = pemToBase64Der(pem);
    expect(b64).not.toMatch(/-----|\s/);
    const back = base64DerToPem(b64);
    expect(back).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    expect(back.split('\n').every((l) => l.length <= 64)).toBe(true);
    expect(new X509Certificate(back).fingerprint256).toBe(new X509Certificate(pem).fingerprint256);
  });
});

describe('malformed certificates', () => {
  const problemOf = (input: string) => {
    try {
      parseCertificate(input);
    } catch (e) {
      expect(e).toBeInstanceOf(CertificateError);
      return (e as CertificateError).problem;
    }
    throw new Error('expected a CertificateError');
  };

  it('names the problem for each kind of bad input', () => {
    expect(problemOf('')).toBe('empty');
    expect(problemOf('not base64 at all!')).toBe('malformed');
    expect(problemOf(Buffer.from('hello world, this is not DER').toString('base64'))).toBe('malformed');
    expect(problemOf(pem.replace(/-----END CERTIFICATE-----/, ''))).toBe('malformed');
    expect(problemOf(pem + pem)).toBe('multiple-certificates');
    expect(problemOf('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----')).toBe('not-a-certificate');
  });

  it('refuses a private key without echoing it', () => {
    const keyPem = forge.pki.privateKeyToPem(keys.privateKey);
    const body = keyPem.split('\n')[1];
    let error: unknown;
    try {
      parseCertificate(keyPem);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CertificateError);
    expect((error as CertificateError).problem).toBe('private-key');
    expect((error as Error).message).not.toContain(body);
  });

  it('a truncated certificate is malformed', () => {
    const b64 = pemToBase64Der(pem);
    expect(problemOf(b64.slice(0, 400))).toBe('malformed');
  });
});
