/** The subaccount trust certificate as SAP's recorded one (contracts A.3 update): subject order, serials, key size. */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { randomSerial } from '../../../sandbox/core/certificateAuthority';
import { defaultTrustKeyBits, generateTrustKeyPair, generateTrustKeyPairAsync } from '../../../sandbox/btp/trustCertificate';

const GUID = '0f1e2d3c-4b5a-4968-8776-655443322110';
const SUB = { region: 'eu12', guid: GUID, trustCertificateKeyBits: 2048 as const };

/** The serial's DER INTEGER content bytes, read from the certificate itself. */
function serialBytes(pem: string): Buffer {
  const asn1 = forge.asn1.fromDer(forge.util.decode64(pem.replace(/-----[^-]+-----|\s/g, '')));
  const tbs = (asn1.value as forge.asn1.Asn1[])[0];
  const fields = tbs.value as forge.asn1.Asn1[];
  const serial = fields[0].tagClass === forge.asn1.Class.CONTEXT_SPECIFIC ? fields[1] : fields[0];
  return Buffer.from(serial.value as string, 'binary');
}

function minimalDer(bytes: Buffer): boolean {
  return bytes.length === 1 || !((bytes[0] === 0x00 && bytes[1] < 0x80) || (bytes[0] === 0xff && bytes[1] >= 0x80));
}

describe('subaccount trust certificate', () => {
  it('has the recorded subject CN, O, OU in that order, is self-signed with sha512WithRSA, valid exactly two years', () => {
    const now = new Date('2026-02-28T12:00:00.000Z');
    const { certificatePem, privateKeyPem } = generateTrustKeyPair(SUB, now);
    const cert = new X509Certificate(certificatePem);
    expect(cert.subject).toBe(`CN=cfapps.eu12.hana.ondemand.com/${GUID}\nO=SAP\nOU=CP Destination Configuration`);
    expect(cert.issuer).toBe(cert.subject);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.checkPrivateKey(createPrivateKey(privateKeyPem))).toBe(true);
    expect(forge.pki.certificateFromPem(certificatePem).siginfo.algorithmOid).toBe(forge.pki.oids.sha512WithRSAEncryption);
    expect([new Date(cert.validFrom).toISOString(), new Date(cert.validTo).toISOString()]).toEqual(['2026-02-28T12:00:00.000Z', '2028-02-28T12:00:00.000Z']);
    expect(cert.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
  });

  it('takes the validity per subaccount when one is set', async () => {
    const { certificatePem } = await generateTrustKeyPairAsync({ ...SUB, trustCertificateValiditySeconds: 30 }, new Date('2026-01-01T00:00:00Z'));
    expect(new Date(new X509Certificate(certificatePem).validTo).toISOString()).toBe('2026-01-01T00:00:30.000Z');
  });

  it('writes negative serial numbers now and then, always in minimal DER that Node and forge read back', () => {
    const negative = generateTrustKeyPair({ ...SUB }, new Date());
    const signs = new Set<string>();
    for (let i = 0; i < 64; i += 1) {
      const hex = randomSerial('either');
      signs.add(parseInt(hex.slice(0, 2), 16) >= 0x80 ? 'negative' : 'positive');
      expect(minimalDer(Buffer.from(hex, 'hex'))).toBe(true);
    }
    expect(signs).toEqual(new Set(['negative', 'positive']));
    for (const sign of ['negative', 'positive'] as const) {
      for (let i = 0; i < 32; i += 1) expect(minimalDer(Buffer.from(randomSerial(sign), 'hex'))).toBe(true);
    }
    // A certificate with a negative serial: Node shows it signed, forge keeps its two's-complement bytes.
    const forged = forge.pki.certificateFromPem(negative.certificatePem);
    forged.serialNumber = randomSerial('negative');
    forged.sign(forge.pki.privateKeyFromPem(negative.privateKeyPem), forge.md.sha512.create());
    const pem = forge.pki.certificateToPem(forged);
    expect(serialBytes(pem)[0]).toBeGreaterThanOrEqual(0x80);
    expect(new X509Certificate(pem).serialNumber).toMatch(/^-[0-9A-F]+$/);
    expect(forge.pki.certificateFromPem(pem).serialNumber).toBe(forged.serialNumber);
    expect(minimalDer(serialBytes(negative.certificatePem))).toBe(true);
  });

  it('is RSA 4096 unless SANDBOX_CERT_KEY_BITS or the subaccount says otherwise; a bad setting is named', () => {
    expect(defaultTrustKeyBits({})).toBe(4096);
    expect(defaultTrustKeyBits({ SANDBOX_CERT_KEY_BITS: '2048' })).toBe(2048);
    expect(() => defaultTrustKeyBits({ SANDBOX_CERT_KEY_BITS: '1024' })).toThrow(/SANDBOX_CERT_KEY_BITS must be one of 2048, 3072, 4096, got "1024"/);
  });
});
