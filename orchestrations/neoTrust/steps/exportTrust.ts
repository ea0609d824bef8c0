/**
 * Export a subaccount's trust configuration. The full document (private key included) goes only to
 * the SecretStore, under the export id; the step's output (history, status, API) is the redacted copy,
 * its fingerprint and what the rules find in it. An export is never refused for what it holds: the
 * findings are shown, and an import of it is validated again.
 */
import { z } from 'zod';
import { defineStep } from '../../../shared/workflow/defineStep';
import { PermanentStepError } from '../../../shared/workflow/stepOutcome';
import { SapError } from '../../../shared/sap/errors';
import { adviceFor } from '../../../shared/sap/errorAdvice';
import { documentFingerprint, redactTrustDocument } from '../../../shared/neoTrust/redaction';
import { exportSecretName, storeSnapshot } from '../../../shared/neoTrust/trustVault';
import { checkTrustDocument } from '../../../shared/neoTrust/validateTrustDocument';
import { pacedNeoTrust, subaccountLabel } from '../../../shared/neoTrust/pacedNeoTrust';
import { NeoTrustTarget, TrustFindingView } from '../trustSchemas';

export const ExportInput = z.object({ source: NeoTrustTarget, exportId: z.string() });
export const Exported = z.object({
  exportId: z.string(),
  fingerprint: z.string(),
  useCase: z.string().optional(),
  findings: z.array(TrustFindingView),
  /** The configuration with the private key replaced by a description of its public key. */
  redacted: z.record(z.string(), z.unknown()),
});
export type Exported = z.infer<typeof Exported>;

export const exportTrust = defineStep({
  kind: 'check',
  outcome: 'checked',
  id: 'neoTrustExport',
  title: 'Export the trust configuration',
  system: (input) => subaccountLabel(input.source),
  input: ExportInput,
  output: Exported,
  // A plan of an export would have to store it to show it: it shows what it would read instead.
  assumeInPlan: (input) => ({ output: { exportId: input.exportId, fingerprint: '', findings: [], redacted: {} }, detail: `would export ${subaccountLabel(input.source)} into the secret store` }),
  async check(deps, input) {
    const system = subaccountLabel(input.source);
    const neo = await pacedNeoTrust(deps, input.source);
    let document: Record<string, unknown>;
    try {
      document = (await neo.exportTrust()) as Record<string, unknown>;
    } catch (e) {
      if (e instanceof SapError && e.kind === 'NotFound') throw new PermanentStepError({ system, kind: 'NotFound', message: e.message, fix: adviceFor(e) });
      throw e;
    }
    const fingerprint = documentFingerprint(document);
    await storeSnapshot(deps.secrets, exportSecretName(input.exportId), {
      kind: 'export',
      subaccount: { landscapeHost: input.source.landscapeHost, subaccount: input.source.subaccount },
      at: deps.now().toISOString(),
      fingerprint,
      document,
    });
    const checked = checkTrustDocument(document, deps.now());
    const findings = checked.ok
      ? checked.validation.warnings
      : checked.status === 422
        ? [...checked.validation.errors, ...checked.validation.warnings]
        : checked.fields.map((f) => ({ rule: 'schema', path: f.field, message: f.message, severity: 'error' as const }));
    const useCase = checked.ok || checked.status === 422 ? checked.validation.useCase : undefined;
    const errors = findings.filter((f) => f.severity === 'error');
    return {
      output: { exportId: input.exportId, fingerprint, ...(useCase ? { useCase } : {}), findings, redacted: redactTrustDocument(document as { localServiceProvider?: { signingKey?: string } }) as Record<string, unknown> },
      detail: `export ${input.exportId} (sha256 ${fingerprint.slice(0, 16)})${useCase ? `, use case ${useCase}` : ''}`,
      ...(errors.length ? { warnings: errors.map((f) => `an import of this export would be refused: ${f.path}: [${f.rule}] ${f.message}`) } : {}),
    };
  },
});
