/**
 * The IAS slice of the sandbox state: one entry per Identity Authentication tenant
 * (`<tenant>.accounts.ondemand.com` / `<tenant>.accounts.cloud.sap`), its API clients, the
 * administrators that may call the Application Directory with Basic auth, issued tokens and
 * applications. Tokens are kept as SHA-256 hashes so the persisted state holds no usable secret.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';

/** IAS API authorization scopes (spec `AuthorizationScope`); `manageApp` allows the Application Directory. */
export const IasScope = z.enum(['manageApp', 'manageUsers', 'oAuth']);
export type IasScope = z.infer<typeof IasScope>;

export const IasTenantSeed = z.object({
  tenant: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'tenant must be the lower-case IAS tenant subdomain'),
  /** "System as administrator" clients: client credentials for `POST /oauth2/token`. */
  clients: z
    .array(
      z.object({
        clientId: z.string().min(1),
        clientSecret: z.string().min(1),
        scopes: z.array(IasScope).default(['manageApp', 'manageUsers']),
      }),
    )
    .default([]),
  /** Administrators allowed to call the Application Directory with Basic auth (spec `BasicAuth`). */
  admins: z.array(z.object({ user: z.string().min(1), password: z.string().min(1) })).default([]),
  /** Applications present before the first call (same JSON as POST /Applications/v1/). */
  applications: z.array(z.record(z.string(), z.unknown())).default([]),
  /** Corporate identity providers (same JSON as the recorded GET /IdentityProviders/v1/). */
  corporateIdps: z.array(z.record(z.string(), z.unknown())).default([]),
  /** Identity Directory users (SCIM 2.0 User JSON: userName, name, emails). */
  users: z.array(z.record(z.string(), z.unknown())).default([]),
});
export type IasTenantSeed = z.infer<typeof IasTenantSeed>;

export const IasSeed = z.array(IasTenantSeed);

export interface IasClient {
  clientId: string;
  clientSecret: string;
  scopes: IasScope[];
  /** The user id IAS writes into meta.createdBy / modifiedBy for changes made by this client. */
  userId: string;
}

export interface IasToken {
  clientId: string;
  scopes: IasScope[];
  expiresAt: string;
}

export type StoredApplication = Record<string, unknown> & { id: string };

export interface IasTenant {
  tenant: string;
  clients: IasClient[];
  admins: { user: string; password: string; userId: string }[];
  /** Id of the tenant's default identity provider (IAS itself), filled into new applications. */
  defaultIdpId: string;
  /** sha256(access_token) → token. */
  tokens: Record<string, IasToken>;
  applications: Record<string, StoredApplication>;
  /** Absent in state persisted before they existed. */
  corporateIdps?: Record<string, Record<string, unknown> & { id: string }>;
  users?: Record<string, Record<string, unknown> & { id: string }>;
  switches?: { metadataUrlKey: 'metadataUrl' | 'samlMetadataUrl' };
}

export interface IasSlice {
  tenants: Record<string, IasTenant>;
}

export function tokenKey(accessToken: string): string {
  return createHash('sha256').update(accessToken).digest('hex');
}

/** IAS shows internal ids of identity providers as 24 hex characters (recorded `664c660e25cff252c5c202dc`). */
export function defaultIdpIdFor(tenant: string): string {
  return createHash('sha256').update(`idp:${tenant}`).digest('hex').slice(0, 24);
}

/** IAS user ids of technical administrators look like `P000003` in the recordings. */
export function technicalUserId(index: number): string {
  return `P${String(index + 1).padStart(6, '0')}`;
}
