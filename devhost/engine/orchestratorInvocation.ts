/**
 * One orchestrator invocation ("episode") exactly as the real host performs it (notes §1.2, §1.12):
 * the V3 trigger payload, a fresh InvocationContext, the JSON round trip of the returned OrchestratorState,
 * and the `$OutOfProcData$` state carried by a failure.
 */
import type { RegisteredFunction } from '../engineContract';
import type { HistoryEvent } from './historyEvents';
import { errorMessage } from './historyEvents';
import { invocationContextFor } from './invocationContext';
import { LONG_TIMER_INTERVAL, MAXIMUM_SHORT_TIMER } from './longTimers';
import {
  describeSignature,
  firstRepeatedAction,
  flattenActions,
  OrchestratorStateSchema,
  signatureOf,
  type OrchestratorAction,
  type OrchestratorState,
} from './orchestratorActions';

const OUT_OF_PROC_DATA = '\n\n$OutOfProcData$:';

export interface EpisodeRequest {
  orchestrator: RegisteredFunction;
  instanceId: string;
  parentInstanceId?: string;
  input: unknown;
  /** Events of earlier episodes (replayed) followed by this episode's new events. */
  pastEvents: HistoryEvent[];
  newEvents: HistoryEvent[];
  invocationId: string;
  durableClientBinding?: () => unknown;
}

export type EpisodeOutcome =
  | { kind: 'state'; state: OrchestratorState; actions: OrchestratorAction[] }
  | { kind: 'failed'; message: string; customStatus?: unknown };

/**
 * Sent as the real extension does for Azure Storage, so timers over 6 days take the SDK's LongTimerTask path
 * (notes §1.8) and the engine mirrors its segment timers (longTimers.ts).
 */
const TIMER_SETTINGS = {
  longRunningTimerIntervalDuration: LONG_TIMER_INTERVAL.wire,
  maximumShortTimerDuration: MAXIMUM_SHORT_TIMER.wire,
  defaultHttpAsyncRequestSleepTimeMillseconds: 30000,
};

function triggerHistory(past: HistoryEvent[], fresh: HistoryEvent[]): HistoryEvent[] {
  // The SDK converts Timestamp strings to Dates in place, so it gets its own copy.
  const history: HistoryEvent[] = new Array(past.length + fresh.length);
  for (let i = 0; i < past.length; i++) history[i] = { ...past[i], IsPlayed: true };
  for (let i = 0; i < fresh.length; i++) history[past.length + i] = { ...fresh[i], IsPlayed: false };
  return history;
}

export async function invokeOrchestrator(request: EpisodeRequest): Promise<EpisodeOutcome> {
  const trigger = {
    history: triggerHistory(request.pastEvents, request.newEvents),
    input: request.input,
    instanceId: request.instanceId,
    isReplaying: request.pastEvents.length > 0,
    parentInstanceId: request.parentInstanceId ?? '',
    upperSchemaVersion: 1,
    upperSchemaVersionNew: 2,
    ...TIMER_SETTINGS,
  };
  const context = invocationContextFor(request.orchestrator, request.invocationId, request.durableClientBinding);
  let returned: unknown;
  try {
    returned = await request.orchestrator.handler(trigger, context);
  } catch (error) {
    return failureOutcome(error);
  }
  const repeated = repeatedTask(returned);
  if (repeated) return { kind: 'failed', message: repeated };
  const parsed = OrchestratorStateSchema.safeParse(JSON.parse(JSON.stringify(returned ?? null)));
  if (!parsed.success) {
    return { kind: 'failed', message: `devhost could not read the orchestrator's state: ${parsed.error.message}` };
  }
  const state = parsed.data;
  return { kind: 'state', state, actions: flattenActions(state.actions as OrchestratorAction[][], state.schemaVersion) };
}

function failureOutcome(error: unknown): EpisodeOutcome {
  const message = errorMessage(error);
  const at = message.indexOf(OUT_OF_PROC_DATA);
  if (at < 0) return { kind: 'failed', message };
  try {
    const state = JSON.parse(message.slice(at + OUT_OF_PROC_DATA.length)) as { error?: unknown; customStatus?: unknown };
    const reason = typeof state.error === 'string' ? state.error : message.slice(0, at);
    return { kind: 'failed', message: reason, customStatus: state.customStatus };
  } catch {
    return { kind: 'failed', message: message.slice(0, at) };
  }
}

function repeatedTask(returned: unknown): string | undefined {
  const state = returned as { actions?: unknown; schemaVersion?: unknown } | null;
  if (!state || !Array.isArray(state.actions) || typeof state.schemaVersion !== 'number') return undefined;
  const flat = flattenActions(state.actions as OrchestratorAction[][], state.schemaVersion);
  const index = firstRepeatedAction(flat);
  if (index < 0) return undefined;
  return (
    `the same task (${describeSignature(signatureOf(flat[index]))}) was yielded again inside Task.all/Task.any at action #${index}; ` +
    'the SDK gives it one sequence id but the host would schedule it twice, so later results would be mismatched. ' +
    'Yield each task once, or build Task.all/Task.any only from tasks not yielded before.'
  );
}
