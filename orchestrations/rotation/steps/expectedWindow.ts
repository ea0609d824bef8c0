/**
 * What a tenant goes without trust during the cut-over: from its push until BTP rotates. Estimated from
 * the round trips preflight measured: every batch runs at once, so it is about one push (read, CSRF,
 * PATCH) of the slowest tenant plus the rotate call, in rounds of what the host runs side by side.
 */
import { z } from 'zod';
import { defineStep } from '../../../shared/workflow/defineStep';

/** host.json maxConcurrentActivityFunctions: how many batches run side by side. */
const PARALLEL_BATCHES = 10;

export const expectedWindow = defineStep({
  kind: 'derive',
  id: 'expectedWindow',
  title: 'Expected window of the cut-over',
  system: () => 'rotation',
  input: z.object({ latenciesMs: z.array(z.number()), batches: z.number().int(), manualTenants: z.number().int() }),
  output: z.object({ expectedMs: z.number(), words: z.string() }),
  derive({ latenciesMs, batches, manualTenants }) {
    const slowest = Math.max(50, ...latenciesMs);
    const rounds = Math.max(1, Math.ceil(batches / PARALLEL_BATCHES));
    const expectedMs = Math.round(slowest * (3 * rounds + 4));
    const words = `about ${(expectedMs / 1000).toFixed(1)} s per tenant (${latenciesMs.length} tenants in ${batches} batch(es), slowest round trip ${slowest} ms)${manualTenants ? `; ${manualTenants} tenant(s) updated by hand go without trust from their upload until the confirmation` : ''}`;
    return { output: { expectedMs, words }, detail: words };
  },
});
