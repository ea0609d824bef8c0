/**
 * The durable state of one orchestration instance and the journal operations that change it. Every change
 * goes through `applyOperation`, both live and when the journal is read back after a restart, so the state
 * after a crash is exactly the state after the last operation that reached the journal.
 */
import type { RuntimeStatus } from '../engineContract';
import { EventType, historyEvent, jsonText, type HistoryEvent } from './historyEvents';
import type { LongTimerSegment } from './longTimers';
import type { ActionSignature } from './orchestratorActions';
import type { RetryProgress } from './retryPolicy';

/** Work the host owes an instance: something that will eventually produce a completion event. */
export type PendingWork =
  | { kind: 'activity'; id: number; name: string; input: unknown; retry?: RetryProgress }
  | { kind: 'timer'; id: number; fireAt: number; retryOf?: RetryTarget; longTimer?: LongTimerSegment }
  | {
      kind: 'subOrchestration';
      id: number;
      name: string;
      input: unknown;
      childId: string;
      /** The id the orchestrator chose; absent when the host derived it (`<executionId>:<sequence id>`). */
      explicitInstanceId?: string;
      retry?: RetryProgress;
    };

/** What a retry timer re-runs when it fires. */
export interface RetryTarget {
  kind: 'activity' | 'subOrchestration';
  name: string;
  input: unknown;
  /** Explicit child instance id of a sub-orchestration (else derived from the new sequence id). */
  instanceId?: string;
  retry: RetryProgress;
}

/** A completion that arrived and waits for the next episode. */
export interface InboxItem {
  seq: number;
  event: HistoryEvent;
  /** Set on the failure of a retried call: the host must add the retry timer when it delivers this event. */
  retryFailure?: RetryTarget;
  /** Set on a retry timer: the host schedules the next attempt (if any remain) when it delivers this event. */
  retryTimer?: RetryTarget;
  /** Set on a segment of a timer longer than 6 days: the host may create the next segment when it delivers this. */
  longTimer?: LongTimerSegment;
}

/** The SDK took a sequence id the host did not (a cancelled long timer's segment fired); see longTimers.ts. */
export interface SequenceDrift {
  /** The id the SDK took: any id the host allocates from here on means another task in the SDK. */
  fromId: number;
  reason: string;
}

export interface RecordedAction extends ActionSignature {
  /** Sequence id the action received (absent for WaitForExternalEvent and ContinueAsNew). */
  id?: number;
}

export interface ParentLink {
  instanceId: string;
  executionId: string;
  taskId: number;
}

export interface InstanceState {
  instanceId: string;
  name: string;
  executionId: string;
  input: unknown;
  parent?: ParentLink;
  status: RuntimeStatus;
  output: unknown;
  customStatus: unknown;
  createdAt: number;
  updatedAt: number;
  history: HistoryEvent[];
  nextEventId: number;
  actions: RecordedAction[];
  inbox: InboxItem[];
  nextInboxSeq: number;
  work: Record<string, PendingWork>;
  sequenceDrift?: SequenceDrift;
}

export type JournalOperation =
  | { op: 'start'; id: string; name: string; input: unknown; executionId: string; parent?: ParentLink; at: number }
  | { op: 'arrive'; id: string; executionId?: string; done?: number; item: Omit<InboxItem, 'seq'>; at: number }
  | {
      op: 'episode';
      id: string;
      executionId: string;
      taken: number[];
      append: HistoryEvent[];
      nextEventId: number;
      actions: RecordedAction[];
      addWork: PendingWork[];
      removeWork: number[];
      status: RuntimeStatus;
      output?: unknown;
      customStatus: unknown;
      continueAsNew?: { input: unknown; executionId: string };
      sequenceDrift?: SequenceDrift;
      at: number;
    }
  | { op: 'terminate'; id: string; reason: string; at: number }
  | { op: 'purge'; id: string }
  | { op: 'snapshot'; state: InstanceState };

export const TERMINAL_STATUSES: ReadonlySet<RuntimeStatus> = new Set(['Completed', 'Failed', 'Terminated']);

export function isTerminal(status: RuntimeStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}

function executionStarted(name: string, input: unknown, at: number, parent?: ParentLink): HistoryEvent {
  const fields: Record<string, unknown> = { Name: name, Version: '', Input: jsonText(input) };
  if (parent) fields.ParentInstance = { OrchestrationInstance: { InstanceId: parent.instanceId, ExecutionId: parent.executionId } };
  return historyEvent(EventType.ExecutionStarted, at, fields);
}

function freshExecution(state: InstanceState, input: unknown, executionId: string, at: number, carried: InboxItem[]): void {
  state.executionId = executionId;
  state.input = input;
  state.history = [];
  state.nextEventId = 0;
  state.actions = [];
  state.work = {};
  state.inbox = [];
  state.nextInboxSeq = 0;
  delete state.sequenceDrift;
  for (const item of [{ event: executionStarted(state.name, input, at, state.parent) }, ...carried]) {
    state.inbox.push({ ...item, seq: state.nextInboxSeq++ });
  }
}

/** Applies one journal operation to the instance table. Pure with respect to the operation's content. */
export function applyOperation(instances: Map<string, InstanceState>, operation: JournalOperation): InstanceState | undefined {
  switch (operation.op) {
    case 'start': {
      const state: InstanceState = {
        instanceId: operation.id,
        name: operation.name,
        executionId: operation.executionId,
        input: operation.input,
        parent: operation.parent,
        status: 'Pending',
        output: null,
        customStatus: null,
        createdAt: operation.at,
        updatedAt: operation.at,
        history: [],
        nextEventId: 0,
        actions: [],
        inbox: [],
        nextInboxSeq: 0,
        work: {},
      };
      freshExecution(state, operation.input, operation.executionId, operation.at, []);
      instances.set(operation.id, state);
      return state;
    }
    case 'arrive': {
      const state = instances.get(operation.id);
      if (!state || isTerminal(state.status)) return undefined;
      if (operation.executionId !== undefined && operation.executionId !== state.executionId) return undefined;
      if (operation.done !== undefined) {
        if (!state.work[operation.done]) return undefined; // already delivered (duplicate completion)
        delete state.work[operation.done];
      }
      state.inbox.push({ ...operation.item, seq: state.nextInboxSeq++ });
      return state;
    }
    case 'episode': {
      const state = instances.get(operation.id);
      if (!state || isTerminal(state.status) || state.executionId !== operation.executionId) return undefined;
      const taken = new Set(operation.taken);
      state.inbox = state.inbox.filter((item) => !taken.has(item.seq));
      state.history.push(...operation.append);
      state.nextEventId = operation.nextEventId;
      state.actions.push(...operation.actions);
      for (const id of operation.removeWork) delete state.work[id];
      for (const work of operation.addWork) state.work[work.id] = work;
      state.status = operation.status;
      if (operation.output !== undefined) state.output = operation.output;
      state.customStatus = operation.customStatus;
      state.updatedAt = operation.at;
      if (operation.sequenceDrift) state.sequenceDrift = operation.sequenceDrift;
      if (operation.continueAsNew) {
        const carried = state.inbox.filter((item) => item.event.EventType === EventType.EventRaised);
        freshExecution(state, operation.continueAsNew.input, operation.continueAsNew.executionId, operation.at, carried);
      }
      if (isTerminal(state.status)) {
        state.work = {};
        state.inbox = [];
      }
      return state;
    }
    case 'terminate': {
      const state = instances.get(operation.id);
      if (!state || isTerminal(state.status)) return undefined;
      state.history.push(historyEvent(EventType.ExecutionTerminated, operation.at, { Input: jsonText(operation.reason) }));
      state.status = 'Terminated';
      state.output = operation.reason;
      state.updatedAt = operation.at;
      state.work = {};
      state.inbox = [];
      return state;
    }
    case 'purge':
      instances.delete(operation.id);
      return undefined;
    case 'snapshot':
      instances.set(operation.state.instanceId, operation.state);
      return operation.state;
  }
}
