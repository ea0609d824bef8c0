/**
 * What the Functions host must know of a workflow when the app loads: its orchestration's name, its
 * route and the steps that run as activities (plus the one activity of `run.together`). The
 * definition itself (steps, schemas, SAP clients, stores) loads at the first invocation that needs
 * it: loading all of them in the entry made the cold start three times as long as the SDKs' own
 * (bench/coldStart, issue 12).
 *
 * So this module, and each workflow's registration.ts, import nothing but durable-functions.
 * test/unit/workflow/workflowRegistrations.test.ts holds every registration to its definition.
 */
import * as df from 'durable-functions';
import type { OrchestrationContext, Task } from 'durable-functions';
import { activityName, togetherActivityName } from './activityName';
import type { ChildWorkflowDefinition } from './childWorkflow';
import type { WorkflowDefinition } from './defineWorkflow';

interface Registration<D> {
  /** The orchestration's name (= the definition's name). */
  name: string;
  /** The ids of the steps that run as activities (every step but `derive` ones), as the definition declares them. */
  activities: readonly string[];
  /** Loads the definition (once): `() => require('./workflow').x`. */
  definition(): D;
}

export interface WorkflowRegistration extends Registration<WorkflowDefinition<any, any>> { // eslint-disable-line @typescript-eslint/no-explicit-any
  /** The route segment: `POST /api/<kind>` (= the definition's kind). */
  kind: string;
}

export type ChildWorkflowRegistration = Registration<ChildWorkflowDefinition<any, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function workflowRegistration(registration: WorkflowRegistration): WorkflowRegistration {
  return { ...registration, definition: once(registration.definition) };
}

export function childWorkflowRegistration(registration: ChildWorkflowRegistration): ChildWorkflowRegistration {
  return { ...registration, definition: once(registration.definition) };
}

interface Handlers {
  orchestrator(context: OrchestrationContext): Generator<Task, unknown, unknown>;
  activity(stepId: string): (envelope: unknown) => Promise<unknown>;
  /** The activity of `run.together`. */
  together(): (envelope: unknown) => Promise<unknown>;
}

/** The orchestration and one activity per step, by name; each loads the definition at its first invocation. */
export function registerWorkflowLazily(registration: WorkflowRegistration): void {
  registerLazily(registration, () => {
    const kit = require('./defineWorkflow') as typeof import('./defineWorkflow');
    const workflow = registration.definition();
    return { orchestrator: kit.workflowOrchestrator(workflow), activity: (id) => kit.stepActivityHandler(workflow, id), together: () => kit.stepsTogetherActivityHandler(workflow) };
  });
}

export function registerChildWorkflowLazily(registration: ChildWorkflowRegistration): void {
  registerLazily(registration, () => {
    const kit = require('./childWorkflow') as typeof import('./childWorkflow');
    const child = registration.definition();
    return { orchestrator: kit.childOrchestrator(child), activity: (id) => kit.childStepActivityHandler(child, id), together: () => kit.childStepsTogetherActivityHandler(child) };
  });
}

function registerLazily(registration: Registration<unknown>, load: () => Handlers): void {
  const handlers = once(load);
  df.app.orchestration(registration.name, function* (context: OrchestrationContext) {
    return yield* handlers().orchestrator(context);
  });
  for (const id of registration.activities) {
    const activity = once(() => handlers().activity(id));
    df.app.activity(activityName(registration.name, id), { handler: (envelope: unknown) => activity()(envelope) });
  }
  const together = once(() => handlers().together());
  df.app.activity(togetherActivityName(registration.name), { handler: (envelope: unknown) => together()(envelope) });
}

/**
 * The registration as a definition, for code that reads a workflow's name and kind when it registers
 * and the rest when it runs (the run API, openapi.json, the history purge): reading anything else
 * loads the definition.
 */
export function deferredDefinition(registration: WorkflowRegistration): WorkflowDefinition<any, any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return new Proxy({} as WorkflowDefinition<any, any>, { // eslint-disable-line @typescript-eslint/no-explicit-any
    get: (_target, property) => (property === 'name' ? registration.name : property === 'kind' ? registration.kind : Reflect.get(registration.definition(), property)),
    has: (_target, property) => Reflect.has(registration.definition(), property),
  });
}

function once<T>(load: () => T): () => T {
  let loaded: { value: T } | undefined;
  return () => (loaded ??= { value: load() }).value;
}
