import { createDurableEngine } from '../../devhost/engine';
import {
  InstanceAlreadyRunningError,
  InstanceNotFoundError,
  InstanceNotRunningError,
  UnknownOrchestratorError,
  type DurableEngine,
} from '../../devhost/engineContract';
import { attemptTimes, calls, resetCounters } from '../apps/replay/counters';
import { loadReplayApp, temporaryStateDir } from './support/replayApp';

const registry = loadReplayApp();
let engine: DurableEngine;

beforeEach(async () => {
  resetCounters();
  engine = createDurableEngine({ registry, stateDir: temporaryStateDir('features') });
  await engine.start();
});
afterEach(() => engine.stop());

async function run(name: string, input?: unknown, instanceId?: string) {
  const id = await engine.startNew(name, { input, instanceId });
  return engine.waitForCompletion(id, 15_000);
}

describe('activity retry', () => {
  it('retries with the DTFx backoff until an attempt succeeds', async () => {
    const status = await run('RetryFlaky', { key: 'r1', succeedOnAttempt: 3, attempts: 5, first: 40, backoff: 2 });
    expect(status.output).toBe('r1 ok on attempt 3');
    expect(calls.get('Flaky:r1')).toBe(3);
    const [a1, a2, a3] = attemptTimes.get('Flaky:r1') as number[];
    expect(a2 - a1).toBeGreaterThanOrEqual(38); // first retry interval
    expect(a3 - a2).toBeGreaterThanOrEqual(78); // × backoffCoefficient 2
  });

  it('surfaces the last error to the orchestrator after maxNumberOfAttempts', async () => {
    const status = await run('RetryFlaky', { key: 'r2', succeedOnAttempt: 0, attempts: 3, first: 5 });
    expect(calls.get('Flaky:r2')).toBe(3);
    expect(status.output).toBe("gave up: Activity function 'Flaky' failed: attempt 3 of r2 failed ");
  });

  it('fails the instance loudly when retryTimeoutInMilliseconds expires (Azure would hang)', async () => {
    const status = await run('RetryFlaky', { key: 'r4', succeedOnAttempt: 0, attempts: 5, first: 50, timeout: 30 });
    expect(calls.get('Flaky:r4')).toBe(2);
    expect(status.runtimeStatus).toBe('Failed');
    expect(status.output).toMatch(/retryTimeoutInMilliseconds \(30 ms\) of 'Flaky' expired after attempt 2/);
  });

  it('records a retry timer after every failed attempt, as DTFx does', async () => {
    const id = await engine.startNew('RetryFlaky', { input: { key: 'r3', succeedOnAttempt: 0, attempts: 2, first: 5 } });
    await engine.waitForCompletion(id, 10_000);
    const status = await engine.getStatus(id, { showHistory: true });
    const kinds = (status?.historyEvents ?? []).map((e) => e.EventType);
    expect(kinds).toEqual([
      'ExecutionStarted',
      'TaskFailed',
      'TimerCreated',
      'TimerFired',
      'TaskFailed',
      'TimerCreated',
      'TimerFired',
      'ExecutionCompleted',
    ]);
  });
});

describe('timers', () => {
  it('fires a durable timer', async () => {
    const started = Date.now();
    const status = await run('ShortTimer', 60);
    expect(status.output).toBe('fired');
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('lets an event win a race against a timer and cancels the timer', async () => {
    const id = await engine.startNew('ApprovalRace', { input: 60_000 });
    await engine.raiseEvent(id, 'Approve', 'alice');
    const status = await engine.waitForCompletion(id, 10_000);
    expect(status.output).toBe('approved by alice; Hello after-approval');
  });

  it('never fires a timer the orchestrator cancelled', async () => {
    const id = await engine.startNew('CancelThenWait', {});
    const timerCreated = async () =>
      ((await engine.getStatus(id, { showHistory: true }))?.historyEvents ?? []).some((e) => e.EventType === 'TimerCreated');
    await waitFor(timerCreated); // the timer is armed before the approval arrives
    await engine.raiseEvent(id, 'Approve', true);
    await new Promise((resolve) => setTimeout(resolve, 300)); // past the cancelled timer's FireAt
    await engine.raiseEvent(id, 'Finish', true);
    const status = await engine.waitForCompletion(id, 10_000);
    expect(status.output).toBe('finished');
    const history = (await engine.getStatus(id, { showHistory: true }))?.historyEvents ?? [];
    expect(history.filter((e) => e.EventType === 'TimerCreated')).toHaveLength(1);
    expect(history.filter((e) => e.EventType === 'TimerFired')).toHaveLength(0);
  });

  it('lets the timer win when no event comes', async () => {
    const status = await run('ApprovalRace', 30);
    expect(status.output).toBe('timed out');
  });
});

describe('sub-orchestrations', () => {
  it('runs children with derived and explicit instance ids', async () => {
    const status = await run('Parent', undefined, 'family');
    const [first, second] = status.output as Array<{ greeting: string; childId: string; parent: string }>;
    expect(first.greeting).toBe('Hello sub-default');
    expect(first.childId).toMatch(/^[0-9a-f]{32}:0$/);
    expect(first.parent).toBe('family');
    expect(second).toEqual({ greeting: 'Hello sub-explicit', childId: 'family-kid', parent: 'family' });
    expect((await engine.getStatus('family-kid'))?.runtimeStatus).toBe('Completed');
  });

  it('retries a failing sub-orchestration', async () => {
    const status = await run('ParentRetry', { key: 'c1', succeedOnAttempt: 2, attempts: 3 });
    expect(status.output).toBe('c1 ok on attempt 2');
    expect(calls.get('Flaky:c1')).toBe(2);
  });

  it('reports the child failure after the last attempt', async () => {
    const status = await run('ParentRetry', { key: 'c2', succeedOnAttempt: 0, attempts: 2 });
    expect(calls.get('Flaky:c2')).toBe(2);
    expect(status.output).toMatch(/^child gave up: Orchestrator function 'FailingChild' failed: Activity function 'Flaky' failed: attempt 2 of c2/);
  });
});

describe('external events', () => {
  it('keeps events raised before the orchestrator waits for them', async () => {
    const id = await engine.startNew('BufferedEvents', {});
    await engine.raiseEvent(id, 'Second', 2);
    await engine.raiseEvent(id, 'First', 1);
    await engine.raiseEvent(id, 'Go', 'go');
    const status = await engine.waitForCompletion(id, 10_000);
    expect(status.output).toEqual(['go', 1, 2]);
  });

  it('distinguishes an unknown instance from an ended one', async () => {
    await expect(engine.raiseEvent('nobody', 'X', 1)).rejects.toBeInstanceOf(InstanceNotFoundError);
    const done = await run('ShortTimer', 1);
    await expect(engine.raiseEvent(done.instanceId, 'X', 1)).rejects.toBeInstanceOf(InstanceNotRunningError);
  });
});

describe('lifecycle', () => {
  it('continues as new with the new input until done', async () => {
    const status = await run('Counter', { n: 1, until: 3 });
    expect(status.output).toBe('stopped at 3');
    expect(status.input).toEqual({ n: 3, until: 3 });
    expect(['generation-1', 'generation-2', 'generation-3'].map((g) => calls.get(`SayHello:${g}`))).toEqual([1, 1, 1]);
  });

  it('shows the custom status while the instance runs', async () => {
    const id = await engine.startNew('CustomStatus', {});
    await waitFor(async () => (await engine.getStatus(id))?.customStatus !== null);
    expect((await engine.getStatus(id))?.customStatus).toEqual({ step: 'waiting for Next' });
    await engine.raiseEvent(id, 'Next', 'n');
    const status = await engine.waitForCompletion(id, 10_000);
    expect(status.customStatus).toEqual({ step: 'done', next: 'n' });
  });

  it('terminates a running instance and refuses a second terminate', async () => {
    const id = await engine.startNew('WaitForever', {});
    await engine.terminate(id, 'operator said stop');
    const status = await engine.waitForCompletion(id, 1000);
    expect(status.runtimeStatus).toBe('Terminated');
    expect(status.output).toBe('operator said stop');
    await expect(engine.terminate(id, 'again')).rejects.toBeInstanceOf(InstanceNotRunningError);
  });

  it('refuses to start an id that is still running but replaces an ended one', async () => {
    await engine.startNew('WaitForever', { instanceId: 'singleton' });
    await expect(engine.startNew('WaitForever', { instanceId: 'singleton' })).rejects.toBeInstanceOf(InstanceAlreadyRunningError);
    await engine.terminate('singleton', 'done');
    await engine.startNew('Sequence', { instanceId: 'singleton', input: ['again'] });
    const status = await engine.waitForCompletion('singleton', 10_000);
    expect(status.name).toBe('Sequence');
    expect(status.output).toEqual(['Hello again']);
  });

  it('rejects unknown orchestrators and malformed ids', async () => {
    await expect(engine.startNew('NoSuchThing', {})).rejects.toBeInstanceOf(UnknownOrchestratorError);
    await expect(engine.startNew('Sequence', { instanceId: 'a/b', input: [] })).rejects.toThrow(/Invalid instance id/);
  });

  it('fails entity operations with a clear devhost message', async () => {
    const status = await run('SignalsEntity');
    expect(status.runtimeStatus).toBe('Failed');
    expect(status.output).toMatch(/Durable entities \(signalEntity\) are not supported by devhost/);
  });

  it('fails an orchestrator that yields the same task twice inside Task.all', async () => {
    const status = await run('RepeatedTask');
    expect(status.runtimeStatus).toBe('Failed');
    expect(status.output).toMatch(/the same task \(CallActivity 'Square'\) was yielded again inside Task.all\/Task.any/);
  });

  it('fails callHttp with a clear devhost message', async () => {
    const status = await run('CallsHttp');
    expect(status.runtimeStatus).toBe('Failed');
    expect(status.output).toMatch(/callHttp is not supported by devhost/);
  });
});

describe('non-determinism', () => {
  it('fails an orchestrator whose replay schedules a different activity, naming both', async () => {
    const status = await run('NonDeterministic');
    expect(status.runtimeStatus).toBe('Failed');
    expect(status.output).toBe(
      "Orchestrator function 'NonDeterministic' failed: non-deterministic orchestrator 'NonDeterministic': " +
        "at action #0 the replay produced CallActivity 'Square' but history recorded CallActivity 'SayHello'",
    );
  });
});

describe('queries', () => {
  it('lists with filters and pages, purges ended instances', async () => {
    for (let i = 0; i < 5; i++) await run('ShortTimer', 1, `page-${i}`);
    const waiting = await engine.startNew('WaitForever', { instanceId: 'page-running' });
    const first = await engine.list({ instanceIdPrefix: 'page-', runtimeStatus: ['Completed'], top: 2 });
    expect(first.instances.map((s) => s.instanceId)).toEqual(['page-0', 'page-1']);
    const second = await engine.list({ instanceIdPrefix: 'page-', runtimeStatus: ['Completed'], top: 2, continuationToken: first.continuationToken });
    const third = await engine.list({ instanceIdPrefix: 'page-', runtimeStatus: ['Completed'], top: 2, continuationToken: second.continuationToken });
    expect(second.instances.map((s) => s.instanceId)).toEqual(['page-2', 'page-3']);
    expect(third.instances.map((s) => s.instanceId)).toEqual(['page-4']);
    expect(third.continuationToken).toBeUndefined();
    expect((await engine.list({ runtimeStatus: ['Running', 'Pending'] })).instances.map((s) => s.instanceId)).toEqual([waiting]);

    expect(await engine.purge(waiting)).toBe(false);
    expect(await engine.purge('page-0')).toBe(true);
    expect(await engine.getStatus('page-0')).toBeUndefined();
    expect(await engine.purgeMany({ runtimeStatus: ['Completed'] })).toBe(4);
    expect((await engine.list({})).instances.map((s) => s.instanceId)).toEqual([waiting]);
  });

  it('shows input and summarized history only when asked', async () => {
    const status = await run('Sequence', ['Oslo']);
    const hidden = await engine.getStatus(status.instanceId, { showInput: false });
    expect(hidden?.input).toBeNull();
    expect(hidden?.historyEvents).toBeUndefined();
    const full = await engine.getStatus(status.instanceId, { showHistory: true, showHistoryOutput: true });
    expect(full?.input).toEqual(['Oslo']);
    expect(full?.historyEvents).toEqual([
      expect.objectContaining({ EventType: 'ExecutionStarted', FunctionName: 'Sequence' }),
      expect.objectContaining({ EventType: 'TaskCompleted', FunctionName: 'SayHello', Result: 'Hello Oslo' }),
      expect.objectContaining({ EventType: 'ExecutionCompleted', OrchestrationStatus: 'Completed', Result: ['Hello Oslo'] }),
    ]);
    expect(full?.createdTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 5));
  }
}
