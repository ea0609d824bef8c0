/**
 * What the Functions host registers of the platformAttributeMapping when the app loads (shared/workflow/workflowRegistration.ts):
 * the definition, ./workflow.ts, loads at the first invocation. The activities are the steps it declares
 * that run as activities; test/unit/workflow/workflowRegistrations.test.ts holds the two together.
 */
import { workflowRegistration } from '../../shared/workflow/workflowRegistration';

export const platformAttributeMappingRegistration = workflowRegistration({
  name: 'platformAttributeMapping',
  kind: 'attribute-mappings',
  activities: ['corporateIdp', 'userDirectory', 'attributeMapping'],
  definition: () => (require('./workflow') as typeof import('./workflow')).platformAttributeMapping,
});
