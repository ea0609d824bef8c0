/**
 * What the management API shows for an instance (notes §2.3): the status payload, the summarized history
 * of showHistory=true, and list filtering with continuation tokens.
 */
import type { HistoryEventView, InstanceStatus, ListQuery, RuntimeStatus, StatusQuery } from '../engineContract';
import { EventType, eventTypeName, type HistoryEvent } from './historyEvents';
import type { InstanceState } from './instanceState';

/** Azure formats times as `yyyy-MM-ddTHH:mm:ssZ`. */
export function azureTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function parseJsonText(text: unknown): unknown {
  if (typeof text !== 'string') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function statusView(state: InstanceState, query: StatusQuery = {}): InstanceStatus {
  const view: InstanceStatus = {
    name: state.name,
    instanceId: state.instanceId,
    runtimeStatus: state.status,
    input: query.showInput === false ? null : (state.input ?? null),
    customStatus: state.customStatus ?? null,
    output: state.output ?? null,
    createdTime: azureTime(state.createdAt),
    lastUpdatedTime: azureTime(state.updatedAt),
  };
  if (query.showHistory) view.historyEvents = historyView(state, query);
  return view;
}

const HIDDEN_EVENTS: ReadonlySet<number> = new Set([
  EventType.OrchestratorStarted,
  EventType.OrchestratorCompleted,
  EventType.TaskScheduled,
  EventType.SubOrchestrationInstanceCreated,
]);

/** The summarized history Azure shows: string EventType, FunctionName and ScheduledTime of completions. */
export function historyView(state: InstanceState, query: StatusQuery): HistoryEventView[] {
  const scheduled = new Map<number, HistoryEvent>();
  const rows: HistoryEventView[] = [];
  const withOutput = query.showHistoryOutput === true;
  for (const event of state.history) {
    if (event.EventType === EventType.TaskScheduled || event.EventType === EventType.SubOrchestrationInstanceCreated) {
      scheduled.set(event.EventId, event);
    }
    if (HIDDEN_EVENTS.has(event.EventType)) continue;
    const row: HistoryEventView = { EventType: eventTypeName[event.EventType], Timestamp: event.Timestamp };
    switch (event.EventType) {
      case EventType.ExecutionStarted:
        row.FunctionName = event.Name;
        if (query.showInput !== false) row.Input = parseJsonText(event.Input);
        break;
      case EventType.TaskCompleted:
      case EventType.TaskFailed:
      case EventType.SubOrchestrationInstanceCompleted:
      case EventType.SubOrchestrationInstanceFailed: {
        const origin = scheduled.get(event.TaskScheduledId as number);
        row.FunctionName = origin?.Name;
        row.ScheduledTime = origin?.Timestamp;
        if (origin?.InstanceId) row.InstanceId = origin.InstanceId;
        if (event.Reason !== undefined) row.Reason = event.Reason;
        if (event.Details !== undefined) row.Details = event.Details;
        if (withOutput && event.Result !== undefined) row.Result = parseJsonText(event.Result);
        break;
      }
      case EventType.TimerCreated:
      case EventType.TimerFired:
        row.FireAt = event.FireAt;
        if (event.TimerId !== undefined) row.TimerId = event.TimerId;
        break;
      case EventType.EventRaised:
        row.Name = event.Name;
        if (withOutput) row.Input = parseJsonText(event.Input);
        break;
      case EventType.ExecutionCompleted:
        row.OrchestrationStatus = event.OrchestrationStatus;
        if (withOutput) row.Result = parseJsonText(event.Result);
        break;
      case EventType.ExecutionTerminated:
        row.Input = parseJsonText(event.Input);
        break;
    }
    rows.push(row);
  }
  return rows;
}

interface PageKey {
  c: number;
  i: string;
}

function compareKey(a: PageKey, b: PageKey): number {
  return a.c - b.c || (a.i < b.i ? -1 : a.i > b.i ? 1 : 0);
}

export function encodeContinuationToken(key: PageKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeContinuationToken(token: string): PageKey {
  try {
    const key = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as PageKey;
    if (typeof key.c === 'number' && typeof key.i === 'string') return key;
  } catch {
    // fall through
  }
  throw new InvalidContinuationTokenError();
}

export class InvalidContinuationTokenError extends Error {
  constructor() {
    super('continuationToken is not one this devhost issued');
    this.name = 'InvalidContinuationTokenError';
  }
}

export function matchesFilter(
  state: InstanceState,
  filter: { runtimeStatus?: RuntimeStatus[]; createdTimeFrom?: Date; createdTimeTo?: Date; instanceIdPrefix?: string },
): boolean {
  if (filter.runtimeStatus && filter.runtimeStatus.length > 0 && !filter.runtimeStatus.includes(state.status)) return false;
  if (filter.createdTimeFrom && state.createdAt < filter.createdTimeFrom.getTime()) return false;
  if (filter.createdTimeTo && state.createdAt > filter.createdTimeTo.getTime()) return false;
  if (filter.instanceIdPrefix && !state.instanceId.startsWith(filter.instanceIdPrefix)) return false;
  return true;
}

/** Instances in creation order; a page ends after `top` and hands out a token for the rest. */
export function listPage(
  instances: Iterable<InstanceState>,
  query: ListQuery,
): { page: InstanceState[]; continuationToken?: string } {
  const after = query.continuationToken ? decodeContinuationToken(query.continuationToken) : undefined;
  const matching = [...instances]
    .filter((state) => matchesFilter(state, query))
    .filter((state) => !after || compareKey({ c: state.createdAt, i: state.instanceId }, after) > 0)
    .sort((a, b) => compareKey({ c: a.createdAt, i: a.instanceId }, { c: b.createdAt, i: b.instanceId }));
  const top = query.top !== undefined && query.top > 0 ? query.top : matching.length;
  const page = matching.slice(0, top);
  if (matching.length <= top || page.length === 0) return { page };
  const last = page[page.length - 1];
  return { page, continuationToken: encodeContinuationToken({ c: last.createdAt, i: last.instanceId }) };
}
