import { createDurableEngine } from '../../devhost/engine';
import type { DurableEngine, InvocationLogEntry } from '../../devhost/engineContract';
import { calls, resetCounters } from '../apps/replay/counters';
import { loadReplayApp, temporaryStateDir } from './support/replayApp';

const registry = loadReplayApp();
let engine: DurableEngine;
const logged: InvocationLogEntry[] = [];

beforeEach(async () => {
  resetCounters();
  logged.length = 0;
  engine = createDurableEngine({ registry, stateDir: temporaryStateDir('seq'), logInvocation: (e) => logged.push(e) });
  await engine.start();
});
afterEach(() => engine.stop());

it('runs a sequence of activities and returns their results in order', async () => {
  const id = await engine.startNew('Sequence', { input: ['Tokyo', 'Seattle', 'London'] });
  const status = await engine.waitForCompletion(id, 10_000);
  expect(status.runtimeStatus).toBe('Completed');
  expect(status.output).toEqual(['Hello Tokyo', 'Hello Seattle', 'Hello London']);
  expect(calls.get('SayHello:Tokyo')).toBe(1);
});

it('logs one line per orchestrator episode and per activity invocation', async () => {
  const id = await engine.startNew('Sequence', { input: ['A', 'B'] });
  await engine.waitForCompletion(id, 10_000);
  const activities = logged.filter((e) => e.kind === 'activity');
  const episodes = logged.filter((e) => e.kind === 'orchestrator');
  expect(activities.map((e) => e.function)).toEqual(['SayHello', 'SayHello']);
  expect(episodes).toHaveLength(3);
  expect(episodes.every((e) => e.instanceId === id && e.outcome === 'Succeeded')).toBe(true);
});

it('lets the orchestrator catch a failed activity with the Reason the real host sends', async () => {
  const id = await engine.startNew('CatchFailure', {});
  const status = await engine.waitForCompletion(id, 10_000);
  expect(status.output).toBe("caught: Activity function 'Fail' failed: boom ");
});

it('fails the instance when an activity error escapes the orchestrator', async () => {
  const id = await engine.startNew('Uncaught', {});
  const status = await engine.waitForCompletion(id, 10_000);
  expect(status.runtimeStatus).toBe('Failed');
  expect(String(status.output)).toMatch(/^Orchestrator function 'Uncaught' failed: Activity function 'Fail' failed: kaput/);
  expect(logged.some((e) => e.kind === 'orchestrator' && e.outcome === 'Failed')).toBe(true);
});

it('passes inputs and results through JSON as the worker does', async () => {
  const id = await engine.startNew('RoundTrip', { input: { at: new Date(0) } });
  const status = await engine.waitForCompletion(id, 10_000);
  expect(status.output).toEqual({
    echoed: { received: { when: '1970-01-01T00:00:00.000Z', text: '123' }, type: 'object' },
    asString: { received: '123', type: 'string' },
    input: { at: '1970-01-01T00:00:00.000Z' },
  });
});
