import { parseSpMetadata } from '../../shared/saml/spMetadata';
import { samlConfigurationFromMetadata } from '../../shared/ias/samlConfigurationFromMetadata';
import { makeCertificate, minimalMetadata, neoCockpitMetadata, richMetadata } from '../support/spMetadataFixtures';

const now = new Date();
const signing = makeCertificate('https://hana.ondemand.com/myneoaccount');
const encryption = makeCertificate('sp.example.test encryption');

function problemsOf(xml: string): string[] {
  const reading = parseSpMetadata(xml, now);
  if (reading.ok) throw new Error('expected the metadata to be refused');
  return reading.problems;
}

describe('SP metadata parsing', () => {
  it('reads the Neo cockpit metadata: entity, the one ACS, both SLOs, the signing certificate and the name ID format', () => {
    const reading = parseSpMetadata(neoCockpitMetadata('myneoaccount', signing), now);
    if (!reading.ok) throw new Error(reading.problems.join('; '));
    const m = reading.metadata;
    expect(m.entityId).toBe('https://hana.ondemand.com/myneoaccount');
    expect(m.assertionConsumerServices).toEqual([{ binding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST', location: 'https://authn.hana.ondemand.com/saml2/sp/acs/myneoaccount/myneoaccount', index: 0, isDefault: true }]);
    expect(m.singleLogoutServices).toHaveLength(2);
    expect(m.signingCertificates).toHaveLength(1);
    expect(m.signingCertificates[0].base64Der).toBe(signing.base64Der);
    expect(m.signingCertificates[0].subject).toBe('CN=https://hana.ondemand.com/myneoaccount');
    expect(m.encryptionCertificate).toBeUndefined();
    expect(m.nameIdFormats).toEqual(['urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified']);
    expect(m.authnRequestsSigned).toBe(true);
  });

  it('maps several ACS endpoints to IAS, keeps the marked default, leaves out a binding IAS does not offer and says so', () => {
    const reading = parseSpMetadata(richMetadata('https://sp.example.test', signing, encryption), now);
    if (!reading.ok) throw new Error(reading.problems.join('; '));
    expect(reading.metadata.assertionConsumerServices).toHaveLength(3);
    expect(reading.metadata.encryptionCertificate?.base64Der).toBe(encryption.base64Der);
    const plan = samlConfigurationFromMetadata(reading.metadata);
    expect(plan.problems).toEqual([]);
    expect(plan.configuration.acsEndpoints.map((a) => [a.index, a.isDefault])).toEqual([
      [1, false],
      [2, true],
    ]);
    expect(plan.warnings.join(' ')).toMatch(/bindings:URI.*left out/);
    expect(plan.configuration.certificateForEncryption?.base64Certificate).toBe(encryption.pem.trim().replace(/\r/g, ''));
    expect(plan.configuration.defaultNameIdFormat).toBe('urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress');
  });

  it('accepts metadata without the optional parts and makes the lowest index the default ACS', () => {
    const reading = parseSpMetadata(minimalMetadata('urn:min:sp'), now);
    if (!reading.ok) throw new Error(reading.problems.join('; '));
    expect(reading.metadata.signingCertificates).toEqual([]);
    expect(reading.metadata.singleLogoutServices).toEqual([]);
    const plan = samlConfigurationFromMetadata(reading.metadata);
    expect(plan.configuration.acsEndpoints[0].isDefault).toBe(true);
    expect(plan.configuration.defaultNameIdFormat).toBeUndefined();
    expect(plan.configuration.certificatesForSigning).toEqual([]);
  });

  it('a KeyDescriptor without use serves signing and encryption', () => {
    const xml = neoCockpitMetadata('acc', signing).replace('<md:KeyDescriptor use="signing">', '<md:KeyDescriptor>');
    const reading = parseSpMetadata(xml, now);
    if (!reading.ok) throw new Error(reading.problems.join('; '));
    expect(reading.metadata.signingCertificates).toHaveLength(1);
    expect(reading.metadata.encryptionCertificate?.base64Der).toBe(signing.base64Der);
  });

  it('refuses malformed XML with the parser position', () => {
    expect(problemsOf('<md:EntityDescriptor entityID="x"><md:SPSSODescriptor></md:EntityDescriptor>')[0]).toMatch(/not well-formed XML.*line 1/);
  });

  it('refuses a DOCTYPE and external entities before parsing', () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><EntityDescriptor entityID="&xxe;"/>`;
    expect(problemsOf(xxe)).toEqual([expect.stringMatching(/DOCTYPE or entity declaration/)]);
    expect(problemsOf('<!ENTITY a "b"><EntityDescriptor/>')[0]).toMatch(/entity declaration/);
  });

  it('names every missing required part at once: entityID and ACS', () => {
    const xml = '<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata"><SPSSODescriptor/></EntityDescriptor>';
    expect(problemsOf(xml)).toEqual([expect.stringMatching(/no entityID/), expect.stringMatching(/no AssertionConsumerService/)]);
  });

  it('refuses an expired certificate, naming its subject and end date', () => {
    const expired = makeCertificate('old.example.test', new Date(Date.UTC(2020, 0, 1)), new Date(Date.UTC(2021, 0, 1)));
    expect(problemsOf(neoCockpitMetadata('acc', expired))[0]).toMatch(/signing certificate .*CN=old\.example\.test.*expired on 2021-01-01/);
  });

  it('refuses an unparsable certificate', () => {
    const broken = neoCockpitMetadata('acc', { base64Der: 'TUlJQm9ndXM=', pem: '' });
    expect(problemsOf(broken)[0]).toMatch(/not a readable X\.509 certificate/);
  });

  it('refuses metadata that is no service provider', () => {
    expect(problemsOf('<EntityDescriptor entityID="urn:idp"><IDPSSODescriptor/></EntityDescriptor>')[0]).toMatch(/no SPSSODescriptor/);
  });
});
