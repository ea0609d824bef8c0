/**
 * Per-tenant switches of the simulated IAS (PUT /__sandbox/tenants/{tenant}/switches):
 * - metadataUrlKey: which key of `saml2Configuration` IAS honours for an application's SAML metadata
 *   URL. UNCONFIRMED (contracts C.3, G.7): the spec says `metadataUrl`, SAP's Terraform code sends
 *   `samlMetadataUrl`. The other key is dropped silently, as IAS drops keys it does not know, so
 *   only a read-back tells a client which one took.
 */
import { z } from 'zod';
import { AUTHENTICATION_SCHEMA } from './applicationSchema';
import type { ErrorDetail } from './iasResponses';
import type { StoredApplication } from './iasState';

export const METADATA_URL_KEYS = ['metadataUrl', 'samlMetadataUrl'] as const;

export const IasSwitches = z.object({ metadataUrlKey: z.enum(METADATA_URL_KEYS).default('metadataUrl') });
export type IasSwitches = z.infer<typeof IasSwitches>;
export const IasSwitchesInput = IasSwitches.partial().strict();

export const defaultIasSwitches = (): IasSwitches => ({ metadataUrlKey: 'metadataUrl' });

/** Keeps the honoured key (checked as IAS documents it: an https URL without query), drops the other. */
export function applyMetadataUrlKey(app: StoredApplication, switches: IasSwitches): ErrorDetail[] {
  const saml = (app[AUTHENTICATION_SCHEMA] as Record<string, unknown> | undefined)?.saml2Configuration as Record<string, unknown> | undefined;
  if (!saml) return [];
  for (const key of METADATA_URL_KEYS) if (key !== switches.metadataUrlKey) delete saml[key];
  const url = saml[switches.metadataUrlKey];
  if (url === undefined) return [];
  const target = `${AUTHENTICATION_SCHEMA}.saml2Configuration.${switches.metadataUrlKey}`;
  if (typeof url !== 'string') return [{ target, message: 'The metadata URL must be a string.' }];
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [{ target, message: 'The metadata URL is not a valid URL.' }];
  }
  if (parsed.search !== '') return [{ target, message: 'The metadata URL must not contain a query parameter.' }];
  return [];
}
