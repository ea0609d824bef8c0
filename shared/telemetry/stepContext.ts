/**
 * Which run and which step the current code works for, carried through every await of an activity
 * (AsyncLocalStorage), so that each log line, SAP call span and event says it without being passed
 * down. Orchestrators never enter it: they replay and do no I/O.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface StepContext {
  workflow: string;
  runId: string;
  step: string;
}

const storage = new AsyncLocalStorage<StepContext>();

export function runInStepContext<T>(context: StepContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentStepContext(): StepContext | undefined {
  return storage.getStore();
}

/** The attributes every telemetry item of a step carries (App Insights customDimensions). */
export function stepAttributes(context = currentStepContext()): Record<string, string> {
  return context ? { 'sapTrust.workflow': context.workflow, 'sapTrust.runId': context.runId, 'sapTrust.step': context.step } : {};
}
