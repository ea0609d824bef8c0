/**
 * The SAML 2.0 metadata of a Neo local service provider, built from its trust configuration: what
 * the cockpit's "Get Metadata" hands out (contracts E.3). The full XML layout of SAP's file is
 * UNCONFIRMED (no public copy); known: the entity is the local provider's name, the ACS is
 * `https://authn.<landscape>/saml2/sp/acs/<subaccount>/<subaccount>`, the signing key is the
 * configuration's certificate. The rest follows the standard SP layout E.3 lists. It goes through
 * parseSpMetadata like any metadata a person uploads.
 */
export interface NeoServiceProvider {
  /** Landscape host, e.g. `hana.ondemand.com`, `eu2.hana.ondemand.com`. */
  landscapeHost: string;
  /** Subaccount technical name. */
  subaccount: string;
  /** localServiceProvider.name: the entity ID. */
  name: string;
  /** base64 DER of localServiceProvider.signingCertificate. */
  signingCertificate: string;
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function neoServiceProviderEndpoints(sp: Pick<NeoServiceProvider, 'landscapeHost' | 'subaccount'>) {
  const base = `https://authn.${sp.landscapeHost}/saml2/sp`;
  return { acs: `${base}/acs/${sp.subaccount}/${sp.subaccount}`, slo: `${base}/slo/${sp.subaccount}/${sp.subaccount}` };
}

export function neoServiceProviderMetadata(sp: NeoServiceProvider): string {
  const { acs, slo } = neoServiceProviderEndpoints(sp);
  const certificate = sp.signingCertificate.replace(/\s+/g, '').match(/.{1,76}/g)!.join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${escape(sp.name)}">
  <md:SPSSODescriptor AuthnRequestsSigned="true" WantAssertionsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing">
      <ds:KeyInfo><ds:X509Data><ds:X509Certificate>
${certificate}
      </ds:X509Certificate></ds:X509Data></ds:KeyInfo>
    </md:KeyDescriptor>
    <md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${escape(slo)}" ResponseLocation="${escape(slo)}"/>
    <md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${escape(slo)}" ResponseLocation="${escape(slo)}"/>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified</md:NameIDFormat>
    <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${escape(acs)}" index="0" isDefault="true"/>
  </md:SPSSODescriptor>
</md:EntityDescriptor>`;
}
