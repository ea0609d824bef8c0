/** Polls GET /api/onboardings/{id} and feeds each snapshot to the progress view until the run ends. */
import { setTimeout as sleep } from 'node:timers/promises';
import { UnreachableError, type OnboardingApi } from './onboardingApi';
import { FINAL_STATUSES, type OnboardingView } from './onboardingView';

export interface FollowOptions {
  intervalMs: number;
  /** Return as soon as the run waits for a manual step (instead of waiting for the person). */
  stopWhenWaiting: boolean;
  /** Consecutive connection failures tolerated (a devhost restart), default 20. */
  unreachableTolerance?: number;
}

export async function followOnboarding(
  api: OnboardingApi,
  first: OnboardingView,
  onSnapshot: (view: OnboardingView) => void,
  options: FollowOptions,
): Promise<OnboardingView> {
  let view = first;
  let unreachable = 0;
  for (;;) {
    onSnapshot(view);
    if (FINAL_STATUSES.has(view.status)) return view;
    if (options.stopWhenWaiting && view.status === 'waiting for manual step') return view;
    await sleep(options.intervalMs);
    try {
      view = await api.getOnboarding(first.id);
      unreachable = 0;
    } catch (e) {
      if (!(e instanceof UnreachableError) || ++unreachable > (options.unreachableTolerance ?? 20)) throw e;
    }
  }
}
