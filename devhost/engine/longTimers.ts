/**
 * Durable timers longer than the storage provider allows, as the Durable extension runs them for Azure Storage
 * (`DurableOrchestrationContext.CreateTimer`): a timer more than 6 days out becomes a chain of segment timers,
 * each taking a sequence id. The first segment ends 3 days from now; when a segment fires before the final
 * time, the next one is created: the rest of the way if under 3 days remain, else another 3 days.
 * durable-functions (LongTimerTask) takes an id for the next segment under the same condition (final time
 * still ahead when a segment fires), so both sides agree on ids while the timer is not cancelled.
 */

const DAY_MS = 86_400_000;

/** The values the extension sends for Azure Storage, in the trigger payload's TimeSpan format. */
export const MAXIMUM_SHORT_TIMER = { ms: 6 * DAY_MS, wire: '6.00:00:00' } as const;
export const LONG_TIMER_INTERVAL = { ms: 3 * DAY_MS, wire: '3.00:00:00' } as const;

/** Where a pending segment timer stands in its chain. */
export interface LongTimerSegment {
  /** Sequence id of the first segment: the id the orchestrator's CreateTimer action is recorded with. */
  firstId: number;
  /** The time the orchestrator asked for. */
  finalFireAt: number;
  /** 1 for the first segment. */
  segment: number;
  /** The orchestrator cancelled the timer while this segment was pending. */
  cancelled?: boolean;
}

export function isLongTimer(fireAt: number, now: number): boolean {
  return fireAt - now > MAXIMUM_SHORT_TIMER.ms;
}

export function firstSegmentFireAt(now: number): number {
  return now + LONG_TIMER_INTERVAL.ms;
}

/** The next segment's due time when one fires at `now` before the final time. */
export function nextSegmentFireAt(finalFireAt: number, now: number): number {
  return finalFireAt - now < LONG_TIMER_INTERVAL.ms ? finalFireAt : now + LONG_TIMER_INTERVAL.ms;
}

/** Whether the firing of this segment at `now` makes the SDK take a sequence id for a next segment. */
export function sdkTakesNextSegmentId(segment: LongTimerSegment, now: number): boolean {
  return segment.finalFireAt > now;
}

const KEEP_TIMERS_SHORT =
  'Keep a durable timer that may be cancelled at or under 6 days: wait for the deadline in rounds of at most 6 days ' +
  '(a new Task.any of the event and a timer of min(deadline, now + 6 days) each round).';

/**
 * The run is cancelled after a later segment exists. On Azure the extension re-applies the cancellation from the
 * first segment whenever it replays the orchestration, so it no longer recreates the later segment timers that
 * history holds, and DTFx fails the run as non-deterministic.
 */
export function cancelledAfterFirstSegment(segment: LongTimerSegment): string {
  return (
    `a durable timer longer than 6 days (due ${new Date(segment.finalFireAt).toISOString()}) was cancelled after ` +
    `${segment.segment - 1} of its 3-day segments had fired. On Azure Storage the Durable extension re-applies the ` +
    'cancellation from the first segment on every replay, no longer recreates the later segment timers recorded in ' +
    'history and fails the run ("Non-Deterministic workflow detected: TimerCreatedEvent"). ' +
    KEEP_TIMERS_SHORT
  );
}

/**
 * A segment of a cancelled long timer fired while the run still goes on (Azure keeps cancelled timers' messages).
 * durable-functions 3.5.0's LongTimerTask ignores the cancellation and takes a sequence id for a next segment;
 * the extension does not. Every later task's id is then off by one on Azure.
 */
export function cancelledSegmentFired(segment: LongTimerSegment, now: number): string {
  return (
    `a cancelled durable timer longer than 6 days (due ${new Date(segment.finalFireAt).toISOString()}) had a 3-day ` +
    `segment fire at ${new Date(now).toISOString()} while the run was still going. durable-functions 3.5.0 ` +
    "(LongTimerTask) ignores the cancellation and takes a sequence id for the timer's next segment; the Durable " +
    'extension does not, so the next task the orchestrator schedules would receive another task\'s result, and on ' +
    'Azure the run would hang. ' +
    KEEP_TIMERS_SHORT
  );
}
