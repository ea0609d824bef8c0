/** 422 when the named Neo platform API client is not stored or is not one: checked before any run starts. */
import type { FieldError } from '../../shared/schemas/fieldErrors';
import type { SecretStore } from '../../shared/secrets';
import { NeoPlatformClientSecret, NEO_PLATFORM_CLIENT_SHAPE } from '../../shared/neoTrust/neoPlatformClient';

export async function neoCredentialProblems(secrets: Pick<SecretStore, 'get'>, field: string, name: string): Promise<FieldError[]> {
  const value = await secrets.get(name);
  if (value === undefined) return [{ field, message: `no credential named "${name}" is stored; store the Neo platform API client first with PUT /api/credentials/${name}` }];
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    parsed = undefined;
  }
  return NeoPlatformClientSecret.safeParse(parsed).success ? [] : [{ field, message: `credential "${name}" is not a Neo platform API client ${NEO_PLATFORM_CLIENT_SHAPE}` }];
}

export const targetKey = (t: { subaccount: string; landscapeHost: string }) => `${t.subaccount}-${t.landscapeHost}`.toLowerCase();
