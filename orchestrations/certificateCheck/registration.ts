/**
 * What the Functions host registers of the certificate check and its batches when the app loads (shared/workflow/workflowRegistration.ts):
 * the definition, ./workflow.ts and ./batch.ts, loads at the first invocation. The activities are the steps it declares
 * that run as activities; test/unit/workflow/workflowRegistrations.test.ts holds the two together.
 */
import { childWorkflowRegistration, workflowRegistration } from '../../shared/workflow/workflowRegistration';

export const certificateCheckRegistration = workflowRegistration({
  name: 'certificateCheck',
  kind: 'certificate-checks',
  activities: ['listRegistry', 'alert'],
  definition: () => (require('./workflow') as typeof import('./workflow')).certificateCheck,
});

export const certificateCheckBatchRegistration = childWorkflowRegistration({
  name: 'certificateCheckBatch',
  activities: ['checkSubaccounts'],
  definition: () => (require('./batch') as typeof import('./batch')).certificateCheckBatch,
});
