/** The IAS tenant a request names, and the stored API client the workflow calls it with (both IAS workflows). */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { SecretName } from './secretName';
import { matchIasTenantHost } from '../sap/http/servicePins';
import { iasApiClientProblem } from '../sap/ias/iasClients';
import type { SecretStore } from '../secrets/secretStore';
import type { FieldError } from './fieldErrors';

export const IasTenantRequest = z
  .object({
    tenantHost: z
      .string()
      .transform((h) => h.trim().replace(/^https:\/\//i, '').replace(/\/+$/, '').toLowerCase())
      .refine((h) => matchIasTenantHost(h).ok, 'must be the IAS tenant host, <tenant>.accounts.ondemand.com or <tenant>.accounts.cloud.sap'),
    apiClientSecret: SecretName.meta({ description: 'Credential holding the IAS API client ("system as administrator") as {"clientId","clientSecret"}.' }),
  })
  .strict();
export type IasTenantRequest = z.infer<typeof IasTenantRequest>;

export const IasTenantSpec = z.object({ tenantHost: z.string(), tenant: z.string(), apiClientSecret: z.string() });
export type IasTenantSpec = z.infer<typeof IasTenantSpec>;

export function iasTenantSpec(request: IasTenantRequest): IasTenantSpec {
  return { ...request, tenant: request.tenantHost.split('.')[0] };
}

/** 422 when the API client is not stored or is not one. */
export async function checkIasApiClient(request: IasTenantRequest, secrets: Pick<SecretStore, 'get'>): Promise<FieldError[]> {
  const value = await secrets.get(request.apiClientSecret);
  if (value === undefined) return [{ field: 'ias.apiClientSecret', message: `no credential named "${request.apiClientSecret}" is stored; store it first with PUT /api/credentials/${request.apiClientSecret}` }];
  const problem = iasApiClientProblem(value);
  return problem ? [{ field: 'ias.apiClientSecret', message: `credential "${request.apiClientSecret}" ${problem}` }] : [];
}

/** A run key part for a free-text name: readable, lower case, and unique through a short hash of the exact name. */
export function nameKey(name: string): string {
  const readable = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'app';
  return `${readable}-${createHash('sha256').update(name).digest('hex').slice(0, 6)}`;
}
