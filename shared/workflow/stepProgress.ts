/**
 * Keeps a run's custom status current, so that the run API, the CLI and a person doing a manual step
 * all read the same `{step, index, total, message, manualAction?}`. Orchestrator-only: it uses the
 * replay-safe clock.
 */
import type { OrchestrationContext } from 'durable-functions';
import type { RunMode } from './stepActivity';
import type { StepFailure, StepOutcome } from './stepOutcome';
import type { StepPlan } from './stepPlan';
import type { CurrentStep, ManualAction, StepProgress, WorkflowStatus } from './workflowStatus';

export class StepFailedError extends Error {
  constructor(readonly failure: StepFailure) {
    super(`${failure.step} failed on ${failure.system}: ${failure.message} Fix: ${failure.fix}`);
    this.name = 'StepFailedError';
  }
}

export interface Finished {
  outcome: StepOutcome;
  detail?: string;
  warnings?: string[];
  plan?: StepPlan;
}

export function stepProgress(context: OrchestrationContext, steps: readonly { id: string; title: string }[], mode: RunMode, subject: Record<string, string>) {
  const progress: StepProgress[] = steps.map((s) => ({ id: s.id, title: s.title }));
  let current: CurrentStep | undefined;
  let manualAction: ManualAction | undefined;
  let error: StepFailure | undefined;

  const now = () => context.df.currentUtcDateTime;
  const entry = (stepId: string) => {
    const index = steps.findIndex((s) => s.id === stepId);
    if (index < 0) throw new Error(`step '${stepId}' is not declared in this workflow`);
    return { index, step: progress[index] };
  };
  const publish = () => context.df.setCustomStatus({ mode, subject, ...current, manualAction, steps: progress, error } satisfies WorkflowStatus);

  function begin(stepId: string, message?: string): void {
    const { index, step } = entry(stepId);
    step.startedAt ??= now().toISOString();
    current = { step: stepId, index: index + 1, total: steps.length, message: message ?? `${step.title}…` };
    publish();
  }

  function finish(stepId: string, finished: Finished): void {
    const { step } = entry(stepId);
    const at = now();
    step.outcome = finished.outcome;
    step.finishedAt = at.toISOString();
    step.durationMs = at.getTime() - Date.parse(step.startedAt ?? step.finishedAt);
    // Details and warnings belong to the final state: a second pass (after a manual step) replaces them.
    step.detail = finished.detail;
    step.warnings = finished.warnings?.length ? finished.warnings : undefined;
    if (finished.plan) step.plan = finished.plan;
    current = { ...(current ?? { step: stepId, index: 0, total: steps.length }), message: `${step.title}: ${finished.outcome}` };
    publish();
  }

  function fail(stepId: string, failure: StepFailure): never {
    const { step } = entry(stepId);
    step.outcome = 'failed';
    step.finishedAt = now().toISOString();
    step.detail = failure.message;
    error = failure;
    current = { ...(current ?? { step: stepId, index: 0, total: steps.length }), message: `${step.title} failed: ${failure.message}` };
    publish();
    throw new StepFailedError(failure);
  }

  function note(stepId: string, message: string): void {
    begin(stepId, message);
  }

  function waitFor(stepId: string, action: ManualAction): void {
    const { step } = entry(stepId);
    step.outcome = 'waiting';
    manualAction = action;
    begin(stepId, `Waiting for manual step: ${action.title}`);
  }

  /** A note that belongs to a step without finishing it, e.g. what a plan leaves to a person. */
  function warn(stepId: string, warning: string): void {
    const { step } = entry(stepId);
    step.warnings = [...(step.warnings ?? []), warning];
    publish();
  }

  function resumed(stepId: string, message: string): void {
    manualAction = undefined;
    begin(stepId, message);
  }

  return { begin, finish, fail, note, warn, waitFor, resumed, steps: () => progress };
}

export type StepProgressReporter = ReturnType<typeof stepProgress>;
