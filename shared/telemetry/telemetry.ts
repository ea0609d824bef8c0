/**
 * The product's telemetry, as the rest of the code sees it: a span per SAP call, operator log lines
 * and custom events. Off unless APPLICATIONINSIGHTS_CONNECTION_STRING is set; then the Azure Monitor
 * OpenTelemetry distro is loaded (azureMonitor.ts) — only then, because it is a large part of a cold
 * start. With telemetry off, log lines go to the console (devhost prints them), spans and events
 * nowhere.
 *
 * What may be recorded: host names, operation names, statuses, durations, run ids, step ids, secret
 * NAMES. Never a request or response body, never a header value, never a secret value.
 */
import { currentStepContext, stepAttributes } from './stepContext';
import { telemetryOptionsFromEnv, type TelemetryOptions } from './telemetryOptions';

export type LogLevel = 'info' | 'warn' | 'error';
export type TelemetryAttributes = Record<string, string | number | boolean>;

export interface SapCallDescription {
  /** `S4`, `Destination`, `Xsuaa`, ... */
  api: string;
  /** The tenant or host the errors name. */
  system: string;
  host: string;
  /** In SAP's words: `CommunicationUsers create`. */
  operation: string;
  method: string;
}

export interface SapCallOutcome {
  /** HTTP status, when SAP answered. */
  status?: number;
  /** SapError kind (Transient, Invalid, ...) or the network code, when the call failed. */
  failure?: string;
}

/** What azureMonitor.ts provides once started; the light side only calls through it. */
export interface TelemetryPipeline {
  sapCall<T>(call: SapCallDescription, fn: () => Promise<T>, outcomeOf: (result: T) => SapCallOutcome, failureOf: (e: unknown) => SapCallOutcome): Promise<T>;
  log(level: LogLevel, message: string, attributes: TelemetryAttributes): void;
  event(name: string, attributes: TelemetryAttributes): void;
  stop(): Promise<void>;
}

/** Extra processors, for a test's in-process exporter (the same hooks useAzureMonitor offers). */
export interface TelemetryExtras {
  spanProcessors?: unknown[];
  logRecordProcessors?: unknown[];
}

let pipeline: TelemetryPipeline | undefined;

/**
 * Starts telemetry when the environment asks for it; a second call changes nothing (the first
 * start wins, so a test may start it with its own exporter before the app does).
 */
export function startTelemetry(env: Record<string, string | undefined> = process.env, extras: TelemetryExtras = {}): 'on' | 'off' {
  if (pipeline) return 'on';
  const options: TelemetryOptions | undefined = telemetryOptionsFromEnv(env);
  if (!options) return 'off';
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startAzureMonitor } = require('./azureMonitor') as typeof import('./azureMonitor');
  pipeline = startAzureMonitor(options, extras);
  return 'on';
}

/** Flushes and stops (tests; the Functions host ends the process itself). */
export async function stopTelemetry(): Promise<void> {
  const running = pipeline;
  pipeline = undefined;
  await running?.stop();
}

export function telemetryIsOn(): boolean {
  return pipeline !== undefined;
}

/** Runs one SAP HTTP exchange inside a client span (App Insights: a dependency) when telemetry is on. */
export function traceSapCall<T>(call: SapCallDescription, fn: () => Promise<T>, outcomeOf: (result: T) => SapCallOutcome, failureOf: (e: unknown) => SapCallOutcome): Promise<T> {
  return pipeline ? pipeline.sapCall(call, fn, outcomeOf, failureOf) : fn();
}

/** One line for the operator, with the run id and the step of the current activity. */
export function operatorLog(level: LogLevel, message: string, attributes: TelemetryAttributes = {}): void {
  const context = currentStepContext();
  const all = { ...attributes, ...stepAttributes(context) };
  if (pipeline) {
    pipeline.log(level, message, all);
    return;
  }
  const prefix = context ? `[${context.runId} ${context.step}] ` : '';
  const line = `${prefix}${message}`;
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.info(line);
}

/** An App Insights custom event (customEvents table); nothing when telemetry is off. */
export function telemetryEvent(name: string, attributes: TelemetryAttributes = {}): void {
  pipeline?.event(name, { ...attributes, ...stepAttributes() });
}
