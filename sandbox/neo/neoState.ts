/**
 * The Neo slice of the sandbox state: subaccounts per landscape host (`hana.ondemand.com`,
 * `eu2.hana.ondemand.com`, ...), each with its Platform API OAuth clients and its trust
 * configuration. Tokens are kept as SHA-256 hashes.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { TrustConfiguration } from './trustConfiguration';

/** Platform API scopes the trust API needs (S-NEO platform-scopes); the token shows them with `hcp.`. */
export const NeoScope = z
  .string()
  .transform((s) => (s.startsWith('hcp.') ? s : `hcp.${s}`))
  .pipe(z.enum(['hcp.readTrustSettings', 'hcp.manageTrustSettings', 'hcp.readAccount', 'hcp.readAuthorizationSettings', 'hcp.manageAuthorizationSettings', 'hcp.readSubscriptions']));
export type NeoScope = z.infer<typeof NeoScope>;

export const NeoSubaccountSeed = z.object({
  /** Landscape host without `api.`; default `hana.ondemand.com` (Europe, Rot). */
  landscape: z.string().regex(/^([a-z0-9]+\.)?hana\.ondemand\.com$/).default('hana.ondemand.com'),
  /** Subaccount technical name. */
  subaccount: z.string().regex(/^[a-z0-9]+$/, 'subaccount must be the technical name (lower-case letters and digits)'),
  clients: z
    .array(
      z.object({
        clientId: z.string().min(1),
        clientSecret: z.string().min(1),
        scopes: z.array(NeoScope).default(['hcp.readTrustSettings', 'hcp.manageTrustSettings']),
      }),
    )
    .default([]),
  trust: TrustConfiguration.optional(),
});
export type NeoSubaccountSeed = z.infer<typeof NeoSubaccountSeed>;
export const NeoSeed = z.array(NeoSubaccountSeed);

export interface NeoToken {
  subaccountKey: string;
  clientId: string;
  scopes: NeoScope[];
  expiresAt: string;
}

/** PUT /__sandbox/tenants/{subaccount}/switches: behaviours SAP may show that tests need on demand. */
export const NeoSwitches = z.strictObject({
  /** 429 without Retry-After (SAP documents none). */
  noRetryAfter: z.boolean().optional(),
  /** GET answers 404 while the configuration is Default (a third party's reading of SAP's 404). */
  notFoundForDefault: z.boolean().optional(),
  /** The next n imports are carried out and then answered 500. */
  failImportsAfterWrite: z.number().int().min(0).optional(),
  /** SAP: the limit "may be ignored or further reduced" (contracts D, update 2026-12): this subaccount's limit per window. */
  requestsPerMinute: z.number().int().min(1).optional(),
  /** The next n imports keep the document without its last identity provider, and answer success. */
  dropLastIdentityProviderOnImport: z.number().int().min(0).optional(),
});
export type NeoSwitches = z.infer<typeof NeoSwitches>;

export interface NeoSubaccount {
  landscape: string;
  subaccount: string;
  clients: { clientId: string; clientSecret: string; scopes: NeoScope[] }[];
  trust: TrustConfiguration;
  switches?: NeoSwitches;
}

export interface NeoSlice {
  /** key: `<landscape>/<subaccount>` */
  subaccounts: Record<string, NeoSubaccount>;
  /** sha256(access_token) → token */
  tokens: Record<string, NeoToken>;
}

export function subaccountKey(landscape: string, subaccount: string): string {
  return `${landscape}/${subaccount}`;
}

export function tokenKey(accessToken: string): string {
  return createHash('sha256').update(accessToken).digest('hex');
}
