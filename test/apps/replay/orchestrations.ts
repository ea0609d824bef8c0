import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';

function fast(first: number, attempts: number, backoff?: number): df.RetryOptions {
  const options = new df.RetryOptions(first, attempts);
  if (backoff !== undefined) options.backoffCoefficient = backoff;
  return options;
}

df.app.orchestration('Sequence', function* (context: OrchestrationContext) {
  const names = context.df.getInput() as string[];
  const greetings: string[] = [];
  for (const name of names) greetings.push(yield context.df.callActivity('SayHello', name));
  return greetings;
});

df.app.orchestration('CatchFailure', function* (context: OrchestrationContext) {
  try {
    yield context.df.callActivity('Fail', 'boom');
    return 'not reached';
  } catch (error) {
    return `caught: ${(error as Error).message.split('\n')[0]}`;
  }
});

df.app.orchestration('Uncaught', function* (context: OrchestrationContext) {
  yield context.df.callActivity('Fail', 'kaput');
  return 'not reached';
});

df.app.orchestration('RetryFlaky', function* (context: OrchestrationContext) {
  const input = context.df.getInput() as {
    key: string;
    succeedOnAttempt: number;
    attempts: number;
    first: number;
    backoff?: number;
    timeout?: number;
  };
  const options = fast(input.first, input.attempts, input.backoff);
  if (input.timeout !== undefined) options.retryTimeoutInMilliseconds = input.timeout;
  try {
    return yield context.df.callActivityWithRetry('Flaky', options, input);
  } catch (error) {
    return `gave up: ${(error as Error).message.split('\n')[0]}`;
  }
});

df.app.orchestration('ShortTimer', function* (context: OrchestrationContext) {
  const ms = context.df.getInput() as number;
  yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + ms));
  return 'fired';
});

/** Approval with a deadline: whichever comes first wins; the losing timer is cancelled. */
df.app.orchestration('ApprovalRace', function* (context: OrchestrationContext) {
  const timeoutMs = context.df.getInput() as number;
  const deadline = context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + timeoutMs));
  const approval = context.df.waitForExternalEvent('Approve');
  const winner = yield context.df.Task.any([deadline, approval]);
  if (winner === approval) {
    deadline.cancel();
    const after = yield context.df.callActivity('SayHello', 'after-approval');
    return `approved by ${String(approval.result)}; ${after}`;
  }
  return 'timed out';
});

df.app.orchestration('Child', function* (context: OrchestrationContext) {
  const name = context.df.getInput() as string;
  const greeting: string = yield context.df.callActivity('SayHello', name);
  return { greeting, childId: context.df.instanceId, parent: context.df.parentInstanceId };
});

df.app.orchestration('FailingChild', function* (context: OrchestrationContext) {
  const input = context.df.getInput() as { key: string; succeedOnAttempt: number };
  return yield context.df.callActivity('Flaky', input);
});

df.app.orchestration('Parent', function* (context: OrchestrationContext) {
  const first = yield context.df.callSubOrchestrator('Child', 'sub-default');
  const second = yield context.df.callSubOrchestrator('Child', 'sub-explicit', `${context.df.instanceId}-kid`);
  return [first, second];
});

df.app.orchestration('ParentRetry', function* (context: OrchestrationContext) {
  const input = context.df.getInput() as { key: string; succeedOnAttempt: number; attempts: number };
  try {
    return yield context.df.callSubOrchestratorWithRetry('FailingChild', fast(20, input.attempts), input);
  } catch (error) {
    return `child gave up: ${(error as Error).message.split('\n')[0]}`;
  }
});

/** Events raised before the orchestrator waits for them are kept (DTFx buffering). */
df.app.orchestration('BufferedEvents', function* (context: OrchestrationContext) {
  const go = yield context.df.waitForExternalEvent('Go');
  const first = yield context.df.waitForExternalEvent('First');
  const second = yield context.df.waitForExternalEvent('Second');
  return [go, first, second];
});

df.app.orchestration('FanOut', function* (context: OrchestrationContext) {
  const n = context.df.getInput() as number;
  const tasks = [];
  for (let i = 0; i < n; i++) tasks.push(context.df.callActivity('Square', i));
  const squares: number[] = yield context.df.Task.all(tasks);
  return squares.reduce((a, b) => a + b, 0);
});

df.app.orchestration('FanOutNoop', function* (context: OrchestrationContext) {
  const n = context.df.getInput() as number;
  const tasks = [];
  for (let i = 0; i < n; i++) tasks.push(context.df.callActivity('Noop'));
  yield context.df.Task.all(tasks);
  return n;
});

df.app.orchestration('SequenceNoop', function* (context: OrchestrationContext) {
  const n = context.df.getInput() as number;
  for (let i = 0; i < n; i++) yield context.df.callActivity('Noop');
  return n;
});

/**
 * Retried calls and plain calls completing in the same episode, with user code scheduling new work in
 * between: the sequence ids the engine allocates must match the SDK's or results land on the wrong tasks.
 */
df.app.orchestration('RetryMix', function* (context: OrchestrationContext) {
  const key = context.df.getInput() as string;
  const results: unknown[] = [];
  for (let round = 1; round <= 3; round++) {
    // The retried call fails while the plain one completes: both land in one episode when batching.
    const retried = context.df.callActivityWithRetry('Flaky', fast(5, 4), { key: `${key}-${round}`, succeedOnAttempt: round + 1 });
    const plain = context.df.callActivity('Square', round);
    yield context.df.Task.any([retried, plain]);
    results.push(plain.result);
    results.push(yield context.df.callActivity('Square', round * 10)); // scheduled by resumed user code
    results.push(yield retried);
  }
  const fanOut = [2, 3, 4].map((i) =>
    context.df.callActivityWithRetry('Flaky', fast(5, 4), { key: `${key}-fan-${i}`, succeedOnAttempt: i }),
  );
  results.push(yield context.df.Task.all([...fanOut, context.df.callActivity('Square', 7)]));
  results.push(yield context.df.callActivity('Square', 11));
  return results;
});

df.app.orchestration('Counter', function* (context: OrchestrationContext) {
  const input = context.df.getInput() as { n: number; until: number };
  yield context.df.callActivity('SayHello', `generation-${input.n}`);
  if (input.n < input.until) {
    context.df.continueAsNew({ n: input.n + 1, until: input.until });
    return undefined;
  }
  return `stopped at ${input.n}`;
});

df.app.orchestration('CustomStatus', function* (context: OrchestrationContext) {
  context.df.setCustomStatus({ step: 'waiting for Next' });
  const next = yield context.df.waitForExternalEvent('Next');
  context.df.setCustomStatus({ step: 'done', next });
  return 'finished';
});

df.app.orchestration('WaitForever', function* (context: OrchestrationContext) {
  yield context.df.waitForExternalEvent('Never');
  return 'never';
});

/** Takes a different path on every replay: the non-determinism check must catch it. */
let nonDeterministicRuns = 0;
df.app.orchestration('NonDeterministic', function* (context: OrchestrationContext) {
  nonDeterministicRuns++;
  const activity = nonDeterministicRuns % 2 === 1 ? 'SayHello' : 'Square';
  yield context.df.callActivity(activity, 1);
  yield context.df.callActivity('Square', 2);
  return 'done';
});

df.app.orchestration('CallsHttp', function* (context: OrchestrationContext) {
  yield context.df.callHttp({ method: 'GET', url: 'https://example.org/' });
  return 'not reached';
});

/** activity → (event or long timer) → activity; used to stop an engine in the middle. */
df.app.orchestration('Resumable', function* (context: OrchestrationContext) {
  const input = context.df.getInput() as { key: string; waitMs: number; useEvent: boolean };
  const before = yield context.df.callActivity('SayHello', `${input.key}-before`);
  let middle: unknown = 'timer';
  if (input.useEvent) middle = yield context.df.waitForExternalEvent('Resume');
  else yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + input.waitMs));
  const after = yield context.df.callActivity('SayHello', `${input.key}-after`);
  return [before, middle, after];
});

df.app.orchestration('GatedActivity', function* (context: OrchestrationContext) {
  return yield context.df.callActivity('Gated', context.df.getInput() as string);
});

df.app.orchestration('RoundTrip', function* (context: OrchestrationContext) {
  const echoed = yield context.df.callActivity('Echo', { when: new Date(0), text: '123', missing: undefined });
  const asString = yield context.df.callActivity('Echo', '123');
  return { echoed, asString, input: context.df.getInput() };
});


df.app.orchestration('SlowMiddle', function* (context: OrchestrationContext) {
  const key = context.df.getInput() as string;
  const before = yield context.df.callActivity('SayHello', `${key}-before`);
  const middle = yield context.df.callActivity('Sleep', { key, ms: 1500 });
  const after = yield context.df.callActivity('SayHello', `${key}-after`);
  return [before, middle, after];
});

/** After the approval wins, the cancelled deadline must never fire. */
df.app.orchestration('CancelThenWait', function* (context: OrchestrationContext) {
  const deadline = context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 150));
  const approval = context.df.waitForExternalEvent('Approve');
  yield context.df.Task.any([deadline, approval]);
  deadline.cancel();
  yield context.df.waitForExternalEvent('Finish');
  return 'finished';
});

/** Yields an already-yielded task again inside Task.all: the real host would schedule it twice. */
df.app.orchestration('RepeatedTask', function* (context: OrchestrationContext) {
  const first = context.df.callActivity('Square', 2);
  yield first;
  yield context.df.Task.all([first, context.df.callActivity('Square', 3)]);
  return 'not reached';
});

df.app.orchestration('SignalsEntity', function* (context: OrchestrationContext) {
  context.df.signalEntity(new df.EntityId('counter', 'one'), 'add', 1);
  yield context.df.callActivity('Square', 1);
  return 'not reached';
});
