/**
 * Restore a backup an import took (POST /api/neo-trust/restores, by backup id). The backup knows its
 * subaccount and the credential that wrote it; another credential may be named.
 */
import { z } from 'zod';
import { defineWorkflow, type Prepared } from '../../shared/workflow/defineWorkflow';
import { validationErrors } from '../../shared/schemas/fieldErrors';
import { runtimeServices } from '../../shared/config/runtimeServices';
import { backupSecretName, readSnapshot } from '../../shared/neoTrust/trustVault';
import { NeoTrustTarget } from './trustSchemas';
import { neoCredentialProblems, targetKey } from './credentialCheck';
import { restoreBackup, Restored } from './steps/restoreBackup';

export const NeoTrustRestoreRequest = z.strictObject({
  backupId: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,127}$/, 'must be a backup id as an import run shows it (<import run id>-backup)'),
  /** Default: the credential the import used. */
  credentialSecret: NeoTrustTarget.shape.credentialSecret.optional(),
});

export const NeoTrustRestoreInput = z.object({ target: NeoTrustTarget, backupId: z.string() });
export type NeoTrustRestoreInput = z.infer<typeof NeoTrustRestoreInput>;

async function prepareRestore(body: unknown): Promise<Prepared<NeoTrustRestoreInput>> {
  const parsed = NeoTrustRestoreRequest.safeParse(body);
  if (!parsed.success) return { ok: false, status: 400, fields: validationErrors(parsed.error, NeoTrustRestoreRequest) };
  const { secrets } = runtimeServices();
  const snapshot = await readSnapshot(secrets, backupSecretName(parsed.data.backupId));
  if (!snapshot || snapshot.kind !== 'backup') return { ok: false, status: 422, fields: [{ field: 'backupId', message: `no backup ${parsed.data.backupId} is stored` }] };
  const credentialSecret = parsed.data.credentialSecret ?? snapshot.credentialSecret;
  if (!credentialSecret) return { ok: false, status: 422, fields: [{ field: 'credentialSecret', message: 'the backup names no credential: name the Neo platform API client to restore with' }] };
  const problems = await neoCredentialProblems(secrets, parsed.data.credentialSecret ? 'credentialSecret' : 'backupId', credentialSecret);
  if (problems.length) return { ok: false, status: 422, fields: problems };
  return { ok: true, input: { target: { ...snapshot.subaccount, credentialSecret }, backupId: parsed.data.backupId } };
}

export const neoTrustRestore = defineWorkflow<NeoTrustRestoreInput, Restored>({
  kind: 'neo-trust/restores',
  name: 'neoTrustRestore',
  noun: 'Neo trust restore',
  idPrefix: 'neo-restore',
  request: NeoTrustRestoreRequest,
  prepare: prepareRestore,
  input: NeoTrustRestoreInput,
  key: (input) => targetKey(input.target),
  exclusiveGroup: 'neoTrustTarget',
  subject: z.object({ subaccount: z.string(), landscapeHost: z.string(), backupId: z.string() }),
  subjectOf: (input) => ({ subaccount: input.target.subaccount, landscapeHost: input.target.landscapeHost, backupId: input.backupId }),
  steps: [restoreBackup],
  result: Restored,
  *orchestrate(run, input) {
    return yield* run.step(restoreBackup.with({ target: input.target, backupId: input.backupId }));
  },
});
