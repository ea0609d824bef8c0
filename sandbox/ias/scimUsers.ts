/**
 * The simulated Identity Directory users, `GET /scim/Users` (SCIM 2.0 ListResponse with
 * `startIndex`/`count`, `application/scim+json`, contracts C.6; shape as SAP's Terraform provider
 * recorded it, fixtures/datasource_users_all.yaml). Read only: the workflows only read e-mails.
 * Errors use the SCIM error body `{"schemas":[…Error],"status":"400","detail":"…"}`.
 */
import { randomUUID } from 'node:crypto';
import type { SandboxRequest, SandboxResponse } from '../core/service';
import { IAS_HEADERS } from './iasResponses';

export type StoredUser = Record<string, unknown> & { id: string };

export const SCIM_USERS = /^\/scim\/Users\/?(?<id>[^/]*)\/?$/;
const SCIM_JSON = 'application/scim+json;charset=UTF-8';
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const MAX_COUNT = 100;

export function scimError(status: number, detail: string): SandboxResponse {
  return { status, headers: { ...IAS_HEADERS, 'content-type': SCIM_JSON }, body: { schemas: [ERROR], status: String(status), detail } };
}

export function seededUser(seed: Record<string, unknown>, host: string, now: Date): StoredUser {
  const id = typeof seed.id === 'string' ? seed.id : randomUUID();
  return {
    id,
    meta: { created: now.toISOString(), lastModified: now.toISOString(), location: `https://${host}/scim/Users/${id}`, resourceType: 'User' },
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:sap:2.0:User'],
    userType: 'employee',
    active: true,
    ...seed,
  };
}

function positive(value: string | null, fallback: number): number | undefined {
  if (value === null) return fallback;
  return /^[0-9]+$/.test(value) ? Number(value) : undefined;
}

export function handleScimUsers(req: SandboxRequest, users: Record<string, StoredUser>, id: string): SandboxResponse {
  if (req.method !== 'GET') return scimError(405, `Method ${req.method} is not allowed.`);
  if (id) {
    const user = users[id];
    return user ? { status: 200, headers: { ...IAS_HEADERS, 'content-type': SCIM_JSON }, body: user } : scimError(404, `User ${id} not found`);
  }
  const startIndex = positive(req.query.get('startIndex'), 1);
  const count = positive(req.query.get('count'), MAX_COUNT);
  if (startIndex === undefined || startIndex < 1) return scimError(400, 'startIndex must be a positive integer.');
  if (count === undefined) return scimError(400, 'count must be a non-negative integer.');
  const all = Object.values(users).sort((a, b) => (a.id < b.id ? -1 : 1));
  const page = all.slice(startIndex - 1, startIndex - 1 + Math.min(count, MAX_COUNT));
  return {
    status: 200,
    headers: { ...IAS_HEADERS, 'content-type': SCIM_JSON },
    body: { schemas: [LIST], totalResults: all.length, itemsPerPage: page.length, startIndex, Resources: page },
  };
}
