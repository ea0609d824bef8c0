/**
 * Timers over 6 days on the engine alone, with an adjustable clock: the segment chain, and what a restart of
 * devhost keeps of it (segments, a cancelled segment, the SDK's extra sequence id).
 */
import { adjustableClock, type DevhostClock } from '../../devhost/devhostClock';
import { createDurableEngine } from '../../devhost/engine';
import type { DurableEngine, InstanceStatus } from '../../devhost/engineContract';
import { loadReplayApp, temporaryStateDir } from './support/replayApp';

const DAY_MS = 86_400_000;
const registry = loadReplayApp();
let stateDir: string;
let clock: DevhostClock;
let engine: DurableEngine;

async function startEngine(): Promise<void> {
  engine = createDurableEngine({ registry, stateDir, clock });
  await engine.start();
}

beforeEach(async () => {
  stateDir = temporaryStateDir('long-timers');
  clock = adjustableClock();
  await startEngine();
});
afterEach(() => engine.stop());

async function restart(): Promise<void> {
  await engine.stop();
  await startEngine();
}

async function history(id: string): Promise<NonNullable<InstanceStatus['historyEvents']>> {
  return (await engine.getStatus(id, { showHistory: true }))?.historyEvents ?? [];
}

async function untilHistoryHas(id: string, type: string, n: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await history(id)).filter((e) => e.EventType === type).length < n) {
    if (Date.now() > deadline) throw new Error(`no ${n} ${type} in ${id}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

it('carries a 7-day timer across a restart in the middle of its segments; a late segment ends the chain', async () => {
  const id = await engine.startNew('ManualStepDeadline', { input: { deadlineDays: 7 } });
  await untilHistoryHas(id, 'TimerCreated', 1);
  clock.advance(3 * DAY_MS);
  await untilHistoryHas(id, 'TimerCreated', 2);
  await restart();
  clock.advance(4 * DAY_MS); // the day-6 segment fires on day 7: past the final time, so no third segment
  const done = await engine.waitForCompletion(id, 10_000);
  expect(done.output).toMatchObject({ outcome: 'deadline', rounds: 1 });
  expect((await history(id)).filter((e) => e.EventType === 'TimerFired')).toHaveLength(2);
});

it('still delivers a cancelled segment after a restart and then stops the next task', async () => {
  const id = await engine.startNew('ManualStepDeadline', { input: { deadlineDays: 7 } });
  await untilHistoryHas(id, 'TimerCreated', 1);
  clock.advance(DAY_MS);
  await engine.raiseEvent(id, 'confirmation', 'not yet');
  await untilHistoryHas(id, 'TimerCreated', 2); // round 2: under 6 days left, a single timer
  await restart();
  clock.advance(2.5 * DAY_MS);
  await untilHistoryHas(id, 'TimerFired', 1);
  await restart(); // the SDK's extra id is part of the durable state
  await engine.raiseEvent(id, 'confirmation', 'uploaded');
  const done = await engine.waitForCompletion(id, 10_000);
  expect(done.runtimeStatus).toBe('Failed');
  expect(done.output).toMatch(/takes a sequence id for the timer's next segment/);
});

it('keeps a timer of exactly 6 days a single timer, as the extension does', async () => {
  const id = await engine.startNew('DeadlineInRounds', { input: { deadlineDays: 6 } });
  await untilHistoryHas(id, 'TimerCreated', 1);
  clock.advance(6 * DAY_MS);
  const done = await engine.waitForCompletion(id, 10_000);
  expect(done.output).toMatchObject({ outcome: 'deadline', rounds: 1 });
  expect((await history(id)).filter((e) => e.EventType === 'TimerCreated')).toHaveLength(1);
});
