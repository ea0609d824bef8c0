/**
 * When a Transient failure is retried inside one call. Only calls that are safe to repeat are
 * retried (GET, PUT, DELETE, token requests); a POST that creates something is never repeated
 * unless its caller says so. A Retry-After longer than `maxRetryAfterMs` is not waited for here:
 * the SapError(Transient) carries it as `retryAfterMs`. Durable RetryOptions cannot read it (their
 * intervals are fixed), so whoever retries durably must take the delay from the error itself.
 */
export interface RetryPolicy {
  /** Total attempts including the first. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
  maxRetryAfterMs: 10_000,
};

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export function isSafeToRepeatByDefault(method: HttpMethod): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'PUT' || method === 'DELETE';
}

/** Exponential backoff with full jitter, or exactly what Retry-After asks for. */
export function retryDelayMs(policy: RetryPolicy, attempt: number, retryAfterMs: number | undefined, random: () => number = Math.random): number {
  if (retryAfterMs !== undefined) return retryAfterMs;
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
