/**
 * Import: read the target's configuration, diff it against the document, and (in a run, not a plan)
 * overwrite it. Only after the backup exists: the write checks for it itself, so no orchestration
 * bug can import without one.
 *
 * One attempt only. A 5xx, a timeout or a dropped connection after the request went out may mean SAP
 * imported the document or did not: the step reports `answered: false` and the read-back decides
 * (equal: done; different: the backup is restored). A 429 was not carried out and is retried.
 */
import { z } from 'zod';
import { defineStep } from '../../../shared/workflow/defineStep';
import { PermanentStepError } from '../../../shared/workflow/stepOutcome';
import { SapError } from '../../../shared/sap/errors';
import { backupSecretName, readSnapshot, readStoredDocument } from '../../../shared/neoTrust/trustVault';
import { pacedNeoTrust, subaccountLabel } from '../../../shared/neoTrust/pacedNeoTrust';
import type { TrustDocument } from '../../../shared/neoTrust/trustDocument';
import { NeoTrustTarget, TrustChangeView } from '../trustSchemas';
import { NOT_FOUND_NOTE, readTarget } from './readTarget';
import { overwritePlan } from './trustOverwrite';

export const ImportInput = z.object({ target: NeoTrustTarget, documentSecret: z.string(), backupId: z.string() });
export const Imported = z.object({ changes: z.array(TrustChangeView), answered: z.boolean(), problem: z.string().optional(), notBefore: z.string().optional() });
export type Imported = z.infer<typeof Imported>;

interface Current {
  current: TrustDocument;
  wanted: TrustDocument;
  notFound: boolean;
}

export const importTrust = defineStep({
  id: 'neoTrustImport',
  title: 'Import the trust configuration',
  system: (input) => subaccountLabel(input.target),
  input: ImportInput,
  output: Imported,
  async read(deps, input): Promise<Current> {
    const system = subaccountLabel(input.target);
    const wanted = (await readStoredDocument(deps.secrets, input.documentSecret, system)) as TrustDocument;
    // In a run the backup step has just read the target (and the run holds it alone): one request fewer
    // against SAP's limit. A plan has no backup and reads the target itself.
    const backup = await readSnapshot(deps.secrets, backupSecretName(input.backupId));
    if (backup) return { current: backup.document as TrustDocument, wanted, notFound: false };
    const { document, notFound } = await readTarget(await pacedNeoTrust(deps, input.target));
    return { current: document, wanted, notFound };
  },
  diff({ current, wanted, notFound }, input) {
    const plan = overwritePlan(input.target, current, wanted);
    const warnings = notFound ? [NOT_FOUND_NOTE] : [];
    const output = { changes: plan.changes, answered: true };
    if (plan.action === 'unchanged') return { action: 'unchanged', object: plan.object, changes: [], output, warnings };
    return { action: 'update', object: plan.object, changes: plan.fieldChanges, detail: `${plan.changes.length} change(s)`, output, warnings };
  },
  async write(deps, input, { wanted }, diff) {
    const system = subaccountLabel(input.target);
    if (!(await deps.secrets.exists(backupSecretName(input.backupId)))) {
      throw new PermanentStepError({ system, kind: 'NoBackup', message: `backup ${input.backupId} does not exist; nothing was imported`, fix: 'Start the import again: it backs up the target first.' });
    }
    const neo = await pacedNeoTrust(deps, input.target);
    try {
      await neo.importTrust(wanted, { repeatOnFailure: false });
      return { output: { ...diff.output, notBefore: neo.notBefore() } };
    } catch (e) {
      if (e instanceof SapError && e.kind === 'Transient' && e.status !== 429) {
        return {
          output: { ...diff.output, answered: false, problem: e.message, notBefore: neo.notBefore() },
          warnings: [`SAP did not confirm the import (${e.message}); the read-back decides whether it took effect`],
        };
      }
      throw e;
    }
  },
});
