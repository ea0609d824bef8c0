import forge from 'node-forge';
import { generateRsaKeyPair, randomSerial } from '../../../sandbox/core/certificateAuthority';
import { AssertionVerificationError, encodeAssertion, signAssertion, verifyAssertion, certificateBase64 } from '../../../sandbox/saml';

function selfSigned(cn: string) {
  const keys = generateRsaKeyPair(2048);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicKeyPem);
  cert.serialNumber = randomSerial();
  cert.validity.notBefore = new Date(Date.now() - 3600_000);
  cert.validity.notAfter = new Date(Date.now() + 3600_000);
  cert.setSubject([{ name: 'commonName', value: cn }]);
  cert.setIssuer([{ name: 'commonName', value: cn }]);
  cert.sign(forge.pki.privateKeyFromPem(keys.privateKeyPem), forge.md.sha256.create());
  return { keyPem: keys.privateKeyPem, certPem: forge.pki.certificateToPem(cert) };
}

const signer = selfSigned('cfapps.eu10.hana.ondemand.com/11111111-2222-3333-4444-555555555555');
const other = selfSigned('someone else');
const base = {
  issuer: 'cfapps.eu10.hana.ondemand.com/11111111-2222-3333-4444-555555555555',
  nameId: 'c0ffee00-0000-4000-8000-000000000001',
  audience: 'https://my100001.s4hana.ondemand.com',
  recipient: 'https://my100001-api.s4hana.ondemand.com/sap/bc/sec/oauth2/token',
  authnContextClassRef: 'urn:oasis:names:tc:SAML:2.0:ac:classes:X509',
  attributes: { user_uuid: 'c0ffee00-0000-4000-8000-000000000001', Groups: ['a', 'b'] },
  privateKeyPem: signer.keyPem,
};

describe('SAML bearer assertion signing and verification', () => {
  it('signs an assertion whose facts verify against the signer certificate', () => {
    const xml = signAssertion(base);
    expect(xml).toContain('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');
    expect(xml).toContain('http://www.w3.org/2001/10/xml-exc-c14n#');
    const facts = verifyAssertion(xml, signer.certPem, { audience: base.audience, recipient: base.recipient });
    expect(facts.issuer).toBe(base.issuer);
    expect(facts.nameId).toBe(base.nameId);
    expect(facts.nameIdFormat).toBe('urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified');
    expect(facts.audiences).toEqual([base.audience]);
    expect(facts.recipient).toBe(base.recipient);
    expect(facts.authnContextClassRef).toBe(base.authnContextClassRef);
    expect(facts.attributes.Groups).toEqual(['a', 'b']);
    // base64 DER without armor (how S/4 keeps it) is accepted too
    expect(verifyAssertion(xml, certificateBase64(signer.certPem)).issuer).toBe(base.issuer);
  });

  it('places the signature right after Issuer, as the SAML schema requires', () => {
    const xml = signAssertion(base);
    expect(xml.indexOf('</saml2:Issuer><ds:Signature')).toBeGreaterThan(0);
  });

  const reason = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      expect(err).toBeInstanceOf(AssertionVerificationError);
      return (err as AssertionVerificationError).reason;
    }
    throw new Error('expected a rejection');
  };

  it('rejects a tampered assertion, a different certificate, an unsigned one and garbage', () => {
    const xml = signAssertion(base);
    expect(reason(() => verifyAssertion(xml.replace(base.nameId, 'attacker'), signer.certPem))).toBe('signature invalid');
    expect(reason(() => verifyAssertion(xml, other.certPem))).toBe('signature invalid');
    expect(reason(() => verifyAssertion(xml.replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, ''), signer.certPem))).toBe('unsigned');
    expect(reason(() => verifyAssertion('<not xml', signer.certPem))).toBe('malformed');
    expect(reason(() => verifyAssertion('<a xmlns="x"/>', signer.certPem))).toBe('not an assertion');
  });

  it('checks the validity window, audience and recipient', () => {
    const xml = signAssertion({ ...base, now: new Date('2020-01-01T00:00:00Z'), validForSeconds: 300 });
    expect(reason(() => verifyAssertion(xml, signer.certPem))).toBe('expired');
    expect(reason(() => verifyAssertion(xml, signer.certPem, { now: new Date('2019-12-31T23:50:00Z') }))).toBe('not yet valid');
    const at = { now: new Date('2020-01-01T00:01:00Z') };
    expect(verifyAssertion(xml, signer.certPem, at).issuer).toBe(base.issuer);
    expect(reason(() => verifyAssertion(xml, signer.certPem, { ...at, audience: 'https://other' }))).toBe('wrong audience');
    expect(reason(() => verifyAssertion(xml, signer.certPem, { ...at, recipient: 'https://other' }))).toBe('wrong recipient');
  });

  it('embeds the signing certificate only when asked', () => {
    expect(signAssertion(base)).not.toContain('X509Certificate');
    expect(signAssertion({ ...base, certificatePem: signer.certPem })).toContain(`<ds:X509Certificate>${certificateBase64(signer.certPem)}</ds:X509Certificate>`);
  });

  it('encodes base64url without padding by default, base64 on request', () => {
    const xml = signAssertion(base);
    const url = encodeAssertion(xml);
    expect(url).not.toMatch(/[+/=]/);
    expect(Buffer.from(url, 'base64url').toString('utf8')).toBe(xml);
    expect(Buffer.from(encodeAssertion(xml, 'base64'), 'base64').toString('utf8')).toBe(xml);
  });
});
