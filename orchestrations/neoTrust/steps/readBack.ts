/**
 * Read the target back and compare it with what was sent, private key included; the comparison
 * happens here, inside the activity, and only the masked differences leave it.
 */
import { z } from 'zod';
import { defineStep } from '../../../shared/workflow/defineStep';
import { describeChanges } from '../../../shared/neoTrust/trustDiff';
import { readStoredDocument } from '../../../shared/neoTrust/trustVault';
import { pacedNeoTrust, subaccountLabel } from '../../../shared/neoTrust/pacedNeoTrust';
import type { TrustDocument } from '../../../shared/neoTrust/trustDocument';
import { NeoTrustTarget, TrustChangeView } from '../trustSchemas';
import { compareWithTarget } from './trustOverwrite';

export const ReadBackInput = z.object({ target: NeoTrustTarget, documentSecret: z.string() });
export const ReadBack = z.object({ equal: z.boolean(), differences: z.array(TrustChangeView), notBefore: z.string().optional() });
export type ReadBack = z.infer<typeof ReadBack>;

export const readBack = defineStep({
  kind: 'check',
  outcome: 'verified',
  id: 'neoTrustReadBack',
  title: 'Read back and compare',
  system: (input) => subaccountLabel(input.target),
  input: ReadBackInput,
  output: ReadBack,
  async check(deps, input) {
    const system = subaccountLabel(input.target);
    const wanted = (await readStoredDocument(deps.secrets, input.documentSecret, system)) as TrustDocument;
    // What SAP holds, seen from what was sent: "added" is what SAP has beyond the document.
    const neo = await pacedNeoTrust(deps, input.target);
    const { differences, note } = await compareWithTarget(neo, wanted);
    const notBefore = neo.notBefore();
    return differences.length === 0
      ? { output: { equal: true, differences, notBefore }, detail: note ?? 'the subaccount holds exactly what was sent, private key included', ...(note ? { warnings: [note] } : {}) }
      : { output: { equal: false, differences, notBefore }, warnings: [`the subaccount holds something else: ${describeChanges(differences)}`] };
  },
});
