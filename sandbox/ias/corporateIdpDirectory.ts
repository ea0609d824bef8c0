/**
 * The simulated corporate identity providers of an IAS tenant, `GET /IdentityProviders/v1/` and
 * `GET /IdentityProviders/v1/{id}`, read only, with the bodies SAP's Terraform provider recorded
 * (test/contract/specs/ias_fixture_datasource_corporate_idps.yaml): `identityFederation` with
 * `useLocalUserStore`, `allowLocalUsersOnly`, `applyLocalIdPAuthnChecks`, `requiredGroups`.
 * Seeded per tenant (`corporateIdps`); fields a seed leaves out get the recorded defaults.
 */
import { randomUUID } from 'node:crypto';
import type { SandboxRequest, SandboxResponse } from '../core/service';
import { iasError, iasJson } from './iasResponses';

export type StoredCorporateIdp = Record<string, unknown> & { id: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const IDENTITY_PROVIDERS = /^\/IdentityProviders\/v1\/?(?<id>[^/]*)\/?$/;
/** Recorded for a missing IdP: UNCONFIRMED (no recorded 404 body); the application's text pattern. */
const NOT_FOUND = 'Unable to find identity provider with provided identifier.';

export function seededCorporateIdp(seed: Record<string, unknown>, host: string, now: Date): StoredCorporateIdp {
  const id = typeof seed.id === 'string' && UUID.test(seed.id) ? seed.id.toLowerCase() : randomUUID();
  const federation = (seed.identityFederation ?? {}) as Record<string, unknown>;
  return {
    ...seed,
    id,
    meta: { created: now.toISOString(), lastModified: now.toISOString(), createdBy: 'P000001', location: `https://${host}/IdentityProviders/v1/${id}`, ...((seed.meta as object | undefined) ?? {}) },
    displayName: typeof seed.displayName === 'string' ? seed.displayName : 'Corporate IdP',
    companyId: seed.companyId ?? 'global',
    type: seed.type ?? 'saml2',
    forwardAllSsoRequests: seed.forwardAllSsoRequests ?? false,
    identityFederation: { useLocalUserStore: false, allowLocalUsersOnly: false, applyLocalIdPAuthnChecks: false, ...federation },
    automaticRedirect: seed.automaticRedirect ?? true,
  };
}

export function handleCorporateIdps(req: SandboxRequest, idps: Record<string, StoredCorporateIdp>, id: string): SandboxResponse {
  if (req.method !== 'GET') return iasError(405, `Method ${req.method} is not allowed.`);
  if (id) {
    const found = UUID.test(id) ? idps[id.toLowerCase()] : undefined;
    return found ? iasJson(200, found) : iasError(404, NOT_FOUND);
  }
  const all = Object.values(idps).sort((a, b) => (a.id < b.id ? -1 : 1));
  return iasJson(200, { totalResults: all.length, itemsPerPage: all.length, identityProviders: all });
}
