/**
 * Turns one episode into a journal operation: which inbox completions it delivers (and in which order), the
 * sequence ids the host allocates, the history it appends and the work it schedules (notes §1.12).
 *
 * Several completions per episode. The SDK allocates sequence ids while it replays, in history order: for a
 * retried call it takes one id when it sees the failure (the retry timer) and one when that timer fires
 * (the next attempt); for user code it takes ids when the generator yields. A retry step never completes its
 * task, so it never resumes user code; any other completion may. The engine therefore delivers the
 * id-allocating retry steps FIRST, allocating their ids in that order, and the plain completions after them;
 * ids for actions that the resumed user code yields come after both — the same order the SDK uses.
 */
import { randomUUID } from 'node:crypto';
import type { RuntimeStatus } from '../engineContract';
import { EventType, historyEvent, jsonText, type HistoryEvent } from './historyEvents';
import type {
  InboxItem,
  InstanceState,
  JournalOperation,
  PendingWork,
  RecordedAction,
  RetryTarget,
  SequenceDrift,
} from './instanceState';
import {
  cancelledAfterFirstSegment,
  cancelledSegmentFired,
  firstSegmentFireAt,
  isLongTimer,
  nextSegmentFireAt,
  sdkTakesNextSegmentId,
  type LongTimerSegment,
} from './longTimers';
import {
  ActionType,
  deliveredInput,
  describeSignature,
  RetryOptionsSchema,
  signatureOf,
  type OrchestratorAction,
} from './orchestratorActions';
import type { EpisodeOutcome } from './orchestratorInvocation';
import { decideAfterFailure, type RetryProgress } from './retryPolicy';

export function newExecutionId(): string {
  return randomUUID().replace(/-/g, '');
}

/** Whether the SDK takes a sequence id when it replays this completion delivered at `now` (never resuming user code). */
function allocatesIds(item: InboxItem, now: number): boolean {
  if (item.retryFailure) return true;
  if (item.longTimer) return sdkTakesNextSegmentId(item.longTimer, now);
  return item.retryTimer !== undefined && item.retryTimer.retry.attempt < item.retryTimer.retry.options.maxNumberOfAttempts;
}

/** The completions the next episode (at `now`) delivers, in delivery order. */
export function pickDeliveries(inbox: InboxItem[], maxPerEpisode: number, now: number): InboxItem[] {
  if (maxPerEpisode <= 1) return inbox.slice(0, 1);
  const first = inbox.filter((item) => allocatesIds(item, now));
  const rest = inbox.filter((item) => !allocatesIds(item, now));
  return [...first, ...rest].slice(0, maxPerEpisode);
}

/** A sub-orchestration the episode starts (the engine checks the name and the id before creating it). */
export interface ChildStart {
  taskId: number;
  childId: string;
  name: string;
  input: unknown;
}

export interface Delivery {
  taken: number[];
  newEvents: HistoryEvent[];
  nextEventId: number;
  addWork: PendingWork[];
  children: ChildStart[];
  /** Set when a retry cannot be represented faithfully; the instance fails with it. */
  failure?: string;
  /** Set when the SDK takes a sequence id in this delivery that the host does not. */
  sequenceDrift?: SequenceDrift;
}

type CallTarget = Omit<RetryTarget, 'retry'>;

function scheduleAttempt(
  state: InstanceState,
  target: CallTarget,
  retry: RetryProgress | undefined,
  id: number,
  now: number,
  delivery: Pick<Delivery, 'newEvents' | 'addWork' | 'children'>,
): void {
  if (target.kind === 'activity') {
    delivery.newEvents.push(historyEvent(EventType.TaskScheduled, now, { Name: target.name, Input: jsonText(target.input) }, id));
    delivery.addWork.push({ kind: 'activity', id, name: target.name, input: target.input, retry });
    return;
  }
  const childId = target.instanceId ?? `${state.executionId}:${id}`;
  delivery.newEvents.push(
    historyEvent(
      EventType.SubOrchestrationInstanceCreated,
      now,
      { Name: target.name, InstanceId: childId, Input: jsonText(target.input) },
      id,
    ),
  );
  delivery.addWork.push({
    kind: 'subOrchestration',
    id,
    name: target.name,
    input: target.input,
    childId,
    explicitInstanceId: target.instanceId,
    retry,
  });
  delivery.children.push({ taskId: id, childId, name: target.name, input: target.input });
}

/** Appends OrchestratorStarted and the delivered events, with the retry timers/attempts the host adds. */
export function prepareDelivery(state: InstanceState, items: InboxItem[], now: number): Delivery {
  const delivery: Delivery = {
    taken: items.map((item) => item.seq),
    newEvents: [historyEvent(EventType.OrchestratorStarted, now)],
    nextEventId: state.nextEventId,
    addWork: [],
    children: [],
  };
  for (const item of items) {
    delivery.newEvents.push(item.event);
    if (item.retryFailure) {
      const target = item.retryFailure;
      const decision = decideAfterFailure(target.retry, now);
      if (decision.kind === 'timedOut') {
        delivery.failure =
          `retryTimeoutInMilliseconds (${target.retry.options.retryTimeoutInMilliseconds} ms) of '${target.name}' expired after ` +
          `attempt ${target.retry.attempt}. Azure would stop retrying without telling the orchestrator, which then waits forever; ` +
          `devhost fails the instance instead. Last error: ${String(item.event.Reason)}`;
        break;
      }
      const delayMs = decision.kind === 'retry' ? decision.delayMs : 0; // DTFx's "dummy timer" after the last attempt
      const timerId = delivery.nextEventId++;
      const fireAt = now + delayMs;
      delivery.newEvents.push(historyEvent(EventType.TimerCreated, now, { FireAt: new Date(fireAt).toISOString() }, timerId));
      delivery.addWork.push({ kind: 'timer', id: timerId, fireAt, retryOf: target });
    } else if (item.retryTimer && allocatesIds(item, now)) {
      const target = item.retryTimer;
      const retry = { ...target.retry, attempt: target.retry.attempt + 1 };
      scheduleAttempt(state, target, retry, delivery.nextEventId++, now, delivery);
    } else if (item.longTimer && allocatesIds(item, now)) {
      const segment = item.longTimer;
      if (segment.cancelled) {
        delivery.sequenceDrift ??= { fromId: delivery.nextEventId, reason: cancelledSegmentFired(segment, now) };
      } else {
        scheduleSegment({ ...segment, segment: segment.segment + 1 }, delivery.nextEventId++, nextSegmentFireAt(segment.finalFireAt, now), now, delivery);
      }
    }
  }
  return delivery;
}

function scheduleSegment(
  segment: LongTimerSegment,
  id: number,
  fireAt: number,
  now: number,
  delivery: Pick<Delivery, 'newEvents' | 'addWork'>,
): void {
  delivery.newEvents.push(historyEvent(EventType.TimerCreated, now, { FireAt: new Date(fireAt).toISOString() }, id));
  delivery.addWork.push({ kind: 'timer', id, fireAt, longTimer: segment });
}

/** The pending segment timer of the long timer whose first segment had sequence id `firstId`, if any. */
function pendingSegment(state: InstanceState, firstId: number): Extract<PendingWork, { kind: 'timer' }> | undefined {
  for (const work of Object.values(state.work)) {
    if (work.kind === 'timer' && work.longTimer?.firstId === firstId) return work;
  }
  return undefined;
}

const UNSUPPORTED: Partial<Record<number, string>> = {
  [ActionType.CallHttp]: 'callHttp is not supported by devhost; call the HTTP API from an activity instead',
  [ActionType.CallEntity]: 'Durable entities (callEntity) are not supported by devhost',
  [ActionType.SignalEntity]: 'Durable entities (signalEntity) are not supported by devhost',
  [ActionType.LockEntities]: 'Durable entities (lock) are not supported by devhost',
  [ActionType.ReleaseEntities]: 'Durable entities (lock) are not supported by devhost',
};

export interface PlannedEpisode {
  operation: Extract<JournalOperation, { op: 'episode' }>;
  children: ChildStart[];
  /** Timers of earlier episodes that the orchestrator cancelled. */
  cancelledTimers: number[];
  failed: boolean;
}

function failureText(state: InstanceState, message: string): string {
  return `Orchestrator function '${state.name}' failed: ${message}`;
}

/** Diffs the returned actions against the recorded ones and builds the episode's journal operation. */
export function planEpisode(state: InstanceState, delivery: Delivery, outcome: EpisodeOutcome, now: number): PlannedEpisode {
  const newEvents = [...delivery.newEvents];
  const addWork = [...delivery.addWork];
  const children = [...delivery.children];
  const recorded: RecordedAction[] = [];
  const removeWork: number[] = [];
  let nextEventId = delivery.nextEventId;
  let status: RuntimeStatus = 'Running';
  let output: unknown;
  let customStatus: unknown = state.customStatus;
  let continueAsNew: { input: unknown; executionId: string } | undefined;
  let failure = delivery.failure;

  if (!failure && outcome.kind === 'failed') {
    failure = outcome.message;
    if (outcome.customStatus !== undefined) customStatus = outcome.customStatus;
  }
  if (!failure && outcome.kind === 'state') {
    const { state: orchestratorState, actions } = outcome;
    customStatus = orchestratorState.customStatus ?? null;
    failure = nonDeterminism(state, actions);
    for (let i = 0; !failure && i < state.actions.length; i++) {
      const action = actions[i];
      const id = state.actions[i].id;
      if (action.actionType !== ActionType.CreateTimer || !action.isCanceled || id === undefined) continue;
      const work = state.work[id];
      if (work?.kind === 'timer' && !work.longTimer) {
        removeWork.push(id);
        continue;
      }
      // A long timer's segment stays armed: Azure still delivers a cancelled timer's TimerFired to a running instance.
      const segment = pendingSegment(state, id);
      if (!segment?.longTimer || segment.longTimer.cancelled) continue;
      if (segment.longTimer.segment > 1) failure = cancelledAfterFirstSegment(segment.longTimer);
      else addWork.push({ ...segment, longTimer: { ...segment.longTimer, cancelled: true } });
    }
    for (let i = state.actions.length; !failure && i < actions.length; i++) {
      const action = actions[i];
      const unsupported = UNSUPPORTED[action.actionType];
      if (unsupported) {
        failure = unsupported;
        break;
      }
      const signature = signatureOf(action);
      switch (action.actionType) {
        case ActionType.CallActivity:
        case ActionType.CallActivityWithRetry: {
          const id = nextEventId++;
          const input = deliveredInput(action);
          const name = action.functionName ?? '';
          newEvents.push(historyEvent(EventType.TaskScheduled, now, { Name: name, Input: jsonText(action.input) }, id));
          let retry;
          if (action.actionType === ActionType.CallActivityWithRetry) {
            const options = RetryOptionsSchema.safeParse(action.retryOptions);
            if (!options.success) {
              failure = `invalid retryOptions for '${name}': ${options.error.message}`;
              break;
            }
            retry = { options: options.data, attempt: 1, firstAttemptAt: now };
          }
          addWork.push({ kind: 'activity', id, name, input, retry });
          recorded.push({ ...signature, id });
          break;
        }
        case ActionType.CallSubOrchestrator:
        case ActionType.CallSubOrchestratorWithRetry: {
          const id = nextEventId++;
          const name = action.functionName ?? '';
          const input = deliveredInput(action);
          let retry;
          if (action.actionType === ActionType.CallSubOrchestratorWithRetry) {
            const options = RetryOptionsSchema.safeParse(action.retryOptions);
            if (!options.success) {
              failure = `invalid retryOptions for '${name}': ${options.error.message}`;
              break;
            }
            retry = { options: options.data, attempt: 1, firstAttemptAt: now };
          }
          const target: CallTarget = { kind: 'subOrchestration', name, input, instanceId: action.instanceId || undefined };
          scheduleAttempt(state, target, retry, id, now, { newEvents, addWork, children });
          recorded.push({ ...signature, id });
          break;
        }
        case ActionType.CreateTimer: {
          const id = nextEventId++;
          const fireAt = Date.parse(action.fireAt ?? '');
          if (!Number.isNaN(fireAt) && isLongTimer(fireAt, now)) {
            const segment: LongTimerSegment = { firstId: id, finalFireAt: fireAt, segment: 1 };
            if (action.isCanceled) segment.cancelled = true;
            scheduleSegment(segment, id, firstSegmentFireAt(now), now, { newEvents, addWork });
          } else {
            newEvents.push(historyEvent(EventType.TimerCreated, now, { FireAt: action.fireAt }, id));
            if (!action.isCanceled) addWork.push({ kind: 'timer', id, fireAt: Number.isNaN(fireAt) ? now : fireAt });
          }
          recorded.push({ ...signature, id });
          break;
        }
        case ActionType.ContinueAsNew:
          continueAsNew = { input: roundTrip(deliveredInput(action)), executionId: newExecutionId() };
          recorded.push(signature);
          break;
        default:
          recorded.push(signature);
      }
    }
    const drift = delivery.sequenceDrift ?? state.sequenceDrift;
    if (!failure && drift && nextEventId > drift.fromId) {
      failure = `${drift.reason} devhost stops the run here, where the orchestrator schedules its next task.`;
    }
    if (!failure && orchestratorState.isDone) {
      if (continueAsNew) {
        status = 'Running';
      } else {
        status = 'Completed';
        output = orchestratorState.output ?? null;
      }
    }
  }

  if (failure) {
    status = 'Failed';
    output = failureText(state, failure);
    continueAsNew = undefined;
    children.length = 0;
  }
  newEvents.push(historyEvent(EventType.OrchestratorCompleted, now));
  if (status === 'Completed' || status === 'Failed') {
    newEvents.push(
      historyEvent(EventType.ExecutionCompleted, now, { OrchestrationStatus: status, Result: jsonText(output) }),
    );
  }
  return {
    operation: {
      op: 'episode',
      id: state.instanceId,
      executionId: state.executionId,
      taken: delivery.taken,
      append: newEvents,
      nextEventId,
      actions: recorded,
      addWork: status === 'Running' ? addWork : [],
      removeWork,
      status,
      output,
      customStatus: customStatus ?? null,
      continueAsNew,
      sequenceDrift: delivery.sequenceDrift,
      at: now,
    },
    children,
    cancelledTimers: removeWork,
    failed: status === 'Failed',
  };
}

/** The check the real SDK lacks: a replay must yield the recorded actions, in order (type and name). */
function nonDeterminism(state: InstanceState, actions: OrchestratorAction[]): string | undefined {
  const recorded = state.actions;
  for (let i = 0; i < recorded.length; i++) {
    if (i >= actions.length) {
      return (
        `non-deterministic orchestrator '${state.name}': the replay produced ${actions.length} actions but history ` +
        `recorded ${recorded.length}; action #${i} (${describeSignature(recorded[i])}) is missing`
      );
    }
    const replayed = signatureOf(actions[i]);
    if (replayed.type !== recorded[i].type || replayed.name !== recorded[i].name) {
      return (
        `non-deterministic orchestrator '${state.name}': at action #${i} the replay produced ` +
        `${describeSignature(replayed)} but history recorded ${describeSignature(recorded[i])}`
      );
    }
  }
  return undefined;
}

export function roundTrip(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}
