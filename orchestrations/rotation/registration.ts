/**
 * What the Functions host registers of the rotation when the app loads (shared/workflow/workflowRegistration.ts):
 * the definition, ./workflow.ts, loads at the first invocation. The activities are the steps it declares
 * that run as activities; test/unit/workflow/workflowRegistrations.test.ts holds the two together.
 */
import { workflowRegistration } from '../../shared/workflow/workflowRegistration';

export const rotationRegistration = workflowRegistration({
  name: 'rotation',
  kind: 'rotations',
  activities: [
    'subaccountPreflight',
    'tenantPreflight',
    'passiveCertificate',
    'manualUpload',
    'cutOver',
    'restoreCertificate',
    'verifyTokenExchange',
    'pushAgain',
    'recordTenants',
    'rollbackCutOver',
    'verifyAfterRollback',
    'deleteOldCertificate',
  ],
  definition: () => (require('./workflow') as typeof import('./workflow')).rotation,
});
