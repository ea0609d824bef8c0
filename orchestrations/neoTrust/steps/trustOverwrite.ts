/**
 * What an import and a restore share: both overwrite a subaccount's whole trust configuration with a
 * document (SAP's import, PUT), plan it as the same diff, and confirm it by reading the target back
 * and comparing. The import splits write and read-back into two steps (a lost answer is decided by
 * the read-back); the restore does both in one.
 */
import type { FieldChange } from '../../../shared/workflow/stepPlan';
import { asFieldChanges, trustChanges, type TrustChange } from '../../../shared/neoTrust/trustDiff';
import { subaccountLabel, type NeoTrustTarget, type PacedNeoTrust } from '../../../shared/neoTrust/pacedNeoTrust';
import type { TrustDocument } from '../../../shared/neoTrust/trustDocument';
import { differencesFrom, readTarget } from './readTarget';

export interface OverwritePlan {
  action: 'unchanged' | 'update';
  object: string;
  /** What changes, masked (key material by fingerprint). */
  changes: TrustChange[];
  fieldChanges: FieldChange[];
}

/** From what the target holds to `wanted`. */
export function overwritePlan(target: Pick<NeoTrustTarget, 'landscapeHost' | 'subaccount'>, current: TrustDocument, wanted: TrustDocument): OverwritePlan {
  const changes = trustChanges(current, wanted);
  return {
    action: changes.length === 0 ? 'unchanged' : 'update',
    object: `trust configuration of ${subaccountLabel(target)}`,
    changes,
    fieldChanges: changes.length === 0 ? [] : asFieldChanges(changes),
  };
}

/** Reads the target back and compares it with what was sent, private key included; only the masked differences leave. */
export async function compareWithTarget(neo: PacedNeoTrust, sent: TrustDocument): Promise<{ differences: TrustChange[]; note?: string }> {
  return differencesFrom(sent, await readTarget(neo));
}
