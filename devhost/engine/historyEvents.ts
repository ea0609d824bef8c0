/**
 * DTFx history events as the out-of-proc protocol serializes them (Newtonsoft defaults: PascalCase,
 * integer EventType, ISO timestamps). durable-runtime-notes §1.3.
 */
export const EventType = {
  ExecutionStarted: 0,
  ExecutionCompleted: 1,
  ExecutionFailed: 2,
  ExecutionTerminated: 3,
  TaskScheduled: 4,
  TaskCompleted: 5,
  TaskFailed: 6,
  SubOrchestrationInstanceCreated: 7,
  SubOrchestrationInstanceCompleted: 8,
  SubOrchestrationInstanceFailed: 9,
  TimerCreated: 10,
  TimerFired: 11,
  OrchestratorStarted: 12,
  OrchestratorCompleted: 13,
  EventSent: 14,
  EventRaised: 15,
  ContinueAsNew: 16,
} as const;

export type EventTypeNumber = (typeof EventType)[keyof typeof EventType];

export const eventTypeName: Record<number, string> = Object.fromEntries(
  Object.entries(EventType).map(([name, value]) => [value, name]),
);

export interface HistoryEvent {
  EventType: EventTypeNumber;
  EventId: number;
  IsPlayed: boolean;
  Timestamp: string;
  [field: string]: unknown;
}

export function historyEvent(
  type: EventTypeNumber,
  at: number,
  fields: Record<string, unknown> = {},
  eventId = -1,
): HistoryEvent {
  return { EventType: type, EventId: eventId, IsPlayed: false, Timestamp: new Date(at).toISOString(), ...fields };
}

/** The JSON text the host stores for a value (`Result`, `Input`): `undefined` is stored as `null`. */
export function jsonText(value: unknown): string {
  return JSON.stringify(value === undefined ? null : value);
}

/** Failure fields the JS executor can parse: string Reason and Details (notes §1.3). */
export function failureFields(reason: string, error: unknown): { Reason: string; Details: string } {
  const details = error instanceof Error ? String(error.stack ?? error.message) : String(error);
  return { Reason: reason, Details: details };
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
