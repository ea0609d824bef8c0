/**
 * One batch of subaccounts in one activity, `parallel` of them side by side (each one's SAP calls one
 * after the other, subaccountCheck.ts), so the check's SAP calls in flight are its concurrency while it
 * holds only a few of the host's activity slots (lanes.ts). A subaccount that fails for good is reported
 * `unreachable` and the others go on; a registry that does not answer fails the batch for the retry.
 */
import { z } from 'zod';
import { defineStep } from '../../../shared/workflow/defineStep';
import { stepFailureOf } from '../../../shared/workflow/stepFailureOf';
import type { StepDependencies } from '../../../shared/workflow/stepDependencies';
import { emptyCounts, SubaccountCheck, type CheckStatus } from '../findings';
import { inLanes } from '../lanes';
import { checkSubaccount, type SubaccountCheckInput } from '../subaccountCheck';

const Input = z.object({ subaccountIds: z.array(z.string()), at: z.iso.datetime(), expiryWindowDays: z.number(), parallel: z.number().int().positive() });

export const checkSubaccounts = defineStep({
  kind: 'check',
  outcome: 'checked',
  id: 'checkSubaccounts',
  title: 'Subaccounts and their tenants',
  system: ({ subaccountIds }) => `${subaccountIds.length} subaccounts`,
  input: Input,
  output: z.array(SubaccountCheck),
  async check(deps, { subaccountIds, at, expiryWindowDays, parallel }) {
    // The batch's registry rows in one query where the registry can (a registry that does not answer fails the batch for the retry).
    const rows = deps.registry.listBySubaccounts ? await deps.registry.listBySubaccounts(subaccountIds) : undefined;
    const checks = await inLanes(subaccountIds.map((id, i) => ({ id, records: rows?.[i] })), parallel, ({ id, records }) =>
      isolated(deps, { subaccountId: id, at, expiryWindowDays, ...(records ? { records } : {}) }),
    );
    const counts = emptyCounts();
    for (const c of checks) for (const s of Object.keys(counts) as CheckStatus[]) counts[s] += c.counts[s];
    return {
      output: checks,
      detail: `${checks.length} subaccounts: ${(Object.entries(counts) as [CheckStatus, number][]).filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s}`).join(', ') || 'no tenants recorded'}`,
    };
  },
});

/** A defect or a refusal in one subaccount is that subaccount's finding; only a transient failure fails the batch. */
async function isolated(deps: StepDependencies, input: SubaccountCheckInput): Promise<SubaccountCheck> {
  try {
    return await checkSubaccount(deps, input);
  } catch (e) {
    const classified = stepFailureOf(checkSubaccounts.id, `subaccount ${input.subaccountId}`, e);
    if (classified.transient) throw e;
    return unreachableSubaccount(input.subaccountId, `${classified.failure.system}: ${classified.failure.message}`, classified.failure.fix);
  }
}

export function unreachableSubaccount(subaccountId: string, detail: string, fix: string): SubaccountCheck {
  return {
    subaccountId,
    tenants: 0,
    counts: { ...emptyCounts(), unreachable: 1 },
    findings: [{ tenantHost: '(every tenant of the subaccount)', subaccountId, status: 'unreachable', detail, fix }],
  };
}
