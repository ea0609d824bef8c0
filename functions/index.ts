/** App entry (package.json "main" → dist/functions/index.js): every function registers on import. */
// Telemetry starts in the appStart hook (see ./telemetry).
import './telemetry';
// Then: its hooks check the settings before any function runs.
import './http/settingsGate';
import './http/health';
import './http/credentials';
import { registerWorkflow } from '../shared/workflow/defineWorkflow';
import { registerRunApi } from './http/runApi';
import { registerOpenApi } from './http/openapi';
import { registerHistoryPurge } from './timers/purgeHistory';
import { onboarding } from '../orchestrations/onboarding/workflow';

/** Adding a workflow is one folder under orchestrations/ and one entry here. */
export const WORKFLOWS = [onboarding];

for (const workflow of WORKFLOWS) {
  registerWorkflow(workflow);
  registerRunApi(workflow, WORKFLOWS);
}
registerOpenApi(WORKFLOWS);
registerHistoryPurge(WORKFLOWS);
