/**
 * What the Functions host registers of the onboarding when the app loads (shared/workflow/workflowRegistration.ts):
 * the definition, ./workflow.ts, loads at the first invocation. The activities are the steps it declares
 * that run as activities; test/unit/workflow/workflowRegistrations.test.ts holds the two together.
 */
import { workflowRegistration } from '../../shared/workflow/workflowRegistration';

export const onboardingRegistration = workflowRegistration({
  name: 'onboarding',
  kind: 'onboardings',
  activities: [
    'preflight',
    'trustCertificate',
    'communicationUser',
    'communicationSystem',
    'arrangement',
    'destination',
    'verify',
    'record',
  ],
  definition: () => (require('./workflow') as typeof import('./workflow')).onboarding,
});
