/** Parsed SP metadata → what the IAS steps need (the same for uploaded metadata and for a Neo local service provider). */
import type { SpMetadata } from '../../shared/saml/spMetadata';
import { samlConfigurationFromMetadata } from '../../shared/ias/samlConfigurationFromMetadata';
import type { ServiceProvider } from './spec';

export function serviceProviderFrom(metadata: SpMetadata): ServiceProvider {
  const saml = samlConfigurationFromMetadata(metadata);
  return {
    entityId: metadata.entityId,
    saml: saml.configuration,
    signingCertificates: metadata.signingCertificates.map(({ fingerprintSha256, subject, notAfter }) => ({ fingerprintSha256, subject, notAfter })),
    metadataWarnings: saml.warnings,
  };
}
