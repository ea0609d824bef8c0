/**
 * What an orchestrator holds while it runs its steps: `run.step`, `run.all` (independent steps, one
 * activity each), `run.together` (independent steps in one activity) and `run.manual` (a person does
 * it, a check confirms it). Transient failures come back from the activity as values with SAP's
 * Retry-After, and are retried here on durable timers.
 * Orchestrator-only: no I/O, replay-safe clock.
 */
import type { OrchestrationContext, Task } from 'durable-functions';
import { activityName, togetherActivityName } from './activityName';
import type { AnyStep, StepCall } from './defineStep';
import { fanOut, type FanOutOptions } from './fanOut';
import { transientFix } from './stepFailureOf';
import type { RunMode, StepEnvelope, StepResult } from './stepActivity';
import type { StepsTogetherEnvelope } from './stepsTogether';
import type { StepFailure } from './stepOutcome';
import { stepProgress, type StepProgressReporter } from './stepProgress';
import type { ManualAction } from './workflowStatus';

/** Ten attempts, 1 s doubling to 15 s (about 1.5 minutes), unless SAP asks for longer with Retry-After. */
export const RETRY = { attempts: 10, firstDelayMs: 1000, maxDelayMs: 15_000 } as const;

export const retryDelayMs = (attempt: number, retryAfterMs?: number) =>
  Math.max(retryAfterMs ?? 0, Math.min(RETRY.maxDelayMs, RETRY.firstDelayMs * 2 ** (attempt - 1)));

/** The longest durable timer the kit creates: the extension's maximumShortTimerDuration. */
const MAX_TIMER_MS = 6 * 86_400_000;

export const manualStepEventName = (step: string) => `manualStep:${step}`;
export { activityName };

export interface ManualStepOptions<O> {
  /** What the person must do; `deadline` is when the run gives up. */
  action(deadline: Date): ManualAction;
  /** undefined when the check finds the work done; otherwise what it still finds wrong. */
  pending(output: O): string | undefined;
  deadlineDays: number;
  /** What to do when the deadline passed, in the administrator's words. */
  deadlineFix?: string;
}

type Outputs<T extends readonly StepCall<unknown>[]> = { -readonly [K in keyof T]: T[K] extends StepCall<infer O> ? O : never };

export interface WorkflowRun {
  readonly mode: RunMode;
  readonly id: string;
  now(): Date;
  step<O>(call: StepCall<O>): Generator<Task, O, unknown>;
  /** Independent steps side by side, each in its own activity (and activity slot): for many calls of one step, such as batches. */
  all<T extends readonly StepCall<unknown>[]>(...calls: T): Generator<Task, Outputs<T>, unknown>;
  /**
   * Independent steps side by side in ONE activity, holding one activity slot: for a few different
   * steps of one run. Each is still reported, and retried on its own activity, as itself.
   */
  together<T extends readonly StepCall<unknown>[]>(...calls: T): Generator<Task, Outputs<T>, unknown>;
  /** The step's automated pass left work for a person: pause, and re-run the step as the check on each confirmation. */
  manual<O>(call: StepCall<O>, firstPass: O, options: ManualStepOptions<O>): Generator<Task, O, unknown>;
  fail(stepId: string, failure: Omit<StepFailure, 'step'>): never;
  /** A durable timer until `at` (nothing when it has passed): pacing between calls, survives restarts. */
  waitUntil(at: Date): Generator<Task, void, unknown>;
  /**
   * One child orchestration per input (a child workflow, childWorkflow.ts), at most
   * `concurrency` at once; the results in input order. Batch the items first (fanOut.ts evenBatches).
   */
  children<In, Res>(child: { name: string; idPrefix: string; orchestrate(run: WorkflowRun, input: In): Generator<Task, Res, unknown> }, inputs: readonly In[], options: FanOutOptions): Generator<Task, Res[], unknown>;
  progress: StepProgressReporter;
  /** A durable pause (e.g. before retrying what did not decide). */
  sleep(ms: number): Generator<Task, void, unknown>;
  /**
   * Waits for the external event `name` until `deadline`, on timers of at most 6 days each (see manual):
   * the event's payload, or undefined when the deadline came first.
   */
  eventOrDeadline(name: string, deadline: Date): Generator<Task, { payload: unknown } | undefined, unknown>;
}

export function workflowRun(context: OrchestrationContext, workflowName: string, steps: readonly AnyStep[], mode: RunMode, subject: Record<string, string> = {}): WorkflowRun {
  const progress = stepProgress(context, steps, mode, subject);
  const now = () => context.df.currentUtcDateTime;
  const schedule = (call: StepCall<unknown>): Task =>
    context.df.callActivity(activityName(workflowName, call.step.id), { mode, runId: context.df.instanceId, input: call.input } satisfies StepEnvelope);

  function* settle<O>(call: StepCall<O>, first: Task, firstAttempt = 1): Generator<Task, StepResult<O>, unknown> {
    let task = first;
    for (let attempt = firstAttempt; ; attempt++) {
      const result = yield* outcomeOf<O>(call, task);
      if (result.ok || !result.transient || attempt >= RETRY.attempts) return exhausted(result, attempt);
      yield* backOff(call, result, attempt);
      task = schedule(call);
    }
  }

  function* backOff(call: StepCall<unknown>, result: Extract<StepResult<unknown>, { ok: false }>, attempt: number): Generator<Task, void, unknown> {
    const delay = retryDelayMs(attempt, result.retryAfterMs);
    progress.note(call.step.id, `${call.step.title}: ${result.failure.message}; retrying in ${Math.round(delay / 1000)} s (attempt ${attempt + 1} of ${RETRY.attempts})`);
    yield context.df.createTimer(new Date(now().getTime() + delay));
  }

  function* outcomeOf<O>(call: StepCall<O>, task: Task): Generator<Task, StepResult<O>, unknown> {
    try {
      return (yield task) as StepResult<O>;
    } catch (e) {
      return hostFailure(call, e);
    }
  }

  /** A run started before its workflow used `run.together` replays one activity's answer where a group's is due. */
  function replayedFromEarlierVersion<O>(call: StepCall<O>): StepResult<O> {
    return {
      ok: false,
      transient: false,
      failure: {
        step: call.step.id,
        system: call.step.system(call.input),
        kind: 'Internal',
        message: 'this run was started by an earlier version of the app, which ran this step in an activity of its own; the new version cannot continue its history',
        fix: 'Start the run again with the same request: every step reads what is there first, so it keeps what the earlier run did.',
      },
    };
  }

  /** Activities return every failure as a value; a thrown one means the host could not run the activity at all. */
  function hostFailure<O>(call: StepCall<O>, e: unknown): StepResult<O> {
    const message = e instanceof Error ? e.message.split('\n')[0] : String(e);
    return { ok: false, transient: false, failure: { step: call.step.id, system: call.step.id, kind: 'Internal', message, fix: 'This is a defect in the product or its host; report it with the run id.' } };
  }

  function exhausted<O>(result: StepResult<O>, attempts: number): StepResult<O> {
    if (result.ok || !result.transient) return result;
    const failure = result.failure;
    return { ...result, failure: { ...failure, message: `still failing after ${attempts} attempts: ${failure.message}`, fix: transientFix(failure.system) } };
  }

  function* local<O>(call: StepCall<O>): Generator<Task, O, unknown> {
    const step = call.step;
    if (step.kind !== 'derive') throw new Error(`step ${step.id} is not derived`);
    progress.begin(step.id);
    const report = step.derive(step.input.parse(call.input));
    progress.finish(step.id, { outcome: 'checked', detail: report.detail, warnings: report.warnings });
    return report.output;
  }

  function accept<O>(call: StepCall<O>, result: StepResult<O>): O {
    if (!result.ok) return progress.fail(call.step.id, result.failure);
    progress.finish(call.step.id, result);
    return result.output;
  }

  /** Begins the steps, gets each remote one's first result from `firsts`, retries transient failures one by one, and finishes them in order. */
  function* sideBySide<T extends readonly StepCall<unknown>[]>(calls: T, firsts: (remote: StepCall<unknown>[]) => Generator<Task, StepResult<unknown>[], unknown>): Generator<Task, Outputs<T>, unknown> {
    const remote = calls.filter((c) => c.step.kind !== 'derive');
    remote.forEach((c) => progress.begin(c.step.id));
    const results = yield* firsts(remote);
    const outputs: unknown[] = [];
    for (const call of calls) {
      if (call.step.kind === 'derive') {
        outputs.push(yield* local(call));
        continue;
      }
      let result = results[remote.indexOf(call)];
      if (!result.ok && result.transient) {
        yield* backOff(call, result, 1);
        result = yield* settle(call, schedule(call), 2);
      }
      outputs.push(accept(call, result));
    }
    return outputs as Outputs<T>;
  }

  const run: WorkflowRun = {
    mode,
    id: context.df.instanceId,
    now,
    progress,

    *step<O>(call: StepCall<O>) {
      if (call.step.kind === 'derive') return yield* local(call);
      progress.begin(call.step.id);
      return accept(call, yield* settle(call, schedule(call)));
    },

    *all<T extends readonly StepCall<unknown>[]>(...calls: T) {
      return yield* sideBySide(calls, function* (remote) {
        const tasks = remote.map(schedule);
        return tasks.length ? ((yield context.df.Task.all(tasks)) as StepResult<unknown>[]) : [];
      });
    },

    *together<T extends readonly StepCall<unknown>[]>(...calls: T) {
      return yield* sideBySide(calls, function* (remote) {
        if (remote.length < 2) return remote.length ? [(yield* outcomeOf(remote[0], schedule(remote[0])))] : [];
        const envelope: StepsTogetherEnvelope = { mode, runId: context.df.instanceId, steps: remote.map((c) => ({ step: c.step.id, input: c.input })) };
        try {
          const results = yield context.df.callActivity(togetherActivityName(workflowName), envelope);
          return Array.isArray(results) && results.length === remote.length ? (results as StepResult<unknown>[]) : remote.map(replayedFromEarlierVersion);
        } catch (e) {
          // The group activity could not run at all: the same defect for each of its steps.
          return remote.map((call) => hostFailure(call, e));
        }
      });
    },

    *manual<O>(call: StepCall<O>, firstPass: O, options: ManualStepOptions<O>) {
      const stepId = call.step.id;
      const deadline = new Date(now().getTime() + options.deadlineDays * 86_400_000);
      const action = options.action(deadline);
      if (mode === 'plan') {
        progress.warn(stepId, `a person will do this by hand: ${action.title}`);
        return firstPass;
      }
      let lastVerification = options.pending(firstPass);
      let confirmed = false;
      for (;;) {
        // Shown only once a confirmation was checked (the ManualAction contract); the deadline message also tells the first pass's finding.
        progress.waitFor(stepId, { ...action, ...(confirmed && lastVerification ? { lastVerification } : {}) });
        const confirmation = context.df.waitForExternalEvent(manualStepEventName(stepId));
        // Never a timer over 6 days: the SDK turns those into chained segments, and cancelling one after a
        // segment fired breaks the replay on Azure (devhost's long-timer tests). A new timer each round:
        // a task may be yielded only once.
        const roundEnd = new Date(Math.min(deadline.getTime(), now().getTime() + MAX_TIMER_MS));
        const timer = context.df.createTimer(roundEnd);
        const winner = (yield context.df.Task.any([confirmation, timer])) as Task;
        if (winner === timer && roundEnd.getTime() < deadline.getTime()) continue;
        if (winner === timer) {
          return progress.fail(stepId, {
            step: stepId,
            system: call.step.system(call.input),
            kind: 'ManualStepDeadline',
            message: `nobody finished the manual step "${action.title}" before the deadline ${deadline.toISOString()}${lastVerification ? `; the last check found: ${lastVerification}` : ''}`,
            fix: options.deadlineFix ?? `Do the manual step as its instructions say, then start the run again.`,
          });
        }
        timer.cancel();
        confirmed = true;
        progress.resumed(stepId, `Checking the manual step: ${action.title}…`);
        const result = yield* settle(call, schedule(call));
        if (!result.ok) return progress.fail(stepId, result.failure);
        const pending = options.pending(result.output);
        if (pending === undefined) {
          progress.finish(stepId, { ...result, outcome: 'done by hand', detail: `checked at ${now().toISOString()}` });
          return result.output;
        }
        lastVerification = `Checked at ${now().toISOString()}: ${pending}`;
      }
    },

    *waitUntil(at: Date) {
      if (at.getTime() > now().getTime()) yield context.df.createTimer(at);
    },

    fail(stepId: string, failure: Omit<StepFailure, 'step'>): never {
      return progress.fail(stepId, { step: stepId, ...failure });
    },

    *sleep(ms: number) {
      yield context.df.createTimer(new Date(now().getTime() + ms));
    },

    *eventOrDeadline(name: string, deadline: Date) {
      for (;;) {
        if (now().getTime() >= deadline.getTime()) return undefined;
        // A new wait and a new timer each round: a task may be yielded only once.
        const event = context.df.waitForExternalEvent(name);
        const timer = context.df.createTimer(new Date(Math.min(deadline.getTime(), now().getTime() + MAX_TIMER_MS)));
        const winner = (yield context.df.Task.any([event, timer])) as Task;
        if (winner === event) {
          timer.cancel();
          return { payload: event.result };
        }
      }
    },

    children(child, inputs, options) {
      return fanOut(context, child, mode, inputs, options);
    },
  };
  return run;
}
