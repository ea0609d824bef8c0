/**
 * What a tenant goes without trust during the cut-over: from its push until BTP rotates. Estimated from
 * the round trips preflight measured: the pushes go out ROTATION_PUSH_CONCURRENCY at a time, one PATCH
 * each (the reads before them are outside the window), then BTP's certificates are read and rotated.
 */
import { z } from 'zod';
import { defineStep } from '../../../shared/workflow/defineStep';

export const expectedWindow = defineStep({
  kind: 'derive',
  id: 'expectedWindow',
  title: 'Expected window of the cut-over',
  system: () => 'rotation',
  input: z.object({ latenciesMs: z.array(z.number()), concurrency: z.number().int().positive(), manualTenants: z.number().int() }),
  output: z.object({ expectedMs: z.number(), words: z.string() }),
  derive({ latenciesMs, concurrency, manualTenants }) {
    const slowest = Math.max(1, ...latenciesMs);
    const rounds = Math.max(1, Math.ceil((latenciesMs.length - manualTenants) / concurrency));
    const expectedMs = Math.round(slowest * (rounds + 3));
    const words = `about ${(expectedMs / 1000).toFixed(1)} s per tenant (${latenciesMs.length} tenants pushed ${concurrency} at a time, slowest round trip ${slowest} ms)${manualTenants ? `; ${manualTenants} tenant(s) updated by hand go without trust from their upload until the confirmation` : ''}`;
    return { output: { expectedMs, words }, detail: words };
  },
});
