/**
 * Fan-out through sub-orchestrations: many items become batches, each batch one child orchestration,
 * at most `concurrency` children at once. Each child's history holds one batch and the parent's one
 * event pair per child, so no history grows with the number of items. Orchestrator-only.
 */
import type { OrchestrationContext, Task } from 'durable-functions';
import type { RunMode } from './stepActivity';

/** What a child orchestration gets: the kit's envelope, as every workflow orchestration does. */
export interface ChildEnvelope<In> {
  mode: RunMode;
  input: In;
}

export interface FanOutOptions {
  /** How many children run at once. */
  concurrency: number;
}

/**
 * Splits `items` into batches of at most `maxBatchSize`, evened out so that the last round of
 * `concurrency` children is as full as the others: 1000 items, 25 per batch, 16 at once → 48 batches
 * of 21 (three full rounds) rather than 40 of 25 (two full rounds and a half-empty third).
 */
export function evenBatches<T>(items: readonly T[], { maxBatchSize, concurrency }: { maxBatchSize: number; concurrency: number }): T[][] {
  if (items.length === 0) return [];
  const size = Math.max(1, Math.floor(maxBatchSize));
  const lanes = Math.max(1, Math.floor(concurrency));
  const rounds = Math.ceil(items.length / (size * lanes));
  const even = Math.ceil(items.length / (lanes * rounds));
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += even) batches.push(items.slice(i, i + even));
  return batches;
}

/** The instance id of child `index` (0-based) of a parent: derived, so a replay finds the same child. */
export const childInstanceId = (parentId: string, idPrefix: string, index: number) => `${parentId}-${idPrefix}-${index + 1}`;

/**
 * Runs one child per input, in rounds of at most `concurrency`, and returns their results in input
 * order. A child that fails fails the parent (children report expected problems as values).
 */
export function* fanOut<In, Res>(
  context: OrchestrationContext,
  child: { name: string; idPrefix: string },
  mode: RunMode,
  inputs: readonly In[],
  { concurrency }: FanOutOptions,
): Generator<Task, Res[], unknown> {
  const results: Res[] = [];
  const lanes = Math.max(1, Math.floor(concurrency));
  for (let start = 0; start < inputs.length; start += lanes) {
    const round = inputs.slice(start, start + lanes).map((input, i) =>
      context.df.callSubOrchestrator(child.name, { mode, input } satisfies ChildEnvelope<In>, childInstanceId(context.df.instanceId, child.idPrefix, start + i)),
    );
    results.push(...((yield context.df.Task.all(round)) as Res[]));
  }
  return results;
}
