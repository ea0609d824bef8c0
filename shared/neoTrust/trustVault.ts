/**
 * Where full trust documents live: only in the SecretStore, because they hold the local service
 * provider's private key. Three kinds, each under a deterministic name so a retried activity finds
 * what its first run stored:
 * - a document given to an import (`neo-trust-document-<fingerprint>`): content-addressed;
 * - an export (`neo-trust-export-<export id>`, the export id being the export run's id);
 * - a backup taken before an import (`neo-trust-<backup id>`, the backup id being `<import run id>-backup`).
 * Exports and backups carry where they came from, so a restore needs only the backup id.
 *
 * Key Vault holds at most 25 KB per secret: a configuration with many identity providers can exceed
 * that, and the store then refuses it (named in the step's failure).
 */
import { z } from 'zod';
import { PermanentStepError } from '../workflow/stepOutcome';
import { secretName, SECRET_CONTENT_TYPES, MANAGED_BY, type SecretStore } from '../secrets';
import { documentFingerprint } from './redaction';
import type { TrustDocument } from './trustDocument';

export const NeoSubaccountRef = z.object({
  /** Landscape host, e.g. `eu2.hana.ondemand.com`. */
  landscapeHost: z.string(),
  /** Subaccount technical name. */
  subaccount: z.string(),
});
export type NeoSubaccountRef = z.infer<typeof NeoSubaccountRef>;

const Stored = z.object({
  kind: z.enum(['export', 'backup']),
  subaccount: NeoSubaccountRef,
  /** Secret name of the Neo platform API client that can write the subaccount back (backups). */
  credentialSecret: z.string().optional(),
  at: z.string(),
  fingerprint: z.string(),
  document: z.unknown(),
});
export type StoredTrustDocument = z.infer<typeof Stored>;

export const documentSecretName = (fingerprint: string) => secretName('neo-trust-document', fingerprint.slice(0, 40));
export const exportSecretName = (exportId: string) => secretName('neo-trust-export', exportId);
export const backupIdOf = (importRunId: string) => `${importRunId}-backup`;
export const backupSecretName = (backupId: string) => secretName('neo-trust', backupId);

const meta = (purpose: string, tags: Record<string, string> = {}) => ({
  contentType: `${SECRET_CONTENT_TYPES.json}; purpose=${purpose}`,
  tags: { 'managed-by': MANAGED_BY, purpose, ...tags },
});

/** Stores a document to import; returns its secret name and fingerprint (the same for the same document). */
export async function storeTrustDocument(secrets: SecretStore, document: TrustDocument): Promise<{ secretName: string; fingerprint: string }> {
  const fingerprint = documentFingerprint(document);
  const name = documentSecretName(fingerprint);
  if (!(await secrets.exists(name))) await secrets.set(name, JSON.stringify(document), meta('neo-trust-document', { fingerprint: fingerprint.slice(0, 64) }));
  return { secretName: name, fingerprint };
}

export async function storeSnapshot(secrets: SecretStore, name: string, snapshot: StoredTrustDocument): Promise<void> {
  await secrets.set(name, JSON.stringify(snapshot), meta(`neo-trust-${snapshot.kind}`, { subaccount: snapshot.subaccount.subaccount, landscape: snapshot.subaccount.landscapeHost }));
}

export async function readSnapshot(secrets: SecretStore, name: string): Promise<StoredTrustDocument | undefined> {
  const raw = await secrets.get(name);
  if (raw === undefined) return undefined;
  return Stored.parse(JSON.parse(raw));
}

/** The document stored under `name`: a plain document, or the one inside an export or backup. */
export async function readStoredDocument(secrets: SecretStore, name: string, system: string): Promise<unknown> {
  const raw = await secrets.get(name);
  if (raw === undefined) {
    throw new PermanentStepError({ system, kind: 'NotFound', message: `the trust document "${name}" is not in the secret store`, fix: 'Export the configuration again, or post the document with the import.' });
  }
  const value: unknown = JSON.parse(raw);
  const snapshot = Stored.safeParse(value);
  return snapshot.success ? snapshot.data.document : value;
}
