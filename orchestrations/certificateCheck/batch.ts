/**
 * The check's sub-orchestration: one batch of subaccounts, one after the other. The parent runs a
 * few batches at once, so the check's concurrency is the number of batches in flight and every
 * history stays as small as one batch.
 */
import { z } from 'zod';
import { defineChildWorkflow } from '../../shared/workflow/childWorkflow';
import { StepFailedError } from '../../shared/workflow/stepProgress';
import { emptyCounts, type SubaccountCheck } from './findings';
import { checkSubaccount } from './steps/checkSubaccount';

export const CheckBatchInput = z.object({ subaccountIds: z.array(z.string()), at: z.iso.datetime(), expiryWindowDays: z.number() });
export type CheckBatchInput = z.infer<typeof CheckBatchInput>;

export const certificateCheckBatch = defineChildWorkflow<CheckBatchInput, SubaccountCheck[]>({
  name: 'certificateCheckBatch',
  idPrefix: 'batch',
  input: CheckBatchInput,
  steps: [checkSubaccount],
  subjectOf: (input) => ({ subaccounts: String(input.subaccountIds.length) }),

  *orchestrate(run, { subaccountIds, at, expiryWindowDays }) {
    const checks: SubaccountCheck[] = [];
    for (const subaccountId of subaccountIds) {
      try {
        checks.push(yield* run.step(checkSubaccount.with({ subaccountId, at, expiryWindowDays })));
      } catch (e) {
        // The registry did not answer even after the retries: this subaccount is unreachable, the others go on.
        if (!(e instanceof StepFailedError)) throw e;
        const f = e.failure;
        checks.push({
          subaccountId,
          tenants: 0,
          counts: { ...emptyCounts(), unreachable: 1 },
          findings: [{ tenantHost: '(every tenant of the subaccount)', subaccountId, status: 'unreachable', detail: `${f.system}: ${f.message}`, fix: f.fix }],
        });
      }
    }
    return checks;
  },
});
