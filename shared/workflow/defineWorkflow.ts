/**
 * A workflow is declared once: its kind (the route), its request, how the request becomes the
 * orchestration input, the key that allows one run at a time, its steps and its orchestrator.
 * registerWorkflow derives the orchestration and one activity per step from that declaration.
 */
import * as df from 'durable-functions';
import type { OrchestrationContext, Task } from 'durable-functions';
import { z } from 'zod';
import type { FieldError } from '../schemas/fieldErrors';
import type { AnyStep } from './defineStep';
import type { WorkflowStatus } from './workflowStatus';
import { executeStep, RunMode } from './stepActivity';
import { observeStep } from '../telemetry/stepTelemetry';
import type { StepDependencies } from './stepDependencies';
import { togetherActivityName } from './activityName';
import { stepsTogetherHandler } from './stepsTogether';
import { activityName, workflowRun, type WorkflowRun } from './workflowRun';

export type Prepared<In> = { ok: true; input: In } | { ok: false; status: 400 | 422; fields: FieldError[] };

export interface WorkflowDefinition<In = unknown, Res = unknown> {
  /** The route segment: `POST /api/<kind>`. */
  kind: string;
  /** Orchestrator name and activity prefix. */
  name: string;
  /** How messages name one run: "onboarding", "offboarding". */
  noun: string;
  /** Instance ids are `<idPrefix>-<key>-r<n>` (or `<idPrefix>-<key>` with oneRunPerKey). */
  idPrefix: string;
  /** The POST body as documented in openapi.json. */
  request: z.ZodType;
  /** Body → orchestration input: 400 for its shape, 422 for what it refers to. Calls no SAP system. */
  prepare(body: unknown): Promise<Prepared<In>>;
  input: z.ZodType<In>;
  /** One run at a time per key (lower case, e.g. `<tenant>-<subaccount>`). */
  key(input: In): string;
  /**
   * One run per key for good: its id is `<idPrefix>-<key>`, with no run number. A start while that run
   * is active, or after it has ended, answers 409 with its id; only `rerun(input)` (an explicit field of
   * the request) starts the same id again, once it has ended, and Durable replaces its history.
   */
  oneRunPerKey?: { rerun(input: In): boolean; how: string };
  /** Workflows of one group share keys and exclude each other (an offboarding waits for no onboarding of the same tenant). */
  exclusiveGroup?: string;
  /**
   * Runs of other workflows this one must not overlap: a start answers 409 while one is active (and,
   * with `while`, in a state that matters), e.g. an onboarding while its subaccount's certificate is being cut over.
   */
  blockedBy?: Array<{ workflow: string; key(input: In): string; while?(status: WorkflowStatus | undefined): boolean }>;
  /** What the views show about a run besides its steps, e.g. `{tenant, subaccountId}`. */
  subject: z.ZodObject<Record<string, z.ZodType<string>>>;
  subjectOf(input: In): Record<string, string>;
  steps: readonly AnyStep[];
  result: z.ZodType<Res>;
  orchestrate(run: WorkflowRun, input: In): Generator<Task, Res, unknown>;
}

export function defineWorkflow<In, Res>(workflow: WorkflowDefinition<In, Res>): WorkflowDefinition<In, Res> {
  const ids = workflow.steps.map((s) => s.id);
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate) throw new Error(`workflow ${workflow.name} declares step ${duplicate} twice`);
  // Also keeps every step's activity name apart from the workflow's `__together` activity.
  const misnamed = ids.find((id) => !/^[a-zA-Z][a-zA-Z0-9]*$/.test(id));
  if (misnamed !== undefined) throw new Error(`workflow ${workflow.name}: step id ${JSON.stringify(misnamed)} must be letters and digits, starting with a letter`);
  return workflow;
}

/** The orchestration input: the workflow's input and whether this is a plan. */
export const OrchestrationInput = z.object({ mode: RunMode, input: z.unknown() });
export type OrchestrationInput = z.infer<typeof OrchestrationInput>;

/** The SAP clients and stores, built at a step's first run: they are not needed to load the app (cold start). */
function stepDependencies(): Promise<StepDependencies> {
  return (require('./stepDependencies') as typeof import('./stepDependencies')).stepDependencies();
}

export function registerWorkflow(workflow: WorkflowDefinition<any, any>): void { // eslint-disable-line @typescript-eslint/no-explicit-any
  registerOrchestrator(workflow);
  for (const step of workflow.steps) {
    if (step.kind === 'derive') continue;
    df.app.activity(activityName(workflow.name, step.id), { handler: stepActivityHandler(workflow, step.id) });
  }
  df.app.activity(togetherActivityName(workflow.name), { handler: stepsTogetherActivityHandler(workflow) });
}

/** The orchestrator alone: replay tests register fake activities under the same names. */
export function registerOrchestrator(workflow: WorkflowDefinition<any, any>): void { // eslint-disable-line @typescript-eslint/no-explicit-any
  df.app.orchestration(workflow.name, workflowOrchestrator(workflow));
}

/** What the workflow's orchestration runs (registerWorkflow, or a registration's first invocation). */
export function workflowOrchestrator(workflow: WorkflowDefinition<any, any>) { // eslint-disable-line @typescript-eslint/no-explicit-any
  return function* (context: OrchestrationContext) {
    const { mode, input: raw } = OrchestrationInput.parse(context.df.getInput());
    const input = workflow.input.parse(raw);
    const run = workflowRun(context, workflow.name, workflow.steps, mode, workflow.subjectOf(input));
    const result = yield* workflow.orchestrate(run, input);
    return mode === 'plan' ? { plan: run.progress.steps() } : result;
  };
}

/** What the activity of one of the workflow's steps runs. */
export function stepActivityHandler(workflow: WorkflowDefinition<any, any>, stepId: string): (envelope: unknown) => Promise<unknown> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const step = stepOf(workflow, stepId);
  return (envelope: unknown) => observeStep(workflow.name, step.id, envelope, () => executeStep(step, envelope, stepDependencies));
}

/** What the workflow's `run.together` activity runs: each step through its own handler. */
export function stepsTogetherActivityHandler(workflow: WorkflowDefinition<any, any>): (envelope: unknown) => Promise<unknown> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return stepsTogetherHandler((stepId, envelope) => stepActivityHandler(workflow, stepId)(envelope));
}

export function stepOf(workflow: { name: string; steps: readonly AnyStep[] }, stepId: string): AnyStep {
  const step = workflow.steps.find((s) => s.id === stepId && s.kind !== 'derive');
  if (!step) throw new Error(`workflow ${workflow.name} has no step ${stepId} that runs as an activity, but an activity was registered for it: update the workflow's registration.ts`);
  return step;
}
