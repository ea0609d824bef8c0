/** One onboarded tenant: which S/4 tenant trusts which BTP subaccount's certificate, and through what. */
import { z } from 'zod';

export const TenantRecord = z.object({
  /** S/4 API host, e.g. `my100001-api.s4hana.ondemand.com`. */
  tenantHost: z.string().min(1),
  subaccountId: z.string().min(1),
  region: z.string().min(1),
  communicationSystemId: z.string().min(1),
  scenarioId: z.string().min(1),
  arrangementName: z.string().min(1),
  destinationName: z.string().min(1),
  trustCertificate: z.object({
    /** Colon hex, upper case. */
    fingerprintSha256: z.string().min(1),
    commonName: z.string().min(1),
    notAfter: z.iso.datetime(),
  }),
  onboardedAt: z.iso.datetime(),
  lastVerifiedAt: z.iso.datetime(),
  /** The onboarding run that last wrote this record. */
  onboardingId: z.string().optional(),
});
export type TenantRecord = z.infer<typeof TenantRecord>;

/** created: new; updated: something other than lastVerifiedAt changed; unchanged: only re-verified. */
export type RegistryOutcome = 'created' | 'updated' | 'unchanged';

export interface TenantRegistry {
  /**
   * Inserts or replaces the record of (tenantHost, subaccountId). A record that exists keeps its
   * first onboardedAt, so a re-run of an onboarding reports `unchanged`.
   */
  upsert(record: TenantRecord): Promise<{ outcome: RegistryOutcome; record: TenantRecord }>;
  get(tenantHost: string, subaccountId: string): Promise<TenantRecord | undefined>;
  list(): Promise<TenantRecord[]>;
  /** Every tenant that trusts the certificate with this SHA-256 fingerprint (any notation). */
  findByCertificateFingerprint(fingerprint: string): Promise<TenantRecord[]>;
  /** An offboarding: false when there was nothing to remove. */
  remove(tenantHost: string, subaccountId: string): Promise<boolean>;
}

export function tenantKey(tenantHost: string, subaccountId: string): string {
  return `${tenantHost.trim().toLowerCase()}|${subaccountId.trim().toLowerCase()}`;
}

/** Applies upsert semantics; shared by both implementations. */
export function mergeRecord(existing: TenantRecord | undefined, incoming: TenantRecord): { outcome: RegistryOutcome; record: TenantRecord } {
  const record = TenantRecord.parse(existing ? { ...incoming, onboardedAt: existing.onboardedAt } : incoming);
  if (!existing) return { outcome: 'created', record };
  const comparable = ({ lastVerifiedAt: _l, onboardingId: _o, ...rest }: TenantRecord) => JSON.stringify(sortKeys(rest));
  return { outcome: comparable(existing) === comparable(record) ? 'unchanged' : 'updated', record };
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, sortKeys(v)]));
  }
  return value;
}
