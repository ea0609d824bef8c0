/**
 * UNCONFIRMED (contracts C.3, G.7): the key of an application's SAML metadata URL. The published
 * spec says `metadataUrl`; SAP's Terraform provider sends `samlMetadataUrl`. IAS drops a key it does
 * not know without an error, so the only proof is a read-back. This is the one place that knows
 * both; the write tries them in this order and keeps the first one IAS shows afterwards.
 */
import type { IasApplication } from './applicationSchemas';
import { IAS_AUTHENTICATION } from './applicationSchemas';

export const METADATA_URL_KEYS = ['metadataUrl', 'samlMetadataUrl'] as const;
export type MetadataUrlKey = (typeof METADATA_URL_KEYS)[number];

/** The metadata URL the application holds, and under which key. */
export function metadataUrlOf(application: IasApplication | undefined): { key: MetadataUrlKey; url: string } | undefined {
  const saml = application?.[IAS_AUTHENTICATION]?.saml2Configuration as Record<string, unknown> | undefined;
  for (const key of METADATA_URL_KEYS) {
    const url = saml?.[key];
    if (typeof url === 'string' && url !== '') return { key, url };
  }
  return undefined;
}
