/**
 * The seam between the Functions host half of devhost (devhost/host: loader, HTTP, keys, timers,
 * management API routes) and the Durable engine half (devhost/engine: replay, persistence, scheduling).
 */
import type { InvocationContext } from '@azure/functions';

/** One registration captured through `@azure/functions-core`'s `registerFunction(metadata, callback)`. */
export interface RegisteredFunction {
  name: string;
  /** Raw metadata as the library sent it: `{ name, bindings: { [bindingName]: { type, direction, ... } }, retryOptions? }`. */
  metadata: { name: string; bindings: Record<string, BindingMetadata>; [key: string]: unknown };
  /** The trigger binding's type: httpTrigger, timerTrigger, orchestrationTrigger, activityTrigger, entityTrigger, ... */
  triggerType: string;
  /** The real handler, called as the Node worker calls it: `(triggerInput, invocationContext)`. */
  handler: (triggerInput: unknown, context: InvocationContext) => unknown;
}

export interface BindingMetadata {
  type: string;
  name: string;
  direction: 'in' | 'out' | 'inout';
  [key: string]: unknown;
}

export interface FunctionRegistry {
  get(name: string): RegisteredFunction | undefined;
  all(): RegisteredFunction[];
}

export type RuntimeStatus =
  | 'Pending'
  | 'Running'
  | 'Completed'
  | 'ContinuedAsNew'
  | 'Failed'
  | 'Terminated'
  | 'Suspended';

/** A history event as the management API shows it with showHistory=true. */
export type HistoryEventView = Record<string, unknown>;

export interface InstanceStatus {
  name: string;
  instanceId: string;
  runtimeStatus: RuntimeStatus;
  input: unknown;
  customStatus: unknown;
  output: unknown;
  createdTime: string;
  lastUpdatedTime: string;
  historyEvents?: HistoryEventView[];
}

export interface StatusQuery {
  showHistory?: boolean;
  showHistoryOutput?: boolean;
  showInput?: boolean;
}

export interface ListQuery {
  runtimeStatus?: RuntimeStatus[];
  createdTimeFrom?: Date;
  createdTimeTo?: Date;
  instanceIdPrefix?: string;
  top?: number;
  continuationToken?: string;
  showInput?: boolean;
}

export interface ListResult {
  instances: InstanceStatus[];
  continuationToken?: string;
}

/** Thrown by startNew when an instance with that id exists and is not in a terminal state. */
export class InstanceAlreadyRunningError extends Error {
  constructor(readonly instanceId: string) {
    super(`Instance '${instanceId}' already exists and is still running`);
    this.name = 'InstanceAlreadyRunningError';
  }
}

export class InstanceNotFoundError extends Error {
  constructor(readonly instanceId: string) {
    super(`No instance with id '${instanceId}'`);
    this.name = 'InstanceNotFoundError';
  }
}

/** Thrown when an operation needs a running instance (raiseEvent, terminate) and it has ended. */
export class InstanceNotRunningError extends Error {
  constructor(readonly instanceId: string, readonly runtimeStatus: RuntimeStatus) {
    super(`Instance '${instanceId}' is ${runtimeStatus}`);
    this.name = 'InstanceNotRunningError';
  }
}

/** Thrown by startNew for a name that is not a registered orchestrator. */
export class UnknownOrchestratorError extends Error {
  constructor(readonly functionName: string) {
    super(`No orchestrator function named '${functionName}' is registered`);
    this.name = 'UnknownOrchestratorError';
  }
}

export interface InvocationLogEntry {
  function: string;
  kind: 'orchestrator' | 'activity' | 'http' | 'timer' | 'entity' | 'other';
  instanceId?: string;
  invocationId: string;
  durationMs: number;
  outcome: 'Succeeded' | 'Failed';
  error?: string;
}

/** The engine's notion of now: history Timestamps, timer due times. Default: real time. */
export interface EngineClock {
  now(): number;
  /** Called after the clock jumps forward, so armed timers can be re-checked. Returns an unsubscribe function. */
  onAdvance?(listener: () => void): () => void;
}

export interface EngineOptions {
  registry: FunctionRegistry;
  /** devhost's adjustable clock (dev/test); default real time. */
  clock?: EngineClock;
  /** Where durable state lives (a subfolder of DATA_DIR). */
  stateDir: string;
  /** host.json extensions.durableTask.maxConcurrentActivityFunctions, default 10. */
  maxConcurrentActivityFunctions?: number;
  /** host.json extensions.durableTask.hubName. */
  hubName?: string;
  /** Called once per function invocation the engine performs. */
  logInvocation?: (entry: InvocationLogEntry) => void;
  /**
   * Builds the value for a durableClient extra input, for activities or orchestrations that declare one.
   * Supplied by the host because it knows the management API's base URL.
   */
  durableClientBinding?: () => unknown;
}

export interface DurableEngine {
  /** Loads persisted instances and resumes every one that was running. */
  start(): Promise<void>;
  /** Stops scheduling; waits for in-flight work up to a short grace period. */
  stop(): Promise<void>;
  startNew(orchestratorName: string, options: { instanceId?: string; input?: unknown }): Promise<string>;
  getStatus(instanceId: string, query?: StatusQuery): Promise<InstanceStatus | undefined>;
  list(query?: ListQuery): Promise<ListResult>;
  raiseEvent(instanceId: string, eventName: string, data: unknown): Promise<void>;
  terminate(instanceId: string, reason: string): Promise<void>;
  /** Removes a terminal instance's state; true when something was removed. */
  purge(instanceId: string): Promise<boolean>;
  purgeMany(query: { runtimeStatus?: RuntimeStatus[]; createdTimeFrom?: Date; createdTimeTo?: Date }): Promise<number>;
  /** Resolves when the instance reaches a terminal state (test and CLI convenience). */
  waitForCompletion(instanceId: string, timeoutMs?: number): Promise<InstanceStatus>;
}
