/**
 * What the Functions host registers of the Neo trust workflows when the app loads (shared/workflow/workflowRegistration.ts):
 * the definition, ./exportWorkflow.ts, ./importWorkflow.ts and ./restoreWorkflow.ts, loads at the first invocation. The activities are the steps it declares
 * that run as activities; test/unit/workflow/workflowRegistrations.test.ts holds the two together.
 */
import { workflowRegistration } from '../../shared/workflow/workflowRegistration';

const neoTrustExportRegistration = workflowRegistration({
  name: 'neoTrustExport',
  kind: 'neo-trust/exports',
  activities: ['neoTrustExport'],
  definition: () => (require('./exportWorkflow') as typeof import('./exportWorkflow')).neoTrustExport,
});

const neoTrustImportRegistration = workflowRegistration({
  name: 'neoTrustImport',
  kind: 'neo-trust/imports',
  activities: ['neoTrustValidate', 'neoTrustBackup', 'neoTrustImport', 'neoTrustReadBack', 'neoTrustRestore'],
  definition: () => (require('./importWorkflow') as typeof import('./importWorkflow')).neoTrustImport,
});

const neoTrustRestoreRegistration = workflowRegistration({
  name: 'neoTrustRestore',
  kind: 'neo-trust/restores',
  activities: ['neoTrustRestore'],
  definition: () => (require('./restoreWorkflow') as typeof import('./restoreWorkflow')).neoTrustRestore,
});

/** As ./workflows.ts lists the definitions: export, import (safe import), restore. */
export const neoTrustRegistrations = [neoTrustExportRegistration, neoTrustImportRegistration, neoTrustRestoreRegistration] as const;
