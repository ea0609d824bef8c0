/**
 * The Neo Trust Management API v2 document (contracts D, SAP doc trust-management-api-e757ea3.md,
 * Example 1 keys verbatim): every scalar is a string, booleans are "true"/"false". The sandbox
 * refuses what SAP documents as impossible (unknown enum values, certificates with BEGIN/END lines
 * or that are not certificates, duplicate IdP names). Unknown keys are refused so typos surface;
 * the IdP keys `type` and `host`, seen in real exports by third parties, are allowed.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { z } from 'zod';

const BoolString = z.enum(['true', 'false'], { message: 'must be the string "true" or "false"' });
const Binding = z.enum(['HTTP-POST', 'HTTP-Redirect']);
const UrlOrEmpty = z.union([z.literal(''), z.url()]);

function isDerCertificate(value: string): boolean {
  if (!/^[A-Za-z0-9+/\s]+=*\s*$/.test(value)) return false;
  try {
    new X509Certificate(new Uint8Array(Buffer.from(value.replace(/\s+/g, ''), 'base64')));
    return true;
  } catch {
    return false;
  }
}

function isPkcs8Key(value: string): boolean {
  if (!/^[A-Za-z0-9+/\s]+=*\s*$/.test(value)) return false;
  try {
    createPrivateKey({ key: Buffer.from(value.replace(/\s+/g, ''), 'base64'), format: 'der', type: 'pkcs8' });
    return true;
  } catch {
    return false;
  }
}

const DerCertificate = z
  .string()
  .refine(isDerCertificate, 'must be a base64 DER X.509 certificate without BEGIN/END lines');

const LocalServiceProvider = z.strictObject({
  name: z.string().min(1),
  signingKey: z.string().refine(isPkcs8Key, 'must be a base64 PKCS#8 private key without BEGIN/END lines').optional(),
  signingCertificate: DerCertificate.optional(),
  principalPropagationEnabled: BoolString.optional(),
  forceAuthenticationEnabled: BoolString.optional(),
  useCustomApplicationDomains: BoolString.optional(),
  centralRedirectUrl: UrlOrEmpty.optional(),
  defaultIdentityProviderName: z.string().optional(),
  customDomainSloUrls: z.array(z.strictObject({ customDomainSloUrl: z.url() })).optional(),
});

const GroupRule = z
  .strictObject({
    assertionAttribute: z.string().min(1),
    operation: z.enum(['equals', 'regexp']),
    value: z.string(),
  })
  .superRefine((rule, ctx) => {
    if (rule.operation !== 'regexp') return;
    try {
      new RegExp(rule.value);
    } catch {
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'is not a valid regular expression' });
    }
  });

export const IdentityProvider = z
  .strictObject({
    name: z.string().min(1),
    description: z.string().optional(),
    enabled: BoolString,
    ssoUrl: UrlOrEmpty.optional(),
    ssoBinding: Binding.optional(),
    assertionConsumerService: z.string().optional(),
    sloUrl: UrlOrEmpty.optional(),
    sloBinding: Binding.optional(),
    userIdSource: z
      .strictObject({ type: z.enum(['subject', 'Attribute']), value: z.string() })
      .refine((s) => s.type === 'subject' || s.value.trim() !== '', { message: 'an Attribute user ID source needs the attribute name in value', path: ['value'] })
      .optional(),
    userIdPrefix: z.string().optional(),
    userIdSuffix: z.string().optional(),
    signatureAlgorithm: z.enum(['SHA-1', 'SHA-256']).optional(),
    signingCertificate: DerCertificate,
    assertionBasedAttributes: z.array(z.strictObject({ assertionAttribute: z.string().min(1), principalAttribute: z.string().min(1) })).optional(),
    defaultAttributes: z.array(z.strictObject({ defaultAttribute: z.string().min(1), value: z.string() })).optional(),
    assertionBasedGroups: z.array(z.strictObject({ group: z.string().min(1), rules: z.array(GroupRule) })).optional(),
    defaultGroups: z.array(z.strictObject({ group: z.string().min(1) })).optional(),
    onlyForIdpInitiatedSSO: BoolString.optional(),
    onlyForOAuthSAMLBearerFlow: BoolString.optional(),
    type: z.string().optional(),
    host: z.string().optional(),
  });
export type IdentityProvider = z.infer<typeof IdentityProvider>;

export const TrustConfiguration = z
  .strictObject({
    configurationType: z.enum(['Default', 'Custom', 'None']),
    localServiceProvider: LocalServiceProvider.optional(),
    applicationIdentityProviders: z.strictObject({ identityProviders: z.array(IdentityProvider) }).optional(),
  })
  .superRefine((config, ctx) => {
    if (config.configurationType === 'Custom' && !config.localServiceProvider) {
      ctx.addIssue({ code: 'custom', path: ['localServiceProvider'], message: 'is required when configurationType is Custom' });
    }
    const idps = config.applicationIdentityProviders?.identityProviders ?? [];
    if (config.configurationType === 'None' && idps.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['applicationIdentityProviders', 'identityProviders'], message: 'must be empty when configurationType is None' });
    }
    const seen = new Set<string>();
    idps.forEach((idp, i) => {
      if (seen.has(idp.name)) {
        ctx.addIssue({ code: 'custom', path: ['applicationIdentityProviders', 'identityProviders', i, 'name'], message: `duplicate identity provider name ${idp.name}` });
      }
      seen.add(idp.name);
    });
  });
export type TrustConfiguration = z.infer<typeof TrustConfiguration>;

/** "path: message; path: message" naming every bad field. */
export function describeProblems(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.reduce<string>(
        (acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : acc ? `${acc}.${String(seg)}` : String(seg)),
        '',
      );
      const keys = issue.code === 'unrecognized_keys' ? ` (${issue.keys.join(', ')})` : '';
      return `${path || '(body)'}: ${issue.message}${keys}`;
    })
    .join('; ');
}

/** What a subaccount exports before anyone imported a configuration: SAP ID service trust only. */
export function defaultTrustConfiguration(landscapeHost: string, subaccount: string): TrustConfiguration {
  return {
    configurationType: 'Default',
    localServiceProvider: {
      name: `https://${landscapeHost}/${subaccount}`,
      principalPropagationEnabled: 'false',
      forceAuthenticationEnabled: 'false',
    },
    applicationIdentityProviders: { identityProviders: [] },
  };
}
