/** One onboarded tenant: which S/4 tenant trusts which BTP subaccount's certificate, and through what. */
import { z } from 'zod';

/** What the certificate check found the last time it looked at this tenant. */
export const TenantCheck = z.object({
  at: z.iso.datetime(),
  /**
   * ok: S/4 trusts the subaccount's current certificate and it is not near its end; expiring: it
   * is, but the certificate ends soon; mismatch: S/4 holds another certificate; unreachable: the
   * tenant or the subaccount did not answer.
   */
  status: z.enum(['ok', 'expiring', 'mismatch', 'unreachable']),
  detail: z.string().optional(),
});
export type TenantCheck = z.infer<typeof TenantCheck>;

/** The last certificate rotation that included this tenant. */
export const TenantRotation = z.object({
  at: z.iso.datetime(),
  rotationId: z.string().min(1),
  outcome: z.enum(['completed', 'rolled back', 'failed']),
});
export type TenantRotation = z.infer<typeof TenantRotation>;

export const TenantRecord = z.object({
  /** S/4 API host, e.g. `my100001-api.s4hana.ondemand.com`. */
  tenantHost: z.string().min(1),
  subaccountId: z.string().min(1),
  region: z.string().min(1),
  communicationSystemId: z.string().min(1),
  scenarioId: z.string().min(1),
  arrangementName: z.string().min(1),
  destinationName: z.string().min(1),
  /** The certificate S/4 holds on the communication system (verified by the onboarding). */
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
  /**
   * The NAMES of the stored credentials the onboarding used (never values): the rotation and the repair
   * reach the subaccount and the tenant with them. Rows written before they were recorded lack them.
   */
  destinationServiceKeySecret: z.string().min(1).optional(),
  bootstrapUserSecret: z.string().min(1).optional(),
  lastCheck: TenantCheck.optional(),
  lastRotation: TenantRotation.optional(),
});
export type TenantRecord = z.infer<typeof TenantRecord>;

/** created: new; updated: something other than lastVerifiedAt changed; unchanged: only re-verified. */
export type RegistryOutcome = 'created' | 'updated' | 'unchanged';

/** A stored row that is not a tenant record any more (edited by hand, cut short): skipped by the lists. */
export interface CorruptTenantRecord {
  store: 'file' | 'table';
  /** The file, or `table TenantRegistry, PartitionKey '…', RowKey '…'`. */
  where: string;
  problem: string;
}

export type CorruptRecordReporter = (corrupt: CorruptTenantRecord) => void;

export const warnAboutCorruptRecord: CorruptRecordReporter = (c) =>
  console.warn(`tenant registry: skipped a corrupt row (${c.where}): ${c.problem}. Repair or delete it; the next onboarding of that tenant writes it anew.`);

export interface UpsertOptions {
  /**
   * What get() of this row returned just before (undefined: there was no row). A store that can
   * write conditionally on that read (the table: its ETag) does so instead of reading the row again;
   * a row changed since is read and merged again, as without it. Other stores ignore it.
   */
  lastRead: TenantRecord | undefined;
}

export interface TenantRegistry {
  /**
   * Inserts or replaces the record of (tenantHost, subaccountId). A record that exists keeps its
   * first onboardedAt, its last check and its last rotation, so a re-run of an onboarding reports
   * `unchanged`.
   */
  upsert(record: TenantRecord, options?: UpsertOptions): Promise<{ outcome: RegistryOutcome; record: TenantRecord }>;
  /** Throws TenantRegistryError when the stored row is corrupt. */
  get(tenantHost: string, subaccountId: string): Promise<TenantRecord | undefined>;
  /** Every readable record; corrupt rows are reported and skipped. */
  list(): Promise<TenantRecord[]>;
  listBySubaccount(subaccountId: string): Promise<TenantRecord[]>;
  /** Optional: the tenants of several subaccounts in one query, one list per id in the ids' order (the certificate check's batches). */
  listBySubaccounts?(subaccountIds: readonly string[]): Promise<TenantRecord[][]>;
  /** Every tenant that trusts the certificate with this SHA-256 fingerprint (any notation). */
  findByCertificateFingerprint(fingerprint: string): Promise<TenantRecord[]>;
  /** An offboarding: false when there was nothing to remove. */
  remove(tenantHost: string, subaccountId: string): Promise<boolean>;
  /** Stores what the certificate check found; undefined when the tenant is not (any more) recorded. */
  recordCheck(tenantHost: string, subaccountId: string, check: TenantCheck): Promise<TenantRecord | undefined>;
  /**
   * Optional: the checks of many tenants of one subaccount at once (Table Storage: one transaction per
   * 100 rows, no read). Tenants no longer recorded are skipped. Callers without it use recordCheck.
   */
  recordChecks?(subaccountId: string, checks: readonly { tenantHost: string; check: TenantCheck }[]): Promise<void>;
  /** Stores the last rotation's outcome; undefined when the tenant is not (any more) recorded. */
  recordRotation(tenantHost: string, subaccountId: string, rotation: TenantRotation): Promise<TenantRecord | undefined>;
}

export class TenantRegistryError extends Error {
  constructor(
    message: string,
    /** What the administrator should do about it. */
    readonly fix: string,
  ) {
    super(message);
    this.name = 'TenantRegistryError';
  }
}

export function tenantKey(tenantHost: string, subaccountId: string): string {
  return `${normalizedHost(tenantHost)}|${normalizedSubaccount(subaccountId)}`;
}

export const normalizedHost = (tenantHost: string) => tenantHost.trim().toLowerCase();
export const normalizedSubaccount = (subaccountId: string) => subaccountId.trim().toLowerCase();

/** Applies upsert semantics; shared by every implementation. */
export function mergeRecord(existing: TenantRecord | undefined, incoming: TenantRecord): { outcome: RegistryOutcome; record: TenantRecord } {
  const kept = existing && {
    onboardedAt: existing.onboardedAt,
    ...(existing.lastCheck && !incoming.lastCheck ? { lastCheck: existing.lastCheck } : {}),
    ...(existing.lastRotation && !incoming.lastRotation ? { lastRotation: existing.lastRotation } : {}),
  };
  const record = TenantRecord.parse({ ...incoming, ...kept });
  if (!existing) return { outcome: 'created', record };
  const comparable = ({ lastVerifiedAt: _l, onboardingId: _o, ...rest }: TenantRecord) => JSON.stringify(sortKeys(rest));
  return { outcome: comparable(existing) === comparable(record) ? 'unchanged' : 'updated', record };
}

/** The record with the check or rotation applied, validated. */
export function withCheck(record: TenantRecord, check: TenantCheck): TenantRecord {
  return TenantRecord.parse({ ...record, lastCheck: TenantCheck.parse(check) });
}

export function withRotation(record: TenantRecord, rotation: TenantRotation): TenantRecord {
  return TenantRecord.parse({ ...record, lastRotation: TenantRotation.parse(rotation) });
}

export function byTenant(a: TenantRecord, b: TenantRecord): number {
  return tenantKey(a.tenantHost, a.subaccountId).localeCompare(tenantKey(b.tenantHost, b.subaccountId));
}

/** Same record whatever the key order (JSON written by hand, rows read back from a table). */
export function sameRecord(a: TenantRecord, b: TenantRecord): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  }
  return value;
}
