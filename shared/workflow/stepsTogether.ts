/**
 * The activity side of `run.together`: independent steps of one run executed side by side inside ONE
 * activity, so that they hold one of the host's activity slots instead of one each (issue 8: with two
 * pairs of parallel steps, 100 onboardings on 10 slots were bound by slot time, not by SAP). Each
 * step still runs through its own handler (input parsed inside the outcome wrapper, its telemetry, its
 * journal) and comes back as its own StepResult; the orchestrator retries a failed one on its own.
 */
import { z } from 'zod';
import { RunMode, type StepEnvelope, type StepResult } from './stepActivity';

export const StepsTogetherEnvelope = z.object({
  mode: RunMode,
  runId: z.string(),
  steps: z.array(z.object({ step: z.string(), input: z.unknown() })).min(2),
});
export type StepsTogetherEnvelope = z.infer<typeof StepsTogetherEnvelope>;

/** The results in the order of `envelope.steps`. A malformed envelope throws: a defect, which the orchestrator reports for every step of the group. */
export function stepsTogetherHandler(runStep: (stepId: string, envelope: StepEnvelope) => Promise<unknown>): (envelope: unknown) => Promise<StepResult<unknown>[]> {
  return async (envelope: unknown) => {
    const { mode, runId, steps } = StepsTogetherEnvelope.parse(envelope);
    return Promise.all(steps.map(({ step, input }) => runStep(step, { mode, runId, input }) as Promise<StepResult<unknown>>));
  };
}
