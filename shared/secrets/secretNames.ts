/**
 * Deterministic, Key-Vault-legal secret names (`^[0-9a-zA-Z-]{1,127}$`, case-insensitive), content
 * types and tags. The same tenant and purpose always give the same name, so a retried activity
 * finds the secret its first run stored.
 */
import { createHash } from 'node:crypto';
import type { SecretMeta } from './secretStore';

export const SECRET_NAME_PATTERN = /^[0-9a-zA-Z-]{1,127}$/;
export const SECRET_NAME_MAX_LENGTH = 127;
export const MANAGED_BY = 'sap-trust-onboarding';

export const SECRET_CONTENT_TYPES = {
  communicationUserPassword: 'text/plain; purpose=s4-communication-user-password',
  destinationServiceKey: 'application/json; purpose=btp-destination-service-key',
  bootstrapUser: 'application/json; purpose=s4-sap-com-0a48-user',
  text: 'text/plain',
  json: 'application/json',
} as const;

export function isSecretName(name: string): boolean {
  return SECRET_NAME_PATTERN.test(name);
}

/** `my100001-api.s4hana.ondemand.com` → `my100001`: the tenant as administrators name it. */
export function s4TenantOf(host: string): string {
  const label = host.trim().toLowerCase().split('.')[0] ?? '';
  return label.endsWith('-api') ? label.slice(0, -'-api'.length) : label;
}

/**
 * Joins parts into a legal name: lower case, every run of other characters becomes one dash. A name
 * that would be longer than 127 keeps its start and ends in a hash of the whole, so it stays unique.
 */
export function secretName(...parts: string[]): string {
  const joined = parts
    .map((p) => p.toLowerCase().replace(/[^0-9a-z]+/g, '-').replace(/^-+|-+$/g, ''))
    .filter((p) => p.length > 0)
    .join('-');
  if (joined.length === 0) throw new Error('a secret name needs at least one part with a letter or digit');
  if (joined.length <= SECRET_NAME_MAX_LENGTH) return joined;
  const hash = createHash('sha256').update(joined).digest('hex').slice(0, 12);
  return `${joined.slice(0, SECRET_NAME_MAX_LENGTH - hash.length - 1).replace(/-+$/, '')}-${hash}`;
}

export function secretTags(tenant: string, purpose: string, extra: Record<string, string> = {}): Record<string, string> {
  return { tenant, purpose, 'managed-by': MANAGED_BY, ...extra };
}

export interface NamedSecret {
  name: string;
  meta: SecretMeta;
}

/**
 * The password of the communication user the onboarding creates on an S/4 tenant, e.g.
 * (`my100001-api.s4hana.ondemand.com`, `COM0501_1A2B3C4D`) → `s4-my100001-comm-user-com0501-1a2b3c4d-password`.
 */
export function communicationUserPasswordSecret(s4Host: string, communicationUserName: string): NamedSecret {
  const tenant = s4TenantOf(s4Host);
  return {
    name: secretName('s4', tenant, 'comm-user', communicationUserName, 'password'),
    meta: {
      contentType: SECRET_CONTENT_TYPES.communicationUserPassword,
      tags: secretTags(tenant, 'communication-user-password', { 'communication-user': communicationUserName }),
    },
  };
}
