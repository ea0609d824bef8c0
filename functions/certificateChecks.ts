/** Everything of the certificate check besides its run API: the batch sub-orchestration, the timer, the report. */
import { registerChildWorkflow } from '../shared/workflow/childWorkflow';
import { certificateCheckBatch } from '../orchestrations/certificateCheck/batch';
import './timers/certificateCheckTimer';
import './http/certificates';

registerChildWorkflow(certificateCheckBatch);
