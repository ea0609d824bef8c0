/** The Neo trust workflows, for functions/index.ts: export, import (safe import), restore. */
import { neoTrustExport } from './exportWorkflow';
import { neoTrustImport } from './importWorkflow';
import { neoTrustRestore } from './restoreWorkflow';

export const neoTrustWorkflows = [neoTrustExport, neoTrustImport, neoTrustRestore] as const;
