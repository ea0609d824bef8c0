/**
 * What one tenant's part of a batch step came to. A batch step never fails for one tenant: each
 * tenant's failure is a value (transient or for good, with SAP's message and the fix), so the
 * orchestrator can retry the tenants that did not decide and roll back when one refuses for good.
 */
import { z } from 'zod';
import { stepFailureOf } from '../../shared/workflow/stepFailureOf';

export const TenantProblem = z.object({
  tenantHost: z.string(),
  transient: z.boolean(),
  message: z.string(),
  fix: z.string(),
});
export type TenantProblem = z.infer<typeof TenantProblem>;

export function tenantProblem(step: string, tenantHost: string, tenant: string, e: unknown): TenantProblem {
  const { transient, failure } = stepFailureOf(step, tenant, e);
  return { tenantHost, transient, message: failure.message, fix: failure.fix };
}

/**
 * Runs `work` for every tenant, at most `concurrency` at a time (default: all at once; a batch is small by
 * construction, ROTATION_BATCH_SIZE), in the tenants' order.
 */
export async function eachTenant<T extends { tenantHost: string; tenant: string }, R>(
  step: string,
  tenants: readonly T[],
  work: (tenant: T) => Promise<R>,
  concurrency = tenants.length,
): Promise<Array<{ tenant: T; value?: R; problem?: TenantProblem }>> {
  const results = new Array<{ tenant: T; value?: R; problem?: TenantProblem }>(tenants.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < tenants.length; i = next++) {
      const tenant = tenants[i];
      try {
        results[i] = { tenant, value: await work(tenant) };
      } catch (e) {
        results[i] = { tenant, problem: tenantProblem(step, tenant.tenantHost, tenant.tenant, e) };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, tenants.length)) }, worker));
  return results;
}

/** A few quick attempts inside the activity for what did not decide (a timeout, a 503); the rest goes back to the orchestrator. */
export async function settleQuickly<R>(attempt: () => Promise<R>, isTransient: (e: unknown) => boolean, attempts = 3): Promise<R> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (e) {
      if (i >= attempts || !isTransient(e)) throw e;
      await new Promise((r) => setTimeout(r, 100 * i));
    }
  }
}

export const isTransientError = (e: unknown) => stepFailureOf('', '', e).transient;
