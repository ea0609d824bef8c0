/**
 * SP metadata → the application's `saml2Configuration` (contracts C.3): AssertionConsumerService →
 * acsEndpoints, SingleLogoutService → sloEndpoints, KeyDescriptor signing → certificatesForSigning
 * (at most two, IAS's limit), encryption → certificateForEncryption, NameIDFormat →
 * defaultNameIdFormat, AuthnRequestsSigned → requireSignedAuthnRequest. Only the fields the metadata
 * speaks about are set; IAS keeps its own defaults for the rest.
 */
import type { SpMetadata } from '../saml/spMetadata';

/** Bindings the Application Directory accepts for endpoints (spec `BindingName`). */
export const IAS_BINDINGS = [
  'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
  'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect',
  'urn:oasis:names:tc:SAML:2.0:bindings:SOAP',
];

/** Name ID formats IAS offers as the default (spec `defaultNameIdFormat`). */
export const IAS_NAME_ID_FORMATS = [
  'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
  'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
  'urn:oasis:names:tc:SAML:2.0:nameid-format:transient',
];

const MAX_SIGNING_CERTIFICATES = 2;

export interface SamlConfigurationPlan {
  /** The wanted `saml2Configuration` members (the metadata-URL key is added separately). */
  configuration: {
    acsEndpoints: { bindingName: string; location: string; index: number; isDefault: boolean }[];
    sloEndpoints: { bindingName: string; location: string; responseLocation?: string }[];
    certificatesForSigning: { base64Certificate: string; isDefault: boolean }[];
    certificateForEncryption?: { base64Certificate: string };
    defaultNameIdFormat?: string;
    requireSignedAuthnRequest?: boolean;
  };
  /** What the metadata holds that IAS cannot take, said plainly. */
  warnings: string[];
  /** What makes the metadata unusable for IAS (400 at the edge). */
  problems: string[];
}

export function samlConfigurationFromMetadata(metadata: SpMetadata): SamlConfigurationPlan {
  const warnings: string[] = [];
  const problems: string[] = [];
  const supported = metadata.assertionConsumerServices.filter((acs) => IAS_BINDINGS.includes(acs.binding));
  for (const acs of metadata.assertionConsumerServices.filter((a) => !IAS_BINDINGS.includes(a.binding))) {
    warnings.push(`AssertionConsumerService ${acs.location} (index ${acs.index}) uses binding ${acs.binding}, which IAS does not offer; it is left out`);
  }
  if (supported.length === 0) problems.push(`no AssertionConsumerService uses a binding IAS offers (${IAS_BINDINGS.map((b) => b.split(':').pop()).join(', ')})`);
  // Metadata marks at most one default; without one, SAML says the lowest index is the default.
  const marked = supported.find((acs) => acs.isDefault === true);
  const fallback = [...supported].sort((a, b) => a.index - b.index)[0];
  const defaultAcs = marked ?? fallback;
  const acsEndpoints = supported.map((acs) => ({ bindingName: acs.binding, location: acs.location, index: acs.index, isDefault: acs === defaultAcs }));

  const sloEndpoints = metadata.singleLogoutServices
    .filter((slo) => {
      if (IAS_BINDINGS.includes(slo.binding)) return true;
      warnings.push(`SingleLogoutService ${slo.location} uses binding ${slo.binding}, which IAS does not offer; it is left out`);
      return false;
    })
    .map((slo) => ({ bindingName: slo.binding, location: slo.location, ...(slo.responseLocation ? { responseLocation: slo.responseLocation } : {}) }));

  // Newest first: when the SP rolls over to a new key, IAS keeps the two that matter.
  const signing = [...metadata.signingCertificates].sort((a, b) => Date.parse(b.notAfter) - Date.parse(a.notAfter));
  if (signing.length > MAX_SIGNING_CERTIFICATES) {
    warnings.push(`the metadata has ${signing.length} signing certificates; IAS keeps ${MAX_SIGNING_CERTIFICATES}, the ones valid longest`);
  }
  const certificatesForSigning = signing.slice(0, MAX_SIGNING_CERTIFICATES).map((c, i) => ({ base64Certificate: c.pem, isDefault: i === 0 }));

  const nameIdFormat = metadata.nameIdFormats.find((f) => IAS_NAME_ID_FORMATS.includes(f));
  if (metadata.nameIdFormats.length > 0 && !nameIdFormat) {
    warnings.push(`none of the NameIDFormats (${metadata.nameIdFormats.join(', ')}) is one IAS offers; IAS keeps its default`);
  }
  return {
    configuration: {
      acsEndpoints,
      sloEndpoints,
      certificatesForSigning,
      ...(metadata.encryptionCertificate ? { certificateForEncryption: { base64Certificate: metadata.encryptionCertificate.pem } } : {}),
      ...(nameIdFormat ? { defaultNameIdFormat: nameIdFormat } : {}),
      ...(metadata.authnRequestsSigned === undefined ? {} : { requireSignedAuthnRequest: metadata.authnRequestsSigned }),
    },
    warnings,
    problems,
  };
}
