/**
 * Retries are executed by the host, as DTFx's RetryInterceptor does (notes §1.7). The SDK's RetryableTask
 * allocates one sequence id for the timer after every failed attempt (including the last, where DTFx fires a
 * "dummy timer" at once) and one for every new attempt; the engine allocates the same ids.
 */
import type { RetryOptions } from './orchestratorActions';

/** Retry bookkeeping for one CallActivityWithRetry / CallSubOrchestratorWithRetry action. */
export interface RetryProgress {
  options: RetryOptions;
  /** 1-based number of the attempt in flight (or that just failed). */
  attempt: number;
  firstAttemptAt: number;
}

export type RetryDecision =
  | { kind: 'retry'; delayMs: number }
  | { kind: 'lastAttemptFailed' }
  | { kind: 'timedOut'; elapsedMs: number };

/** ComputeNextDelay: FirstRetryInterval × BackoffCoefficient^retryCount, capped at MaxRetryInterval. */
export function nextRetryDelay(options: RetryOptions, retryCount: number): number {
  const coefficient = options.backoffCoefficient ?? 1;
  const delay = options.firstRetryIntervalInMilliseconds * Math.pow(coefficient, retryCount);
  const cap = options.maxRetryIntervalInMilliseconds;
  return cap !== undefined && cap > 0 ? Math.min(delay, cap) : delay;
}

/** What the host does after attempt `progress.attempt` failed at `now`. */
export function decideAfterFailure(progress: RetryProgress, now: number): RetryDecision {
  const { options, attempt } = progress;
  if (attempt >= options.maxNumberOfAttempts) return { kind: 'lastAttemptFailed' };
  const timeout = options.retryTimeoutInMilliseconds;
  const elapsedMs = now - progress.firstAttemptAt;
  if (timeout !== undefined && timeout > 0 && elapsedMs >= timeout) return { kind: 'timedOut', elapsedMs };
  return { kind: 'retry', delayMs: nextRetryDelay(options, attempt - 1) };
}
