/**
 * App entry (package.json "main" → dist/functions/index.js): every function registers on import, by
 * name; what a function needs (workflow definitions, SAP clients, stores, schemas) loads at its first
 * invocation, so the entry loads little more than the Functions SDKs (bench/coldStart, issue 12).
 * test/unit/appEntry.test.ts checks that it stays so.
 */
// Telemetry starts in the appStart hook (see ./telemetry).
import './telemetry';
// Then: its hooks check the settings before any function runs.
import './http/settingsGate';
import './http/health';
import './appFunctions';
import { deferredDefinition, registerWorkflowLazily } from '../shared/workflow/workflowRegistration';
import { registerRunApiRoutes } from './http/runApiRoutes';
import { registerOpenApi } from './http/openapi';
import { registerHistoryPurge } from './timers/purgeHistory';
import { onboardingRegistration } from '../orchestrations/onboarding/registration';
import { offboardingRegistration } from '../orchestrations/offboarding/registration';
import { neoTrustRegistrations } from '../orchestrations/neoTrust/registration';
import { iasApplicationTrustRegistration } from '../orchestrations/iasApplicationTrust/registration';
import { platformAttributeMappingRegistration } from '../orchestrations/platformAttributeMapping/registration';
import { rotationRegistration } from '../orchestrations/rotation/registration';
import { repairRegistration } from '../orchestrations/repair/registration';
import { certificateCheckRegistration } from '../orchestrations/certificateCheck/registration';
import './certificateChecks';

/** Adding a workflow is one folder under orchestrations/ (its workflow.ts and registration.ts) and one entry here. */
export const WORKFLOW_REGISTRATIONS = [
  onboardingRegistration,
  offboardingRegistration,
  certificateCheckRegistration,
  rotationRegistration,
  repairRegistration,
  ...neoTrustRegistrations,
  iasApplicationTrustRegistration,
  platformAttributeMappingRegistration,
];

/** The workflows as the run API, openapi.json and the history purge read them: each definition loads when first read. */
export const WORKFLOWS = WORKFLOW_REGISTRATIONS.map(deferredDefinition);

const runApi = () => require('./http/runApi') as typeof import('./http/runApi');
for (const [i, registration] of WORKFLOW_REGISTRATIONS.entries()) {
  registerWorkflowLazily(registration);
  registerRunApiRoutes(registration, () => runApi().runApiHandlers(WORKFLOWS[i], WORKFLOWS));
}
registerOpenApi(WORKFLOWS);
registerHistoryPurge(WORKFLOWS);
