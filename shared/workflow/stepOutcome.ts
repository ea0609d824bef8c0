/**
 * What a step reports and how it fails. These values cross the activity boundary and land in Durable
 * history, so none may hold a secret value: references carry secret names.
 */
import { z } from 'zod';

/** Honest words for what a step did: a check is not "unchanged", a manual upload is not ours. */
export const STEP_OUTCOMES = ['created', 'updated', 'unchanged', 'deleted', 'checked', 'verified', 'done by hand', 'skipped'] as const;
export type StepOutcome = (typeof STEP_OUTCOMES)[number];

/** What a step in a run's progress may show: an outcome, or the two states on the way there. */
export const STEP_STATES = [...STEP_OUTCOMES, 'failed', 'waiting'] as const;
export type StepState = (typeof STEP_STATES)[number];

export const StepFailure = z.object({
  step: z.string(),
  /** The system that answered: a tenant, a subaccount, the secret store. */
  system: z.string(),
  kind: z.string(),
  message: z.string(),
  /** What the administrator should do about it. */
  fix: z.string(),
});
export type StepFailure = z.infer<typeof StepFailure>;

/** A permanent failure a step raises on purpose; it is never retried. */
export class PermanentStepError extends Error {
  constructor(readonly failure: Omit<StepFailure, 'step'>) {
    super(failure.message);
    this.name = 'PermanentStepError';
  }
}

/** A failure the step could not decide (SAP 429/5xx, a timeout): the orchestrator retries it on a durable timer. */
export class TransientStepError extends Error {
  constructor(
    readonly system: string,
    message: string,
    /** SAP's Retry-After, when it sent one. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'TransientStepError';
  }
}
