/**
 * Import a trust configuration into a Neo subaccount (POST /api/neo-trust/imports), from an export id
 * or a document, through the safe import. The request is checked here, before any run: its shape (400
 * with the JSON path), the document's rules (422 naming the rule), the credential (422). A document
 * in the body is stored in the SecretStore at once; the run carries its name only.
 */
import { z } from 'zod';
import { defineWorkflow, type Prepared } from '../../shared/workflow/defineWorkflow';
import { validationErrors, type FieldError } from '../../shared/schemas/fieldErrors';
import { InstanceId } from '../../shared/schemas/instanceId';
import { runtimeServices } from '../../shared/config/runtimeServices';
import { checkTrustDocument } from '../../shared/neoTrust/validateTrustDocument';
import { exportSecretName, readSnapshot, storeTrustDocument } from '../../shared/neoTrust/trustVault';
import { documentFingerprint } from '../../shared/neoTrust/redaction';
import { NeoTrustTarget } from './trustSchemas';
import { neoCredentialProblems, targetKey } from './credentialCheck';
import { neoTrustSafeImportSteps, safeNeoTrustImport, SafeImportResult } from './safeImport';

export const NeoTrustImportRequest = z
  .strictObject({
    target: NeoTrustTarget,
    /** An export run's id (GET /api/neo-trust/exports). */
    exportId: InstanceId.optional(),
    /** A trust configuration exactly as the Neo Trust Management API speaks it. */
    document: z.record(z.string(), z.unknown()).optional(),
  })
  .refine((r) => (r.exportId === undefined) !== (r.document === undefined), { message: 'give exactly one of exportId and document', path: ['exportId'] });
export type NeoTrustImportRequest = z.infer<typeof NeoTrustImportRequest>;

export const NeoTrustImportInput = z.object({ target: NeoTrustTarget, documentSecret: z.string(), fingerprint: z.string(), source: z.string() });
export type NeoTrustImportInput = z.infer<typeof NeoTrustImportInput>;

type Failed = Extract<Prepared<never>, { ok: false }>;
const failed = (status: 400 | 422, fields: FieldError[]): Failed => ({ ok: false, status, fields });

export async function prepareImport(body: unknown, now = new Date()): Promise<Prepared<NeoTrustImportInput>> {
  const parsed = NeoTrustImportRequest.safeParse(body);
  if (!parsed.success) return failed(400, validationErrors(parsed.error, NeoTrustImportRequest));
  const { target, exportId, document } = parsed.data;
  const { secrets } = runtimeServices();
  let stored: { documentSecret: string; fingerprint: string; source: string };
  if (document !== undefined) {
    const checked = checkTrustDocument(document, now, 'document');
    if (!checked.ok) return failed(checked.status, checked.fields);
    const credential = await neoCredentialProblems(secrets, 'target.credentialSecret', target.credentialSecret);
    if (credential.length) return failed(422, credential);
    const { secretName, fingerprint } = await storeTrustDocument(secrets, checked.document);
    stored = { documentSecret: secretName, fingerprint, source: 'document' };
  } else {
    const snapshot = await readSnapshot(secrets, exportSecretName(exportId!));
    if (!snapshot || snapshot.kind !== 'export') return failed(422, [{ field: 'exportId', message: `no export ${exportId} is stored; start one with POST /api/neo-trust/exports` }]);
    const checked = checkTrustDocument(snapshot.document, now, 'exportId');
    // The request is well formed; what the export holds is a 422.
    if (!checked.ok) return failed(422, checked.fields);
    const credential = await neoCredentialProblems(secrets, 'target.credentialSecret', target.credentialSecret);
    if (credential.length) return failed(422, credential);
    stored = { documentSecret: exportSecretName(exportId!), fingerprint: documentFingerprint(snapshot.document), source: `export ${exportId}` };
  }
  return { ok: true, input: { target, ...stored } };
}

export const neoTrustImport = defineWorkflow<NeoTrustImportInput, SafeImportResult>({
  kind: 'neo-trust/imports',
  name: 'neoTrustImport',
  noun: 'Neo trust import',
  idPrefix: 'neo-import',
  request: NeoTrustImportRequest,
  prepare: (body) => prepareImport(body),
  input: NeoTrustImportInput,
  key: (input) => targetKey(input.target),
  exclusiveGroup: 'neoTrustTarget',
  subject: z.object({ subaccount: z.string(), landscapeHost: z.string(), source: z.string() }),
  subjectOf: (input) => ({ subaccount: input.target.subaccount, landscapeHost: input.target.landscapeHost, source: input.source }),
  steps: [...neoTrustSafeImportSteps],
  result: SafeImportResult,
  *orchestrate(run, input) {
    return yield* safeNeoTrustImport(run, { target: input.target, documentSecret: input.documentSecret });
  },
});
