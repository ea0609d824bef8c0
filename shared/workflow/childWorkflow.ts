/**
 * A child workflow: steps and an orchestrator like any workflow, started only by a parent
 * (`run.children`), so it has no request, key or HTTP API. registerChildWorkflow registers its
 * orchestration and one activity per step, as registerWorkflow does for a workflow.
 */
import * as df from 'durable-functions';
import type { OrchestrationContext, Task } from 'durable-functions';
import { z } from 'zod';
import type { AnyStep } from './defineStep';
import { executeStep, RunMode } from './stepActivity';
import { stepDependencies } from './stepDependencies';
import { togetherActivityName } from './activityName';
import { stepsTogetherHandler } from './stepsTogether';
import { activityName, workflowRun, type WorkflowRun } from './workflowRun';
import { stepOf } from './defineWorkflow';

export interface ChildWorkflowDefinition<In = unknown, Res = unknown> {
  /** Orchestrator name and activity prefix. */
  name: string;
  /** Child ids are `<parent id>-<idPrefix>-<n>` (lower case). */
  idPrefix: string;
  input: z.ZodType<In>;
  steps: readonly AnyStep[];
  /** What the child's status shows besides its steps. */
  subjectOf?(input: In): Record<string, string>;
  orchestrate(run: WorkflowRun, input: In): Generator<Task, Res, unknown>;
}

export function defineChildWorkflow<In, Res>(child: ChildWorkflowDefinition<In, Res>): ChildWorkflowDefinition<In, Res> {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(child.idPrefix)) throw new Error(`child workflow ${child.name}: idPrefix must be lower case letters, digits and dashes`);
  // Also keeps every step's activity name apart from the child's `__together` activity.
  const misnamed = child.steps.find((s) => !/^[a-zA-Z][a-zA-Z0-9]*$/.test(s.id));
  if (misnamed) throw new Error(`child workflow ${child.name}: step id ${JSON.stringify(misnamed.id)} must be letters and digits, starting with a letter`);
  return child;
}

const ChildEnvelopeSchema = z.object({ mode: RunMode, input: z.unknown() });

export function registerChildWorkflow(child: ChildWorkflowDefinition<any, any>): void { // eslint-disable-line @typescript-eslint/no-explicit-any
  registerChildOrchestrator(child);
  for (const step of child.steps) {
    if (step.kind === 'derive') continue;
    df.app.activity(activityName(child.name, step.id), { handler: childStepActivityHandler(child, step.id) });
  }
  df.app.activity(togetherActivityName(child.name), { handler: childStepsTogetherActivityHandler(child) });
}

/** The orchestrator alone: replay tests register fake activities under the same names. */
export function registerChildOrchestrator(child: ChildWorkflowDefinition<any, any>): void { // eslint-disable-line @typescript-eslint/no-explicit-any
  df.app.orchestration(child.name, childOrchestrator(child));
}

/** What the child's orchestration runs (registerChildWorkflow, or a registration's first invocation). */
export function childOrchestrator(child: ChildWorkflowDefinition<any, any>) { // eslint-disable-line @typescript-eslint/no-explicit-any
  return function* (context: OrchestrationContext) {
    const { mode, input: raw } = ChildEnvelopeSchema.parse(context.df.getInput());
    const input = child.input.parse(raw);
    const run = workflowRun(context, child.name, child.steps, mode, child.subjectOf?.(input) ?? {});
    return yield* child.orchestrate(run, input);
  };
}

/** What the activity of one of the child's steps runs. */
export function childStepActivityHandler(child: ChildWorkflowDefinition<any, any>, stepId: string): (envelope: unknown) => Promise<unknown> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const step = stepOf(child, stepId);
  return (envelope: unknown) => executeStep(step, envelope, stepDependencies);
}

/** What the child's `run.together` activity runs: each step through its own handler. */
export function childStepsTogetherActivityHandler(child: ChildWorkflowDefinition<any, any>): (envelope: unknown) => Promise<unknown> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return stepsTogetherHandler((stepId, envelope) => childStepActivityHandler(child, stepId)(envelope));
}
