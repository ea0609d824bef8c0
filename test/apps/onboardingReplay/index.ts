/**
 * The real onboarding orchestrator with fake activities under the real activity names, for replay tests
 * on devhost's engine (not product code). The derive step (oauthDetails) runs inside the orchestrator.
 */
import * as df from 'durable-functions';
import { onboarding } from '../../../orchestrations/onboarding/workflow';
import { registerOrchestrator } from '../../../shared/workflow/defineWorkflow';
import type { StepEnvelope } from '../../../shared/workflow/stepActivity';
import { stepsTogetherHandler } from '../../../shared/workflow/stepsTogether';
import { replacedGroupAnswer, runFake } from './fakeActivities';
import { defaultOutputs } from './outputs';

registerOrchestrator(onboarding);

for (const step of onboarding.steps) {
  if (step.kind === 'derive') continue;
  // Spelled out, not derived: the activity names are a contract with the deployed app.
  df.app.activity(`onboarding_${step.id}`, { handler: (envelope: StepEnvelope) => runFake(step.id, envelope, defaultOutputs[step.id]) });
}
// run.together's one activity for the steps that run side by side (the kit's own handler, fake steps).
const together = stepsTogetherHandler((step, envelope) => runFake(step, envelope, defaultOutputs[step]));
df.app.activity('onboarding__together', { handler: (envelope: StepEnvelope & { steps: unknown }) => replacedGroupAnswer(envelope) ?? together(envelope) });
