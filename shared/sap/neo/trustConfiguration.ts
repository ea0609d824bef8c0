/**
 * The Neo Trust Management API v2 document as the product reads and writes it (contracts D;
 * SAP doc trust-management-api, Example 1 keys). Every scalar is a string ("true"/"false" for
 * booleans). Loose objects: real exports may carry keys SAP does not document (`type`, `host`).
 */
import { z } from 'zod';

const BoolString = z.enum(['true', 'false']);

export const NeoIdentityProvider = z.looseObject({
  name: z.string().min(1),
  description: z.string().optional(),
  enabled: BoolString.optional(),
  ssoUrl: z.string().optional(),
  ssoBinding: z.string().optional(),
  assertionConsumerService: z.string().optional(),
  sloUrl: z.string().optional(),
  sloBinding: z.string().optional(),
  userIdSource: z.looseObject({ type: z.string(), value: z.string() }).optional(),
  userIdPrefix: z.string().optional(),
  userIdSuffix: z.string().optional(),
  signatureAlgorithm: z.string().optional(),
  /** base64 DER, no BEGIN/END lines. */
  signingCertificate: z.string().optional(),
  assertionBasedAttributes: z.array(z.looseObject({ assertionAttribute: z.string(), principalAttribute: z.string() })).optional(),
  defaultAttributes: z.array(z.looseObject({ defaultAttribute: z.string(), value: z.string() })).optional(),
  assertionBasedGroups: z
    .array(z.looseObject({ group: z.string(), rules: z.array(z.looseObject({ assertionAttribute: z.string(), operation: z.string(), value: z.string() })) }))
    .optional(),
  defaultGroups: z.array(z.looseObject({ group: z.string() })).optional(),
  onlyForIdpInitiatedSSO: BoolString.optional(),
  onlyForOAuthSAMLBearerFlow: BoolString.optional(),
});
export type NeoIdentityProvider = z.infer<typeof NeoIdentityProvider>;

export const NeoTrustConfiguration = z.looseObject({
  configurationType: z.enum(['Default', 'Custom', 'None']),
  localServiceProvider: z
    .looseObject({
      name: z.string().optional(),
      signingKey: z.string().optional(),
      signingCertificate: z.string().optional(),
      principalPropagationEnabled: BoolString.optional(),
      forceAuthenticationEnabled: BoolString.optional(),
    })
    .optional(),
  applicationIdentityProviders: z.looseObject({ identityProviders: z.array(NeoIdentityProvider) }).optional(),
});
export type NeoTrustConfiguration = z.infer<typeof NeoTrustConfiguration>;
