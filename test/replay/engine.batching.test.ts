/**
 * Several completions per episode must give the same results as the simple one-per-episode mode, including
 * when retried calls (whose ids the host allocates) complete in the same episode as calls that resume user code.
 */
import { createDurableEngine } from '../../devhost/engine';
import type { DurableEngine, InvocationLogEntry } from '../../devhost/engineContract';
import { resetCounters } from '../apps/replay/counters';
import { loadReplayApp, temporaryStateDir } from './support/replayApp';

const registry = loadReplayApp();

async function runIn(mode: 'batched' | 'one-per-episode', name: string, input: unknown) {
  resetCounters();
  const episodes: InvocationLogEntry[] = [];
  const engine: DurableEngine = createDurableEngine({
    registry,
    stateDir: temporaryStateDir(mode),
    maxCompletionsPerEpisode: mode === 'batched' ? undefined : 1,
    logInvocation: (entry) => entry.kind === 'orchestrator' && episodes.push(entry),
  });
  await engine.start();
  try {
    const id = await engine.startNew(name, { input });
    const status = await engine.waitForCompletion(id, 30_000);
    return { status, episodes: episodes.length };
  } finally {
    await engine.stop();
  }
}

it('fans out 50 activities with the same result in both modes, in far fewer episodes when batched', async () => {
  const batched = await runIn('batched', 'FanOut', 50);
  const single = await runIn('one-per-episode', 'FanOut', 50);
  const expected = Array.from({ length: 50 }, (_, i) => i * i).reduce((a, b) => a + b, 0);
  expect(batched.status.output).toBe(expected);
  expect(single.status.output).toBe(expected);
  expect(single.episodes).toBe(51);
  expect(batched.episodes).toBeLessThan(10);
});

it('allocates retry ids in the order the SDK does when retries and plain calls share an episode', async () => {
  const batched = await runIn('batched', 'RetryMix', 'mix');
  const single = await runIn('one-per-episode', 'RetryMix', 'mix');
  const expected = [
    1, 100, 'mix-1 ok on attempt 2',
    4, 400, 'mix-2 ok on attempt 3',
    9, 900, 'mix-3 ok on attempt 4',
    ['mix-fan-2 ok on attempt 2', 'mix-fan-3 ok on attempt 3', 'mix-fan-4 ok on attempt 4', 49],
    121,
  ];
  expect(single.status.output).toEqual(expected);
  expect(batched.status.runtimeStatus).toBe('Completed');
  expect(batched.status.output).toEqual(expected);
  expect(batched.episodes).toBeLessThan(single.episodes);
});
