/**
 * Export a Neo subaccount's trust configuration (POST /api/neo-trust/exports). The export id is the
 * run id; the full document waits in the SecretStore for an import, the run shows the redacted copy.
 */
import { z } from 'zod';
import { defineWorkflow, type Prepared } from '../../shared/workflow/defineWorkflow';
import { validationErrors } from '../../shared/schemas/fieldErrors';
import { runtimeServices } from '../../shared/config/runtimeServices';
import { NeoTrustTarget } from './trustSchemas';
import { exportTrust, Exported } from './steps/exportTrust';
import { neoCredentialProblems, targetKey } from './credentialCheck';

export const NeoTrustExportRequest = z.strictObject({ source: NeoTrustTarget });
export const NeoTrustExportInput = z.object({ source: NeoTrustTarget });
export type NeoTrustExportInput = z.infer<typeof NeoTrustExportInput>;

async function prepareExport(body: unknown): Promise<Prepared<NeoTrustExportInput>> {
  const parsed = NeoTrustExportRequest.safeParse(body);
  if (!parsed.success) return { ok: false, status: 400, fields: validationErrors(parsed.error, NeoTrustExportRequest) };
  const problems = await neoCredentialProblems(runtimeServices().secrets, 'source.credentialSecret', parsed.data.source.credentialSecret);
  if (problems.length) return { ok: false, status: 422, fields: problems };
  return { ok: true, input: { source: parsed.data.source } };
}

export const neoTrustExport = defineWorkflow<NeoTrustExportInput, Exported>({
  kind: 'neo-trust/exports',
  name: 'neoTrustExport',
  noun: 'Neo trust export',
  idPrefix: 'neo-export',
  request: NeoTrustExportRequest,
  prepare: prepareExport,
  input: NeoTrustExportInput,
  key: (input) => targetKey(input.source),
  subject: z.object({ subaccount: z.string(), landscapeHost: z.string() }),
  subjectOf: (input) => ({ subaccount: input.source.subaccount, landscapeHost: input.source.landscapeHost }),
  steps: [exportTrust],
  result: Exported,
  *orchestrate(run, input) {
    return yield* run.step(exportTrust.with({ source: input.source, exportId: run.id }));
  },
});
