/**
 * A subaccount's current trust configuration, read inside an activity. A 404 on a subaccount we can
 * write means, in SAP's second reading, "no custom configuration: the platform default" (contracts D,
 * update 2026-12); backups and read-backs take it as the default document, and say so.
 */
import { SapError } from '../../../shared/sap/errors';
import type { PacedNeoTrust } from '../../../shared/neoTrust/pacedNeoTrust';
import type { TrustDocument } from '../../../shared/neoTrust/trustDocument';
import { trustChanges, type TrustChange } from '../../../shared/neoTrust/trustDiff';

export const PLATFORM_DEFAULT: TrustDocument = { configurationType: 'Default', applicationIdentityProviders: { identityProviders: [] } };

export async function readTarget(neo: PacedNeoTrust): Promise<{ document: TrustDocument; notFound: boolean }> {
  try {
    return { document: (await neo.exportTrust()) as TrustDocument, notFound: false };
  } catch (e) {
    if (e instanceof SapError && e.kind === 'NotFound') return { document: PLATFORM_DEFAULT, notFound: true };
    throw e;
  }
}

export const NOT_FOUND_NOTE = 'SAP answered 404 (no custom trust configuration, or an unknown technical name); taken as the platform default (SAP ID service)';

/**
 * What the target holds beyond or short of `wanted`. When SAP answers 404 for a subaccount that should
 * now hold a Default configuration, that is the answer SAP's second reading predicts: nothing more
 * can be compared, and the note says so.
 */
export function differencesFrom(wanted: TrustDocument, read: { document: TrustDocument; notFound: boolean }): { differences: TrustChange[]; note?: string } {
  if (read.notFound && wanted.configurationType === 'Default') {
    return { differences: [], note: 'SAP answers 404 for this subaccount, as it does for a Default configuration; the details could not be read back' };
  }
  return { differences: trustChanges(wanted, read.document) };
}
