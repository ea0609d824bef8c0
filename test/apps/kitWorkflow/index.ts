/** The shelf workflow as an app of its own: its orchestrator and activities, the generic run API, health. */
import '../../../functions/http/health';
import { registerRunApi } from '../../../functions/http/runApi';
import { registerWorkflow } from '../../../shared/workflow/defineWorkflow';
import { shelf } from './workflow';

registerWorkflow(shelf);
registerRunApi(shelf, [shelf]);
