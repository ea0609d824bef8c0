/**
 * The resolved IAS application trust (seed 000): the SP metadata already parsed and mapped at the
 * HTTP edge, so every step works from data. Public material only (certificates, URLs, names).
 */
import { z } from 'zod';
import { IasTenantSpec, nameKey } from '../../shared/schemas/iasTenant';
import { AttributeMapping } from '../../shared/ias/attributeSources';
import { NeoTrustTarget } from '../../shared/neoTrust/pacedNeoTrust';

export const WantedSamlConfiguration = z.object({
  acsEndpoints: z.array(z.object({ bindingName: z.string(), location: z.string(), index: z.number().int(), isDefault: z.boolean() })),
  sloEndpoints: z.array(z.object({ bindingName: z.string(), location: z.string(), responseLocation: z.string().optional() })),
  certificatesForSigning: z.array(z.object({ base64Certificate: z.string(), isDefault: z.boolean() })),
  certificateForEncryption: z.object({ base64Certificate: z.string() }).optional(),
  defaultNameIdFormat: z.string().optional(),
  requireSignedAuthnRequest: z.boolean().optional(),
});
export type WantedSamlConfiguration = z.infer<typeof WantedSamlConfiguration>;

/** The service provider as its metadata describes it, mapped for IAS. Public material only. */
export const ServiceProvider = z.object({
  entityId: z.string(),
  saml: WantedSamlConfiguration,
  /** SHA-256 of the SP's signing certificates, for the result. */
  signingCertificates: z.array(z.object({ fingerprintSha256: z.string(), subject: z.string(), notAfter: z.string() })),
  /** What the metadata held that IAS cannot take. */
  metadataWarnings: z.array(z.string()),
});
export type ServiceProvider = z.infer<typeof ServiceProvider>;

/** The Neo path: the SP metadata comes from the subaccount's local service provider, made Custom first. */
export const NeoSource = z.object({
  target: NeoTrustTarget,
  /** Used when the provider is not Custom yet; a Custom provider keeps its name. */
  localServiceProviderName: z.string(),
  keyValidDays: z.number().int(),
});
export type NeoSource = z.infer<typeof NeoSource>;

export const IasTrustSpec = z.object({
  ias: IasTenantSpec,
  applicationName: z.string(),
  /** Parsed at the edge from spMetadataXml. */
  serviceProvider: ServiceProvider.optional(),
  neo: NeoSource.optional(),
  metadataUrl: z.string().optional(),
  /** Identity Directory mappings: seed 000's four, then the request's extras. */
  attributes: z.array(AttributeMapping),
});
export type IasTrustSpec = z.infer<typeof IasTrustSpec>;

export const iasTrustKey = (spec: Pick<IasTrustSpec, 'ias' | 'applicationName'>) => `${spec.ias.tenant}-${nameKey(spec.applicationName)}`;
export const iasSystem = (spec: Pick<IasTrustSpec, 'ias'>) => `IAS tenant ${spec.ias.tenantHost}`;

export const ApplicationRef = z.object({ id: z.string(), name: z.string() });
export type ApplicationRef = z.infer<typeof ApplicationRef>;
