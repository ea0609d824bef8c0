/**
 * What the Functions host registers of the iasApplicationTrust when the app loads (shared/workflow/workflowRegistration.ts):
 * the definition, ./workflow.ts, loads at the first invocation. The activities are the steps it declares
 * that run as activities; test/unit/workflow/workflowRegistrations.test.ts holds the two together.
 */
import { workflowRegistration } from '../../shared/workflow/workflowRegistration';

export const iasApplicationTrustRegistration = workflowRegistration({
  name: 'iasApplicationTrust',
  kind: 'ias-trusts',
  activities: [
    'neoLocalServiceProvider',
    'neoTrustValidate',
    'neoTrustBackup',
    'neoTrustImport',
    'neoTrustReadBack',
    'neoTrustRestore',
    'application',
    'assertionAttributes',
    'metadataUrl',
  ],
  definition: () => (require('./workflow') as typeof import('./workflow')).iasApplicationTrust,
});
