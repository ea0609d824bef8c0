/**
 * SP metadata for the tests, built around real certificates (node-forge, RSA 2048): the shape the
 * BTP cockpit's "Get Metadata" produces for a Neo local service provider (contracts E.3: entity =
 * provider name, ACS https://authn.<host>/saml2/sp/acs/<account>/<account>), one with several ACS
 * endpoints and an encryption certificate, and a minimal one without the optional parts.
 */
import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';

export interface FixtureCertificate {
  base64Der: string;
  pem: string;
}

export function makeCertificate(commonName: string, notBefore = new Date(Date.now() - 86_400_000), notAfter = new Date(Date.now() + 365 * 86_400_000)): FixtureCertificate {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = '0' + Math.floor(Math.random() * 1e9).toString(16);
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  const attrs = [{ name: 'commonName', value: commonName }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.sign(forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()), forge.md.sha256.create());
  return { pem: forge.pki.certificateToPem(cert), base64Der: forge.util.encode64(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes()) };
}

const wrapped = (base64: string) => base64.match(/.{1,76}/g)!.join('\n');

/** As the Neo cockpit's Get Metadata writes it (layout UNCONFIRMED, contracts E.3: the standard SP layout). */
export function neoCockpitMetadata(account: string, signing: FixtureCertificate, host = 'hana.ondemand.com'): string {
  const entity = `https://${host}/${account}`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${entity}">
  <md:SPSSODescriptor AuthnRequestsSigned="true" WantAssertionsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing">
      <ds:KeyInfo><ds:X509Data><ds:X509Certificate>
${wrapped(signing.base64Der)}
      </ds:X509Certificate></ds:X509Data></ds:KeyInfo>
    </md:KeyDescriptor>
    <md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://authn.${host}/saml2/sp/slo/${account}/${account}" ResponseLocation="https://authn.${host}/saml2/sp/slo/${account}/${account}"/>
    <md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://authn.${host}/saml2/sp/slo/${account}/${account}" ResponseLocation="https://authn.${host}/saml2/sp/slo/${account}/${account}"/>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified</md:NameIDFormat>
    <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://authn.${host}/saml2/sp/acs/${account}/${account}" index="0" isDefault="true"/>
  </md:SPSSODescriptor>
</md:EntityDescriptor>`;
}

/** Several ACS endpoints (one with a binding IAS does not offer), an encryption key, an e-mail name ID. */
export function richMetadata(entityId: string, signing: FixtureCertificate, encryption: FixtureCertificate): string {
  return `<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${entityId}">
  <SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <KeyDescriptor use="signing"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>${signing.base64Der}</X509Certificate></X509Data></KeyInfo></KeyDescriptor>
    <KeyDescriptor use="encryption"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>${encryption.base64Der}</X509Certificate></X509Data></KeyInfo></KeyDescriptor>
    <NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</NameIDFormat>
    <AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sp.example.test/acs/post" index="1"/>
    <AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://sp.example.test/acs/redirect" index="2" isDefault="true"/>
    <AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:URI" Location="https://sp.example.test/oauth/token" index="3"/>
  </SPSSODescriptor>
</EntityDescriptor>`;
}

/** Only what SAML requires: entityID and one ACS, no KeyDescriptor, SLO or NameIDFormat. */
export function minimalMetadata(entityId: string): string {
  return `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${entityId}"><md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://min.example.test/acs" index="0"/></md:SPSSODescriptor></md:EntityDescriptor>`;
}
