/**
 * The Neo Trust Management API v2 document exactly as the API speaks it (contracts D; seed 004):
 * every scalar is a string, booleans included ("true"/"false"). This schema checks only the shape
 * (types, required fields, no unknown keys): a shape error is a 400 naming its JSON path. What the
 * values mean (URLs, bindings, certificates, use cases) is checked by the named rules of
 * validateTrustDocument.ts, which give a 422.
 *
 * Unknown keys are refused so typos surface, except the IdP keys `type` and `host` that real exports
 * carry (contracts D, "Response extras").
 */
import { z } from 'zod';

const orRequired = (message: string) => ({ error: (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : message) });
export const BoolString = z.enum(['true', 'false'], orRequired('must be the string "true" or "false" (the API sends booleans as strings)'));
const Text = z.string(orRequired('must be a string (every value of the API is a string)'));

export const LocalServiceProvider = z.strictObject({
  name: Text.min(1, 'must not be empty'),
  /** base64 PKCS#8 DER, no BEGIN/END lines. Secret: never leaves the activity and the SecretStore. */
  signingKey: Text.optional(),
  /** base64 DER, no BEGIN/END lines. */
  signingCertificate: Text.optional(),
  principalPropagationEnabled: BoolString.optional(),
  forceAuthenticationEnabled: BoolString.optional(),
  useCustomApplicationDomains: BoolString.optional(),
  centralRedirectUrl: Text.optional(),
  defaultIdentityProviderName: Text.optional(),
  customDomainSloUrls: z.array(z.strictObject({ customDomainSloUrl: Text })).optional(),
});
export type LocalServiceProvider = z.infer<typeof LocalServiceProvider>;

export const GroupRule = z.strictObject({ assertionAttribute: Text.min(1, 'must not be empty'), operation: Text, value: Text });
export type GroupRule = z.infer<typeof GroupRule>;

export const IdentityProvider = z.strictObject({
  name: Text.min(1, 'must not be empty'),
  description: Text.optional(),
  enabled: BoolString,
  ssoUrl: Text.optional(),
  ssoBinding: Text.optional(),
  assertionConsumerService: Text.optional(),
  sloUrl: Text.optional(),
  sloBinding: Text.optional(),
  userIdSource: z.strictObject({ type: Text, value: Text }).optional(),
  userIdPrefix: Text.optional(),
  userIdSuffix: Text.optional(),
  signatureAlgorithm: Text.optional(),
  signingCertificate: Text,
  assertionBasedAttributes: z.array(z.strictObject({ assertionAttribute: Text.min(1, 'must not be empty'), principalAttribute: Text.min(1, 'must not be empty') })).optional(),
  defaultAttributes: z.array(z.strictObject({ defaultAttribute: Text.min(1, 'must not be empty'), value: Text })).optional(),
  assertionBasedGroups: z.array(z.strictObject({ group: Text.min(1, 'must not be empty'), rules: z.array(GroupRule) })).optional(),
  defaultGroups: z.array(z.strictObject({ group: Text.min(1, 'must not be empty') })).optional(),
  onlyForIdpInitiatedSSO: BoolString.optional(),
  onlyForOAuthSAMLBearerFlow: BoolString.optional(),
  /** Seen in real exports (`"SCI"` for IAS), not in SAP's doc. */
  type: Text.optional(),
  host: Text.optional(),
});
export type IdentityProvider = z.infer<typeof IdentityProvider>;

export const TrustDocument = z.strictObject({
  configurationType: z.enum(['Default', 'Custom', 'None'], orRequired('must be "Default", "Custom" or "None"')),
  localServiceProvider: LocalServiceProvider.optional(),
  applicationIdentityProviders: z.strictObject({ identityProviders: z.array(IdentityProvider) }).optional(),
});
export type TrustDocument = z.infer<typeof TrustDocument>;

export const identityProvidersOf = (doc: TrustDocument): IdentityProvider[] => doc.applicationIdentityProviders?.identityProviders ?? [];
export const isTrue = (value: string | undefined) => value === 'true';
