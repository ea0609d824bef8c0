import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { createSelfSignedKeyPair, derPositiveInteger } from '../../shared/certificates/selfSignedCertificate';
import { neoServiceProviderMetadata } from '../../shared/saml/neoServiceProviderMetadata';
import { parseSpMetadata } from '../../shared/saml/spMetadata';

const now = new Date('2026-12-02T10:00:00Z');

describe('a generated key pair for a Neo local service provider', () => {
  const pair = createSelfSignedKeyPair({ commonName: 'https://hana.ondemand.com/myneoaccount', validDays: 730, now });

  it('is an RSA 2048 key with a self-signed certificate node:crypto reads and verifies', () => {
    const cert = new X509Certificate(Buffer.from(pair.certificateBase64, 'base64'));
    expect(cert.subject).toBe('CN=https://hana.ondemand.com/myneoaccount');
    expect(cert.issuer).toBe(cert.subject);
    expect(cert.verify(cert.publicKey)).toBe(true);
    const key = createPrivateKey({ key: Buffer.from(pair.privateKeyPkcs8Base64, 'base64'), format: 'der', type: 'pkcs8' });
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(cert.checkPrivateKey(key)).toBe(true);
    expect(createPublicKey(key).export({ format: 'jwk' })).toEqual(cert.publicKey.export({ format: 'jwk' }));
    expect(new Date(cert.validTo).getTime() - new Date(cert.validFrom).getTime()).toBe(730 * 86_400_000);
  });

  it('has a 16-byte positive serial whose DER needs no trimming (a leading zero byte once made 1 in 256 certificates unreadable)', () => {
    const serial = new X509Certificate(Buffer.from(pair.certificateBase64, 'base64')).serialNumber;
    expect(serial).toMatch(/^[4-7][0-9A-F]{31}$/);
  });

  it('encodes serials as minimal DER integers', () => {
    const hex = (bytes: number[]) => derPositiveInteger(Buffer.from(bytes)).toString('hex');
    expect(hex([0x00, 0x05])).toBe('020105');
    expect(hex([0x00, 0x00, 0x7f, 0x01])).toBe('02027f01');
    expect(hex([0x80, 0x01])).toBe('0203008001');
    expect(hex([0x00, 0x80])).toBe('02020080');
    expect(hex([0x00, 0x00])).toBe('020100');
  });

  it('refuses keys shorter than 2048 bits', () => {
    expect(() => createSelfSignedKeyPair({ commonName: 'x', validDays: 1, now, bits: 1024 })).toThrow(/shorter than 2048/);
  });

  it('uses GeneralizedTime after 2049', () => {
    const late = createSelfSignedKeyPair({ commonName: 'late', validDays: 365 * 30, now });
    expect(new X509Certificate(Buffer.from(late.certificateBase64, 'base64')).validTo).toMatch(/2056/);
  });

  it('its SP metadata (the cockpit\'s Get Metadata shape) reads back: entity, Neo ACS and the certificate', () => {
    const xml = neoServiceProviderMetadata({ landscapeHost: 'eu2.hana.ondemand.com', subaccount: 'myneoaccount', name: 'https://eu2.hana.ondemand.com/myneoaccount', signingCertificate: pair.certificateBase64 });
    const reading = parseSpMetadata(xml, now);
    if (!reading.ok) throw new Error(reading.problems.join('; '));
    expect(reading.metadata.entityId).toBe('https://eu2.hana.ondemand.com/myneoaccount');
    expect(reading.metadata.assertionConsumerServices[0].location).toBe('https://authn.eu2.hana.ondemand.com/saml2/sp/acs/myneoaccount/myneoaccount');
    expect(reading.metadata.signingCertificates[0].base64Der).toBe(pair.certificateBase64);
  });
});
