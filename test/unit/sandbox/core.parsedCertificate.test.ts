import { createSelfSignedKeyPair } from '../../../shared/certificates/selfSignedCertificate';
import { parsedBase64Der, parsedPem } from '../../../sandbox/core/parsedCertificate';

const now = new Date('2026-12-02T00:00:00Z');
const first = createSelfSignedKeyPair({ commonName: 'cfapps.eu10.hana.ondemand.com', validDays: 30, now });
const second = createSelfSignedKeyPair({ commonName: 'cfapps.us10.hana.ondemand.com', validDays: 30, now });
const pemOf = (base64: string) => `-----BEGIN CERTIFICATE-----\n${base64.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;

describe('certificates the sandbox parses once per text', () => {
  it('hands out the same parsed certificate for the same PEM, and the right one for each PEM', () => {
    expect(parsedPem(pemOf(first.certificateBase64))).toBe(parsedPem(pemOf(first.certificateBase64)));
    expect(parsedPem(pemOf(first.certificateBase64)).subject).toContain('CN=cfapps.eu10.hana.ondemand.com');
    expect(parsedPem(pemOf(second.certificateBase64)).subject).toContain('CN=cfapps.us10.hana.ondemand.com');
  });

  it('parses base64 DER to the same certificate as its PEM', () => {
    const der = parsedBase64Der(first.certificateBase64);
    expect(der).toBe(parsedBase64Der(first.certificateBase64));
    expect(der.fingerprint256).toBe(parsedPem(pemOf(first.certificateBase64)).fingerprint256);
  });

  it('rejects what is not a certificate every time it is asked', () => {
    expect(() => parsedPem('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')).toThrow();
    expect(() => parsedPem('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')).toThrow();
    expect(() => parsedBase64Der('AAAA')).toThrow();
  });
});
