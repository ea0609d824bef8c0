/**
 * The safe import, reusable by any workflow (docs/module-contracts.md, "Neo trust configuration"):
 * validate → back up the target → import (read, diff, overwrite) → read back and compare; a read-back
 * that differs restores the backup and fails the run with the difference. A plan stops after the diff:
 * it returns only the validation and the diff, and writes nothing (not even the backup).
 *
 * The document is never in the orchestrator: the caller's activity stored it (trustVault.storeTrustDocument)
 * and hands over its secret name.
 */
import type { Task } from 'durable-functions';
import { z } from 'zod';
import type { WorkflowRun } from '../../shared/workflow/workflowRun';
import { backupIdOf } from '../../shared/neoTrust/trustVault';
import { describeChanges } from '../../shared/neoTrust/trustDiff';
import { subaccountLabel } from '../../shared/neoTrust/pacedNeoTrust';
import { NeoTrustTarget, TrustChangeView, TrustFindingView } from './trustSchemas';
import { validateTrust } from './steps/validateTrust';
import { backupTarget } from './steps/backupTarget';
import { importTrust } from './steps/importTrust';
import { readBack } from './steps/readBack';
import { restoreBackup } from './steps/restoreBackup';

/** Spread into your workflow's `steps`: their ids are neoTrust*. */
export const neoTrustSafeImportSteps = [validateTrust, backupTarget, importTrust, readBack, restoreBackup] as const;

export const SafeImportInput = z.object({ target: NeoTrustTarget, documentSecret: z.string() });
export type SafeImportInput = z.infer<typeof SafeImportInput>;

export const SafeImportResult = z.object({
  useCase: z.string(),
  useCaseTitle: z.string(),
  fingerprint: z.string(),
  warnings: z.array(TrustFindingView),
  changes: z.array(TrustChangeView),
  /** Absent in a plan. */
  backupId: z.string().optional(),
  readBackEqual: z.boolean().optional(),
});
export type SafeImportResult = z.infer<typeof SafeImportResult>;

function* paced(run: WorkflowRun, notBefore: string | undefined): Generator<Task, void, unknown> {
  if (notBefore) yield* run.waitUntil(new Date(notBefore));
}

export function* safeNeoTrustImport(run: WorkflowRun, input: SafeImportInput): Generator<Task, SafeImportResult, unknown> {
  const { target, documentSecret } = input;
  const system = subaccountLabel(target);
  const validated = yield* run.step(validateTrust.with({ documentSecret, system }));
  const backupId = backupIdOf(run.id);
  const summary = { useCase: validated.useCase, useCaseTitle: validated.useCaseTitle, fingerprint: validated.fingerprint, warnings: validated.warnings };
  if (run.mode === 'plan') {
    const planned = yield* run.step(importTrust.with({ target, documentSecret, backupId }));
    return { ...summary, changes: planned.changes };
  }
  // Between two requests to the target the run waits on a durable timer until SAP's limit allows the
  // next one (the step says when): no activity sleeps, and a restart keeps the pace.
  const backup = yield* run.step(backupTarget.with({ target, backupId }));
  yield* paced(run, backup.notBefore);
  const imported = yield* run.step(importTrust.with({ target, documentSecret, backupId }));
  yield* paced(run, imported.notBefore);
  const check = yield* run.step(readBack.with({ target, documentSecret }));
  if (!check.equal) {
    yield* paced(run, check.notBefore);
    yield* run.step(restoreBackup.with({ target, backupId }));
    return run.fail(readBack.id, {
      system,
      kind: 'ReadBackDiffers',
      message: `after the import the subaccount held something else than was sent${imported.answered ? '' : ` (SAP had not confirmed the import: ${imported.problem})`}: ${describeChanges(check.differences)}. The backup ${backupId} was restored and read back`,
      fix: 'The subaccount is as it was before the import. Check the differences (a field SAP does not keep, or a concurrent change in the cockpit), then import again.',
    });
  }
  return { ...summary, changes: imported.changes, backupId, readBackEqual: true };
}
