import { normalizeFingerprint } from '../certificates/trustCertificate';
import { mergeRecord, tenantKey, type TenantRecord, type TenantRegistry } from './tenantRecord';

/** For tests and for REGISTRY_STORE=memory. */
export function memoryTenantRegistry(initial: TenantRecord[] = []): TenantRegistry {
  const records = new Map(initial.map((r) => [tenantKey(r.tenantHost, r.subaccountId), structuredClone(r)]));
  return {
    async upsert(incoming) {
      const key = tenantKey(incoming.tenantHost, incoming.subaccountId);
      const result = mergeRecord(records.get(key), incoming);
      records.set(key, structuredClone(result.record));
      return { outcome: result.outcome, record: structuredClone(result.record) };
    },
    async get(tenantHost, subaccountId) {
      const r = records.get(tenantKey(tenantHost, subaccountId));
      return r && structuredClone(r);
    },
    async list() {
      return [...records.values()].map((r) => structuredClone(r)).sort(byTenant);
    },
    async findByCertificateFingerprint(fingerprint) {
      const wanted = normalizeFingerprint(fingerprint);
      return (await this.list()).filter((r) => normalizeFingerprint(r.trustCertificate.fingerprintSha256) === wanted);
    },
    async remove(tenantHost, subaccountId) {
      return records.delete(tenantKey(tenantHost, subaccountId));
    },
  };
}

export function byTenant(a: TenantRecord, b: TenantRecord): number {
  return tenantKey(a.tenantHost, a.subaccountId).localeCompare(tenantKey(b.tenantHost, b.subaccountId));
}
