/**
 * A tenant record as a Table Storage row: PartitionKey = subaccount id, RowKey = tenant host (both
 * lower case, the characters keys may not hold percent-escaped), one column per field so an
 * administrator can read a row in Azure Storage Explorer.
 */
import { normalizedHost, normalizedSubaccount, TenantRecord } from './tenantRecord';

/** What Table Storage forbids in PartitionKey and RowKey: / \ # ? and control characters. `%` is escaped so the mapping is reversible. */
const FORBIDDEN_IN_KEY = /[/\\#?%\u0000-\u001f\u007f-\u009f]/g;

export function escapeKey(value: string): string {
  return value.replace(FORBIDDEN_IN_KEY, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

export function unescapeKey(key: string): string {
  return key.replace(/%([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

export function rowKeys(tenantHost: string, subaccountId: string): { partitionKey: string; rowKey: string } {
  return { partitionKey: escapeKey(normalizedSubaccount(subaccountId)), rowKey: escapeKey(normalizedHost(tenantHost)) };
}

export interface TenantEntity {
  partitionKey: string;
  rowKey: string;
  [column: string]: unknown;
}

export function toEntity(r: TenantRecord): TenantEntity {
  const columns: Record<string, string | undefined> = {
    tenantHost: r.tenantHost,
    subaccountId: r.subaccountId,
    region: r.region,
    communicationSystemId: r.communicationSystemId,
    scenarioId: r.scenarioId,
    arrangementName: r.arrangementName,
    destinationName: r.destinationName,
    certificateFingerprintSha256: r.trustCertificate.fingerprintSha256,
    certificateCommonName: r.trustCertificate.commonName,
    certificateNotAfter: r.trustCertificate.notAfter,
    onboardedAt: r.onboardedAt,
    lastVerifiedAt: r.lastVerifiedAt,
    onboardingId: r.onboardingId,
    destinationServiceKeySecret: r.destinationServiceKeySecret,
    bootstrapUserSecret: r.bootstrapUserSecret,
    lastCheckAt: r.lastCheck?.at,
    lastCheckStatus: r.lastCheck?.status,
    lastCheckDetail: r.lastCheck?.detail,
    lastRotationAt: r.lastRotation?.at,
    lastRotationId: r.lastRotation?.rotationId,
    lastRotationOutcome: r.lastRotation?.outcome,
  };
  const present = Object.fromEntries(Object.entries(columns).filter(([, v]) => v !== undefined));
  return { ...rowKeys(r.tenantHost, r.subaccountId), ...present };
}

export type EntityReading = { ok: true; record: TenantRecord } | { ok: false; problem: string };

/** The record a row holds, or why it holds none. Its keys must be the ones its columns give. */
export function fromEntity(entity: TenantEntity): EntityReading {
  const e = entity as Record<string, unknown>;
  const optional = (v: unknown) => (v === undefined || v === null ? undefined : v);
  const candidate = {
    tenantHost: e.tenantHost,
    subaccountId: e.subaccountId,
    region: e.region,
    communicationSystemId: e.communicationSystemId,
    scenarioId: e.scenarioId,
    arrangementName: e.arrangementName,
    destinationName: e.destinationName,
    trustCertificate: { fingerprintSha256: e.certificateFingerprintSha256, commonName: e.certificateCommonName, notAfter: e.certificateNotAfter },
    onboardedAt: e.onboardedAt,
    lastVerifiedAt: e.lastVerifiedAt,
    onboardingId: optional(e.onboardingId),
    destinationServiceKeySecret: optional(e.destinationServiceKeySecret),
    bootstrapUserSecret: optional(e.bootstrapUserSecret),
    lastCheck: optional(e.lastCheckAt) === undefined ? undefined : { at: e.lastCheckAt, status: e.lastCheckStatus, detail: optional(e.lastCheckDetail) },
    lastRotation:
      optional(e.lastRotationAt) === undefined ? undefined : { at: e.lastRotationAt, rotationId: e.lastRotationId, outcome: e.lastRotationOutcome },
  };
  const parsed = TenantRecord.safeParse(candidate);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${columnOf(i.path)}: ${i.message}`);
    return { ok: false, problem: fields.join('; ') };
  }
  const keys = rowKeys(parsed.data.tenantHost, parsed.data.subaccountId);
  if (keys.partitionKey !== entity.partitionKey || keys.rowKey !== entity.rowKey) {
    return { ok: false, problem: `its keys do not match its columns tenantHost '${parsed.data.tenantHost}' and subaccountId '${parsed.data.subaccountId}'` };
  }
  return { ok: true, record: withoutUndefined(parsed.data) };
}

function columnOf(path: PropertyKey[]): string {
  const [head, tail] = path.map(String);
  if (tail === undefined) return head;
  if (head === 'trustCertificate') return `certificate${tail[0].toUpperCase()}${tail.slice(1)}`;
  if (head === 'lastCheck') return `lastCheck${tail === 'at' ? 'At' : tail[0].toUpperCase() + tail.slice(1)}`;
  if (head === 'credentials') return tail;
  if (head === 'lastRotation') return tail === 'rotationId' ? 'lastRotationId' : `lastRotation${tail === 'at' ? 'At' : tail[0].toUpperCase() + tail.slice(1)}`;
  return head;
}

function withoutUndefined(r: TenantRecord): TenantRecord {
  return JSON.parse(JSON.stringify(r)) as TenantRecord;
}
