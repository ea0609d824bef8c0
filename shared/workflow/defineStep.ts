/**
 * A step is declared once: its id, title, the system it talks to, its input and output schemas, and
 * what it does. The activity registration, the orchestrator's typed call, the status view's step list
 * and the plan are all derived from this declaration.
 *
 * Three kinds:
 * - ensure: read → diff → write. A plan runs read and diff only; a run adds write.
 * - check: reads and proves something (credentials, a token exchange); writes nothing.
 * - derive: computes its output from its input alone, inside the orchestrator (no activity hop).
 */
import type { z } from 'zod';
import type { StepDependencies } from './stepDependencies';
import type { StepPlan } from './stepPlan';

/** What a step reports besides its output. */
export interface StepReport<O> {
  output: O;
  detail?: string;
  /** Shown as warnings, never hidden next to a ✔. */
  warnings?: string[];
}

/** The plan of an ensure step, with the output a run would hand on (projected when the write has not happened). */
export type Diff<O> = StepPlan & { output: O; warnings?: string[] };

interface StepBase<I, O> {
  id: string;
  title: string;
  /** The system the step talks to, in messages: `my100001`, `subaccount 32fceecc-…`. */
  system(input: I): string;
  input: z.ZodType<I>;
  output: z.ZodType<O>;
}

export interface EnsureStep<I, C, O> extends StepBase<I, O> {
  kind: 'ensure';
  read(deps: StepDependencies, input: I): Promise<C>;
  diff(current: C, input: I): Diff<NoInfer<O>>;
  /**
   * Optional: what the write needs done first that does not touch the step's system (storing a generated
   * password), run while the journal records the intent instead of after it. Its result is the `current`
   * the write gets. Called only when write is; both it and the intent have finished before write starts.
   */
  prepareWrite?(deps: StepDependencies, input: I, current: C, diff: Diff<NoInfer<O>>): Promise<C>;
  /** Called only for create, update and delete; returns the real output. */
  write(deps: StepDependencies, input: I, current: C, diff: Diff<NoInfer<O>>): Promise<StepReport<NoInfer<O>>>;
  /** Bookkeeping a run does even when nothing changed (e.g. when the tenant was last verified); never in a plan. */
  touch?(deps: StepDependencies, input: I, current: C): Promise<void>;
}

export interface CheckStep<I, O> extends StepBase<I, O> {
  kind: 'check';
  outcome: 'checked' | 'verified';
  check(deps: StepDependencies, input: I): Promise<StepReport<NoInfer<O>>>;
  /** What a plan assumes instead of running the check; without it, plans run the check too. */
  assumeInPlan?(input: I): StepReport<NoInfer<O>>;
}

export interface DeriveStep<I, O> extends StepBase<I, O> {
  kind: 'derive';
  derive(input: I): StepReport<NoInfer<O>>;
}

export type AnyStep<I = any, O = any> = EnsureStep<I, any, O> | CheckStep<I, O> | DeriveStep<I, O>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A step bound to its input: what the orchestrator hands to `run.step` and `run.all`. */
export interface StepCall<O> {
  step: AnyStep<unknown, O>;
  input: unknown;
}

export type Step<I, O> = AnyStep<I, O> & { with(input: I): StepCall<O> };

type Declared<S> = S extends AnyStep<infer I, infer O> ? S & { with(input: I): StepCall<O> } : never;

export function defineStep<I, C, O>(step: Omit<EnsureStep<I, C, O>, 'kind'>): Declared<EnsureStep<I, C, O>>;
export function defineStep<I, O>(step: Omit<CheckStep<I, O>, 'kind'> & { kind: 'check' }): Declared<CheckStep<I, O>>;
export function defineStep<I, O>(step: Omit<DeriveStep<I, O>, 'kind'> & { kind: 'derive' }): Declared<DeriveStep<I, O>>;
export function defineStep(step: Record<string, unknown>): unknown {
  const declared = { kind: 'ensure', ...step } as unknown as AnyStep;
  return Object.assign(declared, { with: (input: unknown) => ({ step: declared, input }) });
}
