import { decideAfterFailure, nextRetryDelay } from '../../devhost/engine/retryPolicy';

const options = {
  firstRetryIntervalInMilliseconds: 1000,
  maxNumberOfAttempts: 6,
  backoffCoefficient: 2,
  maxRetryIntervalInMilliseconds: 3000,
};

it('computes the DTFx delay: first interval × coefficient^retryCount, capped', () => {
  expect([0, 1, 2, 3].map((n) => nextRetryDelay(options, n))).toEqual([1000, 2000, 3000, 3000]);
  expect(nextRetryDelay({ firstRetryIntervalInMilliseconds: 500, maxNumberOfAttempts: 3 }, 4)).toBe(500);
});

it('uses a zero-delay timer after the last attempt and stops retrying after the retry timeout', () => {
  expect(decideAfterFailure({ options, attempt: 6, firstAttemptAt: 0 }, 10)).toEqual({ kind: 'lastAttemptFailed' });
  expect(decideAfterFailure({ options, attempt: 2, firstAttemptAt: 0 }, 10)).toEqual({ kind: 'retry', delayMs: 2000 });
  const timed = { ...options, retryTimeoutInMilliseconds: 5000 };
  expect(decideAfterFailure({ options: timed, attempt: 2, firstAttemptAt: 0 }, 5000)).toEqual({ kind: 'timedOut', elapsedMs: 5000 });
  expect(decideAfterFailure({ options: timed, attempt: 2, firstAttemptAt: 0 }, 4999).kind).toBe('retry');
});
