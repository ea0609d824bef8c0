/**
 * Durable state: a new engine on the same state directory resumes what the previous one left, without
 * running completed activities again, and re-runs an activity that was interrupted (at-least-once).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createDurableEngine } from '../../devhost/engine';
import type { DurableEngine } from '../../devhost/engineContract';
import { calls, gates, resetCounters } from '../apps/replay/counters';
import { loadReplayApp, temporaryStateDir } from './support/replayApp';

const registry = loadReplayApp();
const engines: DurableEngine[] = [];

function engineOn(stateDir: string, extra: { stopGraceMs?: number; compactAfterBytes?: number } = {}): DurableEngine {
  const engine = createDurableEngine({ registry, stateDir, ...extra });
  engines.push(engine);
  return engine;
}

beforeEach(() => resetCounters());
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.stop();
  for (const release of gates.values()) release();
  gates.clear();
});

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 5));
  }
}

it('resumes an instance that waits for an event, after a restart', async () => {
  const dir = temporaryStateDir('resume-event');
  const first = engineOn(dir);
  await first.start();
  const id = await first.startNew('Resumable', { input: { key: 'ev', waitMs: 0, useEvent: true } });
  await waitFor(() => calls.get('SayHello:ev-before') === 1);
  await first.stop();

  const second = engineOn(dir);
  await second.start();
  expect((await second.getStatus(id))?.runtimeStatus).toBe('Running');
  await second.raiseEvent(id, 'Resume', 'go on');
  const status = await second.waitForCompletion(id, 10_000);
  expect(status.output).toEqual(['Hello ev-before', 'go on', 'Hello ev-after']);
  expect(calls.get('SayHello:ev-before')).toBe(1);
  expect(calls.get('SayHello:ev-after')).toBe(1);
});

it('keeps a durable timer across a restart and fires it at its FireAt', async () => {
  const dir = temporaryStateDir('resume-timer');
  const first = engineOn(dir);
  await first.start();
  const startedAt = Date.now();
  const id = await first.startNew('Resumable', { input: { key: 'tm', waitMs: 400, useEvent: false } });
  await waitFor(async () => (await first.getStatus(id, { showHistory: true }))?.historyEvents?.some((e) => e.EventType === 'TimerCreated') === true);
  await first.stop();

  const second = engineOn(dir);
  await second.start();
  const status = await second.waitForCompletion(id, 10_000);
  expect(Date.now() - startedAt).toBeGreaterThanOrEqual(390);
  expect(status.output).toEqual(['Hello tm-before', 'timer', 'Hello tm-after']);
  expect(calls.get('SayHello:tm-before')).toBe(1);
  expect(calls.get('SayHello:tm-after')).toBe(1);
});

it('runs an activity again when the engine stopped while it was in flight', async () => {
  const dir = temporaryStateDir('resume-inflight');
  const first = engineOn(dir, { stopGraceMs: 20 });
  await first.start();
  const id = await first.startNew('GatedActivity', { input: 'g1' });
  await waitFor(() => gates.has('g1'));
  await first.stop();
  gates.get('g1')?.(); // the first run finishes after its engine stopped: its result is not recorded
  gates.delete('g1');

  const second = engineOn(dir);
  await second.start();
  await waitFor(() => gates.has('g1'));
  gates.get('g1')?.();
  const status = await second.waitForCompletion(id, 10_000);
  expect(status.output).toBe('released g1');
  expect(calls.get('Gated:g1')).toBe(2);
});

it('keeps finished instances, their history and custom status across restarts and compactions', async () => {
  const dir = temporaryStateDir('compaction');
  const first = engineOn(dir, { compactAfterBytes: 2048 });
  await first.start();
  const done = await first.startNew('Sequence', { input: ['a', 'b', 'c', 'd'] });
  await first.waitForCompletion(done, 10_000);
  const waiting = await first.startNew('CustomStatus', {});
  await waitFor(async () => (await first.getStatus(waiting))?.customStatus !== null);
  const before = await first.getStatus(done, { showHistory: true, showHistoryOutput: true });
  await first.stop();
  expect(fs.statSync(path.join(dir, 'journal.ndjson')).size).toBeLessThan(64 * 1024);

  const second = engineOn(dir);
  await second.start();
  expect(await second.getStatus(done, { showHistory: true, showHistoryOutput: true })).toEqual(before);
  expect((await second.getStatus(waiting))?.customStatus).toEqual({ step: 'waiting for Next' });
  await second.raiseEvent(waiting, 'Next', 1);
  expect((await second.waitForCompletion(waiting, 10_000)).output).toBe('finished');
});

it('ignores a torn last journal line (killed mid-write)', async () => {
  const dir = temporaryStateDir('torn');
  const first = engineOn(dir);
  await first.start();
  const id = await first.startNew('Sequence', { input: ['x'] });
  await first.waitForCompletion(id, 10_000);
  await first.stop();
  fs.appendFileSync(path.join(dir, 'journal.ndjson'), '{"op":"arrive","id":"');

  const second = engineOn(dir);
  await second.start();
  expect((await second.getStatus(id))?.output).toEqual(['Hello x']);
  const another = await second.startNew('Sequence', { input: ['y'] });
  expect((await second.waitForCompletion(another, 10_000)).output).toEqual(['Hello y']);
});
