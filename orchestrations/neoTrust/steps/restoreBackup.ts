/**
 * Put a backup back: read the target, diff it against the backup, overwrite it with the backup, read
 * it back (the plan and the comparison are the import's, trustOverwrite.ts). Used by an import whose read-back differs and by the restore workflow (a backup id).
 */
import { z } from 'zod';
import { defineStep } from '../../../shared/workflow/defineStep';
import { PermanentStepError } from '../../../shared/workflow/stepOutcome';
import { describeChanges } from '../../../shared/neoTrust/trustDiff';
import { backupSecretName, readSnapshot } from '../../../shared/neoTrust/trustVault';
import { pacedNeoTrust, subaccountLabel } from '../../../shared/neoTrust/pacedNeoTrust';
import type { TrustDocument } from '../../../shared/neoTrust/trustDocument';
import { NeoTrustTarget, TrustChangeView } from '../trustSchemas';
import { readTarget } from './readTarget';
import { compareWithTarget, overwritePlan } from './trustOverwrite';

export const RestoreInput = z.object({ target: NeoTrustTarget, backupId: z.string() });
export const Restored = z.object({ backupId: z.string(), fingerprint: z.string(), changes: z.array(TrustChangeView) });
export type Restored = z.infer<typeof Restored>;

interface Current {
  current: TrustDocument;
  backup: TrustDocument;
  fingerprint: string;
}

export const restoreBackup = defineStep({
  id: 'neoTrustRestore',
  title: 'Restore the backup',
  system: (input) => subaccountLabel(input.target),
  input: RestoreInput,
  output: Restored,
  async read(deps, input): Promise<Current> {
    const system = subaccountLabel(input.target);
    const snapshot = await readSnapshot(deps.secrets, backupSecretName(input.backupId));
    if (!snapshot || snapshot.kind !== 'backup') {
      throw new PermanentStepError({ system, kind: 'NotFound', message: `no backup ${input.backupId} is in the secret store`, fix: 'Check the backup id: it is shown by the import run that took it (GET /api/neo-trust/imports/{id}).' });
    }
    const { document } = await readTarget(await pacedNeoTrust(deps, input.target));
    return { current: document, backup: snapshot.document as TrustDocument, fingerprint: snapshot.fingerprint };
  },
  diff({ current, backup, fingerprint }, input) {
    const plan = overwritePlan(input.target, current, backup);
    const output = { backupId: input.backupId, fingerprint, changes: plan.changes };
    return plan.action === 'unchanged'
      ? { action: 'unchanged', object: plan.object, changes: [], output, detail: 'the subaccount already holds the backup' }
      : { action: 'update', object: plan.object, changes: plan.fieldChanges, output, detail: `restore backup ${input.backupId}` };
  },
  async write(deps, input, { backup }, diff) {
    const system = subaccountLabel(input.target);
    const neo = await pacedNeoTrust(deps, input.target);
    await neo.importTrust(backup);
    const { differences: left } = await compareWithTarget(neo, backup);
    if (left.length > 0) {
      throw new PermanentStepError({
        system,
        kind: 'RestoreDiffers',
        message: `after restoring backup ${input.backupId} the subaccount still differs from it: ${describeChanges(left)}`,
        fix: `Check the subaccount's trust settings in the Neo cockpit now; the backup is kept: restore it again with "sap-trust neo-trust restore ${input.backupId}".`,
      });
    }
    return { output: diff.output, detail: `backup ${input.backupId} restored and read back` };
  },
});
