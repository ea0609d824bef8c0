/**
 * Back up the target's whole trust configuration (private key included) into the SecretStore before
 * anything is imported. The backup id is derived from the run id, so a retried activity finds its
 * backup and never overwrites it with a half-imported state.
 */
import { z } from 'zod';
import { defineStep } from '../../../shared/workflow/defineStep';
import { backupSecretName, readSnapshot, storeSnapshot, type StoredTrustDocument } from '../../../shared/neoTrust/trustVault';
import { documentFingerprint } from '../../../shared/neoTrust/redaction';
import { pacedNeoTrust, subaccountLabel } from '../../../shared/neoTrust/pacedNeoTrust';
import { NeoTrustTarget } from '../trustSchemas';
import { NOT_FOUND_NOTE, readTarget } from './readTarget';

export const BackupInput = z.object({ target: NeoTrustTarget, backupId: z.string() });
export const BackupRef = z.object({ backupId: z.string(), fingerprint: z.string(), takenAt: z.string(), notBefore: z.string().optional() });
export type BackupRef = z.infer<typeof BackupRef>;

export const backupTarget = defineStep({
  id: 'neoTrustBackup',
  title: 'Back up the target configuration',
  system: (input) => subaccountLabel(input.target),
  input: BackupInput,
  output: BackupRef,
  read: (deps, input): Promise<StoredTrustDocument | undefined> => readSnapshot(deps.secrets, backupSecretName(input.backupId)),
  diff: (existing, input) =>
    existing
      ? { action: 'unchanged', object: `backup ${input.backupId}`, changes: [], output: { backupId: input.backupId, fingerprint: existing.fingerprint, takenAt: existing.at } }
      : { action: 'create', object: `backup ${input.backupId}`, changes: [], output: { backupId: input.backupId, fingerprint: '', takenAt: '' } },
  async write(deps, input) {
    const neo = await pacedNeoTrust(deps, input.target);
    const { document, notFound } = await readTarget(neo);
    const snapshot: StoredTrustDocument = {
      kind: 'backup',
      subaccount: { landscapeHost: input.target.landscapeHost, subaccount: input.target.subaccount },
      credentialSecret: input.target.credentialSecret,
      at: deps.now().toISOString(),
      fingerprint: documentFingerprint(document),
      document,
    };
    await storeSnapshot(deps.secrets, backupSecretName(input.backupId), snapshot);
    return {
      output: { backupId: input.backupId, fingerprint: snapshot.fingerprint, takenAt: snapshot.at, notBefore: neo.notBefore() },
      detail: `backup ${input.backupId} (sha256 ${snapshot.fingerprint.slice(0, 16)})`,
      ...(notFound ? { warnings: [NOT_FOUND_NOTE] } : {}),
    };
  },
});
