/**
 * The activity side of a step: parse the input, then read → diff → write (or check), all inside the
 * outcome wrapper, so that a bad input is a permanent failure and not ten retries. Permanent and
 * transient failures both come back as values; the orchestrator decides whether to wait and retry.
 */
import { z } from 'zod';
import type { AnyStep, Diff, StepReport } from './defineStep';
import type { StepDependencies } from './stepDependencies';
import { stepFailureOf } from './stepFailureOf';
import { PermanentStepError, type StepFailure, type StepOutcome } from './stepOutcome';
import type { IntendedWrite } from './stepJournal';
import type { StepPlan } from './stepPlan';

export const RunMode = z.enum(['run', 'plan']);
export type RunMode = z.infer<typeof RunMode>;

/** What the orchestrator sends to every step activity. */
export const StepEnvelope = z.object({ mode: RunMode, runId: z.string(), input: z.unknown() });
export type StepEnvelope = z.infer<typeof StepEnvelope>;

export type StepResult<O> =
  | { ok: true; outcome: StepOutcome; output: O; detail?: string; warnings?: string[]; plan?: StepPlan }
  | { ok: false; failure: StepFailure; transient: boolean; retryAfterMs?: number };

const PAST: Record<IntendedWrite, StepOutcome> = { create: 'created', update: 'updated', delete: 'deleted' };

export async function executeStep<O>(step: AnyStep<unknown, O>, envelope: unknown, deps: () => Promise<StepDependencies>): Promise<StepResult<O>> {
  let system = step.id;
  let inputParsed = false;
  try {
    const { mode, runId, input: raw } = StepEnvelope.parse(envelope);
    const input = step.input.parse(raw);
    inputParsed = true;
    system = step.system(input);
    const report = await perform(step, mode, runId, input, await deps());
    return { ok: true, ...report, output: step.output.parse(report.output) };
  } catch (e) {
    // Only the envelope and the input are the run's fault; a schema failing later refused an answer (SAP's, or the step's own output).
    const classified = stepFailureOf(step.id, system, inputParsed && e instanceof z.ZodError ? unexpectedData(system, e) : e);
    return { ok: false, ...classified };
  }
}

function unexpectedData(system: string, e: z.ZodError): PermanentStepError {
  const fields = e.issues.map((i) => `${i.path.join('.') || '(value)'}: ${i.message}`).join('; ');
  return new PermanentStepError({
    system,
    kind: 'UnexpectedData',
    message: `an answer did not have the form this version expects (${fields})`,
    fix: 'This is a defect in the product or a change in the SAP API; report it with the run id and the fields named here.',
  });
}

type Performed<O> = StepReport<O> & { outcome: StepOutcome; plan?: StepPlan };

async function perform<I, O>(step: AnyStep<I, O>, mode: RunMode, runId: string, input: I, deps: StepDependencies): Promise<Performed<O>> {
  switch (step.kind) {
    case 'derive':
      return { ...step.derive(input), outcome: 'checked' };
    case 'check': {
      const report = mode === 'plan' && step.assumeInPlan ? step.assumeInPlan(input) : await step.check(deps, input);
      return { ...report, outcome: mode === 'plan' && step.assumeInPlan ? 'skipped' : step.outcome, plan: { action: 'check', changes: [], ...(report.detail ? { detail: report.detail } : {}) } };
    }
    case 'ensure': {
      const current = await step.read(deps, input);
      const diff = step.diff(current, input);
      const plan = planOf(diff);
      // A plan did nothing: its step says "skipped" and its plan says what a run would do.
      if (mode === 'plan') return { output: diff.output, outcome: 'skipped', plan, ...extras(diff) };
      if (diff.action === 'conflict') {
        throw conflictFailure(step.system(input), diff);
      }
      if (diff.action === 'create' || diff.action === 'update' || diff.action === 'delete') {
        // The intent is on record before SAP is touched, so that a crash after SAP's commit still reports
        // "created". The run's first intent wins: a create whose answer was lost finds a half-made object
        // on the retry and updates it. What the write prepares away from SAP runs meanwhile.
        const [intended, prepared] = await Promise.all([
          deps.journal.recordIntent(runId, step.id, diff.action),
          step.prepareWrite ? step.prepareWrite(deps, input, current, diff) : current,
        ]);
        const written = await step.write(deps, input, prepared, diff);
        const detail = [written.detail ?? diff.detail, intended !== diff.action ? 'finished after a restart' : undefined].filter(Boolean).join('; ');
        return { ...written, outcome: PAST[intended], plan, ...(detail ? { detail } : {}), warnings: [...(diff.warnings ?? []), ...(written.warnings ?? [])] };
      }
      await step.touch?.(deps, input, current);
      // Unchanged now, but this run may have written it before the host died: say what the run did.
      const intended = await deps.journal.intentOf(runId, step.id);
      const outcome = intended ? PAST[intended] : 'unchanged';
      return { output: diff.output, outcome, plan, ...extras(diff), ...(intended ? { detail: [diff.detail, 'finished after a restart'].filter(Boolean).join('; ') } : {}) };
    }
  }
}

function planOf<O>({ action, object, changes, detail, conflict }: Diff<O>): StepPlan {
  return { action, changes, ...(object ? { object } : {}), ...(detail ? { detail } : {}), ...(conflict ? { conflict } : {}) };
}

const extras = <O>(diff: Diff<O>) => ({ ...(diff.detail ? { detail: diff.detail } : {}), ...(diff.warnings?.length ? { warnings: diff.warnings } : {}) });

function conflictFailure<O>(system: string, diff: Diff<O>) {
  const usedBy = diff.conflict?.usedBy ?? [];
  return new PermanentStepError({
    system,
    kind: 'Conflict',
    message: `${diff.object ?? 'the object'} is not ours to change${usedBy.length ? `: it is used by ${usedBy.join(', ')}` : ''}${diff.detail ? ` (${diff.detail})` : ''}`,
    fix: diff.conflict?.fix ?? 'Choose another name in the request, or set the adopt option to take the object over knowingly.',
  });
}
