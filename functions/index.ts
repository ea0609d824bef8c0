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
// The rotation's rollback route, and the maintenance-window timer that starts rotations and repairs.
import './http/rotationRollback';
import './timers/certificateMaintenance';
import './http/repairMismatched';
import { registerHistoryPurge } from './timers/purgeHistory';
import { onboarding } from '../orchestrations/onboarding/workflow';
import { offboarding } from '../orchestrations/offboarding/workflow';
import { neoTrustWorkflows } from '../orchestrations/neoTrust/workflows';
import { iasApplicationTrust } from '../orchestrations/iasApplicationTrust/workflow';
import { platformAttributeMapping } from '../orchestrations/platformAttributeMapping/workflow';
import { rotation } from '../orchestrations/rotation/workflow';
import { repair } from '../orchestrations/repair/workflow';
import { certificateCheck } from '../orchestrations/certificateCheck/workflow';
import './certificateChecks';

/** Adding a workflow is one folder under orchestrations/ and one entry here. */
export const WORKFLOWS = [onboarding, offboarding, certificateCheck, rotation, repair, ...neoTrustWorkflows, iasApplicationTrust, platformAttributeMapping];

for (const workflow of WORKFLOWS) {
  registerWorkflow(workflow);
  registerRunApi(workflow, WORKFLOWS);
}
registerOpenApi(WORKFLOWS);
registerHistoryPurge(WORKFLOWS);
