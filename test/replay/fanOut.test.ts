/**
 * The kit's fan-out through sub-orchestrations (shared/workflow/fanOut.ts, childWorkflow.ts) on the
 * devhost engine with the real durable-functions replay: results in input order, at most
 * `concurrency` children at once, child ids derived from the parent's, and the parent's history one
 * event pair per child whatever the number of items.
 */
import { createDurableEngine } from '../../devhost/engine';
import type { DurableEngine } from '../../devhost/engineContract';
import { evenBatches, childInstanceId } from '../../shared/workflow/fanOut';
import { loadReplayApp, temporaryStateDir } from './support/replayApp';

const registry = loadReplayApp('fanOut');
// Loaded by loadReplayApp, under the virtual @azure/functions-core; this only reads the same module.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { fanOutProbe } = require('../apps/fanOut') as typeof import('../apps/fanOut');

let engine: DurableEngine;
beforeEach(async () => {
  fanOutProbe.maxInFlight = 0;
  fanOutProbe.calls = 0;
  engine = createDurableEngine({ registry, stateDir: temporaryStateDir('fanout') });
  await engine.start();
});
afterEach(() => engine.stop());

describe('evenBatches', () => {
  it('fills the last round of children as much as the others', () => {
    const sizes = (n: number, max: number, c: number) => evenBatches(Array.from({ length: n }, (_, i) => i), { maxBatchSize: max, concurrency: c }).map((b) => b.length);
    expect(sizes(1000, 25, 16)).toEqual([...Array(47).fill(21), 13]);
    expect(sizes(10, 3, 2)).toEqual([3, 3, 3, 1]);
    expect(sizes(3, 25, 16)).toEqual([1, 1, 1]);
    expect(sizes(0, 25, 16)).toEqual([]);
    expect(sizes(1000, 25, 16).every((s) => s <= 25)).toBe(true);
  });

  it('keeps every item once, in order', () => {
    const items = Array.from({ length: 101 }, (_, i) => i);
    expect(evenBatches(items, { maxBatchSize: 7, concurrency: 3 }).flat()).toEqual(items);
  });
});

describe('run.children', () => {
  it('returns each child result in input order, with at most `concurrency` children at once', async () => {
    const items = Array.from({ length: 10 }, (_, i) => i + 1);
    const id = await engine.startNew('FanOutParent', { instanceId: 'fan-test-r1', input: { mode: 'run', input: { items, batchSize: 3, concurrency: 2 } } });
    const status = await engine.waitForCompletion(id, 30_000);
    expect(status.runtimeStatus).toBe('Completed');
    // Batches [1,2,3] [4,5,6] [7,8,9] [10], each summed twice over.
    expect(status.output).toEqual([12, 30, 48, 20]);
    expect(fanOutProbe.calls).toBe(10);
    expect(fanOutProbe.maxInFlight).toBe(2);
    for (let i = 0; i < 4; i++) expect((await engine.getStatus(childInstanceId(id, 'sum', i)))?.runtimeStatus).toBe('Completed');
  });

  it("keeps the parent's history to one pair of events per child, however many items each child has", async () => {
    const run = async (id: string, n: number) => {
      await engine.startNew('FanOutParent', { instanceId: id, input: { mode: 'run', input: { items: Array.from({ length: n }, (_, i) => i), batchSize: n / 4, concurrency: 4 } } });
      await engine.waitForCompletion(id, 30_000);
      const status = await engine.getStatus(id, { showHistory: true });
      return status?.historyEvents?.length ?? NaN;
    };
    expect(await run('fan-small-r1', 8)).toBe(await run('fan-large-r1', 80));
  });
});
