/**
 * Runs the steps of a workflow and keeps its custom status current, so that the status API, the CLI
 * and the manual-step instructions all read the same `{step, index, total, message, manualAction?}`.
 * Orchestrator-only: it uses the replay-safe clock and yields durable tasks.
 */
import type { OrchestrationContext, Task } from 'durable-functions';
import type { ActivityOutcome, StepFailure } from '../shared/steps/stepResult';
import type { CurrentStep, ManualAction, StepProgress, WorkflowStatus } from '../shared/steps/workflowStatus';

export interface StepDefinition {
  id: string;
  title: string;
}

export class StepFailedError extends Error {
  constructor(readonly failure: StepFailure) {
    super(`${failure.step} failed on ${failure.system}: ${failure.message} Fix: ${failure.fix}`);
    this.name = 'StepFailedError';
  }
}

export function stepReporter(context: OrchestrationContext, steps: readonly StepDefinition[]) {
  const progress: StepProgress[] = steps.map((s) => ({ id: s.id, title: s.title }));
  let current: CurrentStep | undefined;
  let manualAction: ManualAction | undefined;
  let error: StepFailure | undefined;

  const now = () => context.df.currentUtcDateTime;
  const indexOf = (stepId: string) => {
    const index = steps.findIndex((s) => s.id === stepId);
    if (index < 0) throw new Error(`Unknown step '${stepId}'`);
    return index;
  };

  function publish(): void {
    const status: WorkflowStatus = { ...current, manualAction, steps: progress, error };
    context.df.setCustomStatus(status);
  }

  function begin(stepId: string, message: string): StepProgress {
    const index = indexOf(stepId);
    const step = progress[index];
    step.startedAt ??= now().toISOString();
    current = { step: stepId, index: index + 1, total: steps.length, message };
    return step;
  }

  function finish(step: StepProgress, outcome: StepProgress['outcome'], detail?: string): void {
    const finishedAt = now();
    step.outcome = outcome;
    step.finishedAt = finishedAt.toISOString();
    step.durationMs = finishedAt.getTime() - Date.parse(step.startedAt ?? step.finishedAt);
    if (detail) step.detail = detail;
  }

  function fail(step: StepProgress, failure: StepFailure): never {
    finish(step, 'failed', failure.message);
    error = failure;
    current = current && { ...current, message: `${step.title} failed: ${failure.message}` };
    publish();
    throw new StepFailedError(failure);
  }

  /** Runs one activity-backed step; permanent failures come back as values, transient ones exhausted their retries. */
  function* run<T>(stepId: string, task: Task, system: string): Generator<Task, T, unknown> {
    const step = begin(stepId, `${steps[indexOf(stepId)].title}…`);
    publish();
    let outcome: ActivityOutcome<T>;
    try {
      outcome = (yield task) as ActivityOutcome<T>;
    } catch (e) {
      return fail(step, transientFailure(stepId, system, e));
    }
    if (!outcome.ok) return fail(step, outcome.error);
    finish(step, outcome.outcome, outcome.detail);
    current = { ...current!, message: `${step.title}: ${outcome.outcome}` };
    publish();
    return outcome.reference;
  }

  /** Marks a step as waiting for a person and publishes what they must do. */
  function waitFor(stepId: string, action: ManualAction): void {
    const step = begin(stepId, `Waiting for manual step: ${action.title}`);
    step.outcome = 'waiting';
    manualAction = action;
    publish();
  }

  function resumeAfterManualStep(stepId: string, message: string): void {
    begin(stepId, message);
    manualAction = undefined;
    publish();
  }

  return { run, waitFor, resumeAfterManualStep, fail: (stepId: string, failure: StepFailure) => fail(progress[indexOf(stepId)], failure), finish: (stepId: string, outcome: StepProgress['outcome'], detail?: string) => { finish(progress[indexOf(stepId)], outcome, detail); publish(); } };
}

/** A task failure that reaches the orchestrator is a Transient error whose retries ran out (activities return permanent ones). */
function transientFailure(stepId: string, system: string, e: unknown): StepFailure {
  const message = e instanceof Error ? e.message.split('\n')[0] : String(e);
  return {
    step: stepId,
    system,
    kind: 'Transient',
    message: `still failing after every retry: ${message}`,
    fix: `${system} kept answering with temporary errors or timeouts. Check its availability, then start the onboarding again: completed steps are reported as unchanged.`,
  };
}
