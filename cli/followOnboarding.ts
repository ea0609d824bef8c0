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
  /** Ctrl-C: stop following at once (the run itself goes on). */
  signal?: AbortSignal;
}

/** Following stopped because the person asked to (Ctrl-C); nothing happened to the run. */
export class FollowInterrupted extends Error {
  constructor() {
    super('stopped following');
    this.name = 'FollowInterrupted';
  }
}

export async function followOnboarding(
  api: Pick<OnboardingApi, 'getOnboarding'>,
  first: OnboardingView,
  onSnapshot: (view: OnboardingView) => void,
  options: FollowOptions,
): Promise<OnboardingView> {
  const { signal } = options;
  const interrupted = () => {
    if (signal?.aborted) throw new FollowInterrupted();
  };
  let view = first;
  let unreachable = 0;
  for (;;) {
    interrupted();
    onSnapshot(view);
    if (FINAL_STATUSES.has(view.status)) return view;
    if (options.stopWhenWaiting && view.status === 'waiting for manual step') return view;
    try {
      await sleep(options.intervalMs, undefined, { signal });
    } catch {
      interrupted();
    }
    try {
      view = await abortable(api.getOnboarding(first.id), signal);
      unreachable = 0;
    } catch (e) {
      interrupted();
      if (!(e instanceof UnreachableError) || ++unreachable > (options.unreachableTolerance ?? 20)) throw e;
    }
  }
}

/** A poll in flight does not hold up Ctrl-C. */
function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new FollowInterrupted());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
