import type { SecretStore } from '../../shared/secrets/secretStore';

/** A read-only secret lookup over a plain map, for schema checks that only call get(). */
export function memorySecrets(values: Record<string, string>): Pick<SecretStore, 'get'> {
  return { get: async (name) => values[name] };
}
