/**
 * Validate the document to import: its shape, seed 004's use-case rules and the field rules. Runs in
 * plans too. Reads the document from the SecretStore; reports rule names and paths, never a value.
 */
import { z } from 'zod';
import { defineStep } from '../../../shared/workflow/defineStep';
import { PermanentStepError } from '../../../shared/workflow/stepOutcome';
import { checkTrustDocument, describeFindings } from '../../../shared/neoTrust/validateTrustDocument';
import { readStoredDocument } from '../../../shared/neoTrust/trustVault';
import { documentFingerprint } from '../../../shared/neoTrust/redaction';
import { TrustFindingView } from '../trustSchemas';

export const ValidateInput = z.object({ documentSecret: z.string(), system: z.string() });
export const Validated = z.object({ useCase: z.string(), useCaseTitle: z.string(), fingerprint: z.string(), warnings: z.array(TrustFindingView) });
export type Validated = z.infer<typeof Validated>;

export const validateTrust = defineStep({
  kind: 'check',
  outcome: 'checked',
  id: 'neoTrustValidate',
  title: 'Validate the trust configuration',
  system: (input) => input.system,
  input: ValidateInput,
  output: Validated,
  async check(deps, input) {
    const document = await readStoredDocument(deps.secrets, input.documentSecret, input.system);
    const checked = checkTrustDocument(document, deps.now());
    if (!checked.ok) {
      const what = checked.status === 400 ? checked.fields.map((f) => `${f.field}: ${f.message}`).join('; ') : describeFindings(checked.validation.errors);
      throw new PermanentStepError({
        system: input.system,
        kind: 'InvalidTrustConfiguration',
        message: `the trust configuration breaks ${checked.status === 400 ? 'the API schema' : 'the rules'}: ${what}`,
        fix: 'Correct the document (each problem names its field and rule) and start the import again. Nothing was imported.',
      });
    }
    const v = checked.validation;
    return {
      output: { useCase: v.useCase, useCaseTitle: v.useCaseTitle, fingerprint: documentFingerprint(checked.document), warnings: v.warnings },
      detail: `use case: ${v.useCaseTitle}`,
      ...(v.warnings.length ? { warnings: v.warnings.map((w) => `${w.path}: ${w.message}`) } : {}),
    };
  },
});
