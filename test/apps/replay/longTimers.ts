/**
 * Deadlines longer than the 6 days Azure Storage allows one durable timer, for devhost's long-timer tests.
 * `ManualStepDeadline` is the product's manual-step pattern (orchestrations/onboardS4Tenant.ts): each round a
 * Task.any of the confirmation and one timer for the whole deadline, the timer cancelled when the confirmation
 * wins, and another round when the check says "not yet". `DeadlineInRounds` is the same wait with no timer over
 * 6 days, the workaround for the SDK's LongTimerTask cancellation bug.
 */
import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';

const DAY_MS = 86_400_000;
const MAX_ROUND_MS = 6 * DAY_MS;

interface DeadlineInput {
  deadlineDays: number;
}

interface DeadlineOutcome {
  outcome: 'confirmed' | 'deadline';
  /** context.df.currentUtcDateTime when the run decided. */
  at: string;
  rounds: number;
  checked?: string;
}

df.app.orchestration('ManualStepDeadline', function* (context: OrchestrationContext) {
  const { deadlineDays } = context.df.getInput() as DeadlineInput;
  const deadline = new Date(context.df.currentUtcDateTime.getTime() + deadlineDays * DAY_MS);
  for (let rounds = 1; ; rounds++) {
    const confirmation = context.df.waitForExternalEvent('confirmation');
    const timer = context.df.createTimer(deadline);
    const winner = yield context.df.Task.any([confirmation, timer]);
    if (winner === timer) {
      return { outcome: 'deadline', at: context.df.currentUtcDateTime.toISOString(), rounds } satisfies DeadlineOutcome;
    }
    timer.cancel();
    const checked = (yield context.df.callActivity('SayHello', String(confirmation.result))) as string;
    if (confirmation.result === 'uploaded') {
      return { outcome: 'confirmed', at: context.df.currentUtcDateTime.toISOString(), rounds, checked } satisfies DeadlineOutcome;
    }
  }
});

df.app.orchestration('DeadlineInRounds', function* (context: OrchestrationContext) {
  const { deadlineDays } = context.df.getInput() as DeadlineInput;
  const deadline = context.df.currentUtcDateTime.getTime() + deadlineDays * DAY_MS;
  for (let rounds = 1; ; rounds++) {
    const now = context.df.currentUtcDateTime.getTime();
    if (now >= deadline) return { outcome: 'deadline', at: new Date(now).toISOString(), rounds: rounds - 1 } satisfies DeadlineOutcome;
    const confirmation = context.df.waitForExternalEvent('confirmation');
    const timer = context.df.createTimer(new Date(Math.min(deadline, now + MAX_ROUND_MS)));
    const winner = yield context.df.Task.any([confirmation, timer]);
    if (winner === timer) continue;
    timer.cancel();
    const checked = (yield context.df.callActivity('SayHello', String(confirmation.result))) as string;
    if (confirmation.result === 'uploaded') {
      return { outcome: 'confirmed', at: context.df.currentUtcDateTime.toISOString(), rounds, checked } satisfies DeadlineOutcome;
    }
  }
});
