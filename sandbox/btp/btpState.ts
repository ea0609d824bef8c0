/**
 * The BTP slice: subaccounts (Cloud Foundry), each with its Destination service key, its trust key
 * pairs (active, passive) and its subaccount destinations; plus the XSUAA tokens issued, kept as
 * SHA-256 hashes so state.json holds no usable token.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';

export interface TrustKeyPair {
  privateKeyPem: string;
  certificatePem: string;
}

export interface StoredDestination {
  properties: Record<string, string>;
  etag: string;
  modifiedAt: string;
}

export interface Subaccount {
  guid: string;
  region: string;
  subdomain: string;
  displayName?: string;
  serviceKey: DestinationServiceKey;
  active?: TrustKeyPair;
  passive?: TrustKeyPair;
  destinations: Record<string, StoredDestination>;
  /** RSA size of trust key pairs generated from now on (default SANDBOX_CERT_KEY_BITS or 4096). */
  trustCertificateKeyBits?: 2048 | 3072 | 4096;
  /** Validity of trust certificates generated from now on (default exactly two years). */
  trustCertificateValiditySeconds?: number;
}

export interface IssuedToken {
  subaccount: string;
  clientId: string;
  expiresAt: string;
}

export interface BtpSlice {
  subaccounts: Record<string, Subaccount>;
  /** sha256(access_token) → what it grants. */
  tokens: Record<string, IssuedToken>;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A Destination service key exactly as the BTP cockpit shows it (contracts A.1); extra fields kept. */
export const DestinationServiceKey = z
  .object({
    clientid: z.string().min(1),
    clientsecret: z.string().min(1),
    url: z.string().url(),
    uri: z.string().url(),
    uaadomain: z.string().min(1),
    identityzone: z.string().min(1),
    tenantid: z.string().regex(GUID),
  })
  .passthrough();
export type DestinationServiceKey = z.infer<typeof DestinationServiceKey>;

/** How this subaccount's trust certificates are generated; PUT /__sandbox/subaccounts/{guid}/settings changes them later. */
const TrustCertificateSettingsShape = {
  trustCertificateKeyBits: z.union([z.literal(2048), z.literal(3072), z.literal(4096)]).optional(),
  trustCertificateValiditySeconds: z.number().int().min(1).max(10 * 366 * 24 * 3600).optional(),
};

/** The body of PUT /__sandbox/subaccounts/{guid}/settings; null puts a setting back to its default. */
export const SubaccountSettingsInput = z
  .object({
    trustCertificateKeyBits: TrustCertificateSettingsShape.trustCertificateKeyBits.nullable(),
    trustCertificateValiditySeconds: TrustCertificateSettingsShape.trustCertificateValiditySeconds.nullable(),
  })
  .partial()
  .strict();

export const SubaccountSeed = z
  .object({
    guid: z.string().regex(GUID, 'guid must be a lower-case subaccount GUID'),
    region: z.string().regex(/^[a-z]{2}\d{1,3}(-\d{3})?$/, 'region is the CF region, e.g. eu10'),
    subdomain: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'subdomain is lower-case letters, digits and dashes'),
    displayName: z.string().optional(),
    serviceKey: DestinationServiceKey,
    /** Whether the subaccount trust certificate already exists at start: none (default), active, or active and passive. */
    trustCertificate: z.enum(['none', 'active', 'activeAndPassive']).default('none'),
    /**
     * The active key pair as it is, instead of one generated at seed time (trustCertificate 'active' or
     * 'activeAndPassive'): benchmarks seed a thousand subaccounts without generating a thousand RSA keys.
     */
    activeKeyPair: z.object({ privateKeyPem: z.string().min(1), certificatePem: z.string().min(1) }).strict().optional(),
    ...TrustCertificateSettingsShape,
    /** Subaccount destinations present at start (Destination JSON, string values). */
    destinations: z.array(z.record(z.string(), z.string())).default([]),
  })
  .strict()
  .superRefine((s, ctx) => {
    const xsuaa = `https://${s.subdomain}.authentication.${s.region}.hana.ondemand.com`;
    const destination = `https://destination-configuration.cfapps.${s.region}.hana.ondemand.com`;
    if (s.serviceKey.url.replace(/\/$/, '') !== xsuaa) ctx.addIssue({ code: 'custom', path: ['serviceKey', 'url'], message: `must be ${xsuaa}` });
    if (s.serviceKey.uri.replace(/\/$/, '') !== destination) ctx.addIssue({ code: 'custom', path: ['serviceKey', 'uri'], message: `must be ${destination}` });
    // As BTP issues a key (contracts A.1): the identity zone is the subdomain, the tenant the subaccount.
    const uaadomain = `authentication.${s.region}.hana.ondemand.com`;
    if (s.serviceKey.uaadomain !== uaadomain) ctx.addIssue({ code: 'custom', path: ['serviceKey', 'uaadomain'], message: `must be ${uaadomain}` });
    if (s.serviceKey.identityzone !== s.subdomain) ctx.addIssue({ code: 'custom', path: ['serviceKey', 'identityzone'], message: `must be the subdomain ${s.subdomain}` });
    if (s.serviceKey.tenantid !== s.guid) ctx.addIssue({ code: 'custom', path: ['serviceKey', 'tenantid'], message: `must be the subaccount GUID ${s.guid}` });
    for (const field of ['subaccountid', 'identityzoneid'] as const) {
      const value = s.serviceKey[field];
      if (value !== undefined && value !== s.guid) ctx.addIssue({ code: 'custom', path: ['serviceKey', field], message: `must be the subaccount GUID ${s.guid}` });
    }
  });
export type SubaccountSeed = z.infer<typeof SubaccountSeed>;

/** `{ "subaccounts": [ ... ] }`; other sections belong to other services. */
export const BtpSeed = z.object({ subaccounts: z.array(SubaccountSeed).optional() }).passthrough();

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function findBySubdomain(slice: BtpSlice, subdomain: string, region: string): Subaccount | undefined {
  return Object.values(slice.subaccounts).find((s) => s.subdomain === subdomain && s.region === region);
}

/** A secret-looking destination or key property: shown masked, dropped with $skipCredentials. */
export function isSecretProperty(name: string): boolean {
  return /(password|secret)$/i.test(name) || /^clientsecret$/i.test(name);
}

export const MASK = '***';

export function maskSecrets(props: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(props).map(([k, v]) => [k, isSecretProperty(k) ? MASK : v]));
}
