/**
 * The check's sub-orchestration: one batch of subaccounts, checked in one activity with `parallel` of
 * them side by side (lanes.ts). The parent runs a few batches at once, so every history stays as
 * small as one batch.
 */
import { z } from 'zod';
import { defineChildWorkflow } from '../../shared/workflow/childWorkflow';
import { StepFailedError } from '../../shared/workflow/stepProgress';
import type { SubaccountCheck } from './findings';
import { checkSubaccounts, unreachableSubaccount } from './steps/checkSubaccounts';

export const CheckBatchInput = z.object({ subaccountIds: z.array(z.string()), at: z.iso.datetime(), expiryWindowDays: z.number(), parallel: z.number().int().positive() });
export type CheckBatchInput = z.infer<typeof CheckBatchInput>;

export const certificateCheckBatch = defineChildWorkflow<CheckBatchInput, SubaccountCheck[]>({
  name: 'certificateCheckBatch',
  idPrefix: 'batch',
  input: CheckBatchInput,
  steps: [checkSubaccounts],
  subjectOf: (input) => ({ subaccounts: String(input.subaccountIds.length) }),

  *orchestrate(run, input) {
    try {
      return yield* run.step(checkSubaccounts.with(input));
    } catch (e) {
      // The registry did not answer even after the retries: the batch's subaccounts are unreachable, the other batches go on.
      if (!(e instanceof StepFailedError)) throw e;
      const f = e.failure;
      return input.subaccountIds.map((id) => unreachableSubaccount(id, `${f.system}: ${f.message}`, f.fix));
    }
  },
});
