/**
 * Fake onboarding activities for replay tests: each records its call in the run's log and answers with
 * the result the test scripted for that run and step, or with a plausible success. No SAP, no secrets.
 */
import type { StepResult } from '../../../shared/workflow/stepActivity';
import type { StepEnvelope } from '../../../shared/workflow/stepActivity';
import type { StepFailure, StepOutcome } from '../../../shared/workflow/stepOutcome';

export interface FakeCall {
  step: string;
  /** 1 for the first call of this step in this run. */
  attempt: number;
  envelope: StepEnvelope;
}

/** What a fake answers on one call; may wait (to prove steps run together). */
export type Script = (call: FakeCall) => StepResult<unknown> | Promise<StepResult<unknown>>;

interface RunLog {
  scripts: Partial<Record<string, Script>>;
  /** `start:<step>` and `finish:<step>`, in the order the activities saw them. */
  events: string[];
  calls: FakeCall[];
  started: Set<string>;
  onStart: (() => void)[];
}

const runs = new Map<string, RunLog>();

function logOf(runId: string): RunLog {
  let log = runs.get(runId);
  if (!log) runs.set(runId, (log = { scripts: {}, events: [], calls: [], started: new Set(), onStart: [] }));
  return log;
}

/** Scripts the fakes of one run (the run id is the instance id). */
export function scriptRun(runId: string, scripts: Partial<Record<string, Script>>): void {
  logOf(runId).scripts = scripts;
}

export const eventsOf = (runId: string) => logOf(runId).events;
export const callsOf = (runId: string, step?: string) => logOf(runId).calls.filter((c) => step === undefined || c.step === step);

export const succeed = (output: unknown, outcome: StepOutcome = 'created'): StepResult<unknown> => ({ ok: true, outcome, output });

export const failPermanently = (failure: Omit<StepFailure, 'step'> & { step: string }): StepResult<unknown> => ({ ok: false, transient: false, failure });

export const failTransiently = (step: string, retryAfterMs?: number): StepResult<unknown> => ({
  ok: false,
  transient: true,
  failure: { step, system: 'my100001', kind: 'Transient', message: 'HTTP 503 Service Unavailable', fix: 'try later' },
  ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
});

/** Answers only once every step in `steps` has started in this run: a sequential schedule never gets there. */
export function together(steps: string[], output: (step: string) => unknown, timeoutMs = 5000): Script {
  return ({ step, envelope }) => {
    const log = logOf(envelope.runId);
    const allStarted = () => steps.every((s) => log.started.has(s));
    return new Promise((resolve) => {
      const timer = setTimeout(
        () => resolve(failPermanently({ step, system: 'test', kind: 'NotTogether', message: `started alone: ${steps.filter((s) => !log.started.has(s)).join(', ')} never started while ${step} ran`, fix: '' })),
        timeoutMs,
      );
      const check = () => {
        if (!allStarted()) return;
        clearTimeout(timer);
        resolve(succeed(output(step)));
      };
      log.onStart.push(check);
      check();
    });
  };
}

export async function runFake(step: string, envelope: StepEnvelope, fallback: () => unknown): Promise<StepResult<unknown>> {
  const log = logOf(envelope.runId);
  const call: FakeCall = { step, attempt: log.calls.filter((c) => c.step === step).length + 1, envelope };
  log.calls.push(call);
  log.events.push(`start:${step}`);
  log.started.add(step);
  log.onStart.forEach((listener) => listener());
  const script = log.scripts[step];
  const result = script ? await script(call) : succeed(fallback());
  log.events.push(`finish:${step}`);
  return result;
}

/**
 * The answer of one `run.together` group as an earlier version's history would hold it in the group's
 * place, when the run's scripts have `__replaced` (one step's own result): else undefined.
 */
export function replacedGroupAnswer(envelope: { runId: string }): unknown {
  const script = logOf(envelope.runId).scripts.__replaced;
  return script ? script({ step: '__replaced', attempt: 1, envelope: envelope as StepEnvelope }) : undefined;
}
