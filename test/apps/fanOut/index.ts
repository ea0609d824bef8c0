/**
 * A parent workflow that fans out to a child workflow through the kit (run.children), with a fake
 * activity that records how many children work at once. For test/replay/fanOut.test.ts only.
 */
import * as df from 'durable-functions';
import { z } from 'zod';
import { defineStep } from '../../../shared/workflow/defineStep';
import { defineWorkflow, registerOrchestrator } from '../../../shared/workflow/defineWorkflow';
import { defineChildWorkflow, registerChildOrchestrator } from '../../../shared/workflow/childWorkflow';
import { evenBatches } from '../../../shared/workflow/fanOut';
import { activityName } from '../../../shared/workflow/workflowRun';

export const fanOutProbe = { inFlight: new Set<string>(), maxInFlight: 0, calls: 0 };

const double = defineStep({
  kind: 'check',
  outcome: 'checked',
  id: 'double',
  title: 'Double',
  system: () => 'test',
  input: z.object({ n: z.number() }),
  output: z.number(),
  check: async (_deps, { n }) => ({ output: 2 * n }),
});

const sumBatch = defineChildWorkflow<{ items: number[] }, number>({
  name: 'FanOutSumBatch',
  idPrefix: 'sum',
  input: z.object({ items: z.array(z.number()) }),
  steps: [double],
  *orchestrate(run, { items }) {
    let sum = 0;
    for (const n of items) sum += yield* run.step(double.with({ n }));
    return sum;
  },
});

const parent = defineWorkflow<{ items: number[]; batchSize: number; concurrency: number }, number[]>({
  kind: 'fan-outs',
  name: 'FanOutParent',
  noun: 'fan-out',
  idPrefix: 'fan',
  request: z.object({}),
  prepare: async () => ({ ok: false, status: 400, fields: [] }),
  input: z.object({ items: z.array(z.number()), batchSize: z.number(), concurrency: z.number() }),
  key: () => 'test',
  subject: z.object({}),
  subjectOf: () => ({}),
  steps: [],
  result: z.array(z.number()),
  *orchestrate(run, { items, batchSize, concurrency }) {
    const batches = evenBatches(items, { maxBatchSize: batchSize, concurrency });
    return yield* run.children(sumBatch, batches.map((b) => ({ items: b })), { concurrency });
  },
});

registerOrchestrator(parent);
registerChildOrchestrator(sumBatch);
// The fake activity: answers as executeStep does, after a pause, and counts the children working at once.
df.app.activity(activityName(sumBatch.name, double.id), {
  handler: async (envelope: { runId: string; input: { n: number } }) => {
    fanOutProbe.calls++;
    fanOutProbe.inFlight.add(envelope.runId);
    fanOutProbe.maxInFlight = Math.max(fanOutProbe.maxInFlight, fanOutProbe.inFlight.size);
    await new Promise((r) => setTimeout(r, 20));
    fanOutProbe.inFlight.delete(envelope.runId);
    return { ok: true, outcome: 'checked', output: 2 * envelope.input.n };
  },
});
