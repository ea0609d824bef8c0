import { normalizeFingerprint } from '../certificates/trustCertificate';
import { byTenant, mergeRecord, normalizedSubaccount, tenantKey, withCheck, withRotation, type TenantRecord, type TenantRegistry } from './tenantRecord';

/** For unit tests and REGISTRY_STORE=memory: forgets everything when the process ends. */
export function memoryTenantRegistry(initial: TenantRecord[] = []): TenantRegistry {
  const records = new Map(initial.map((r) => [tenantKey(r.tenantHost, r.subaccountId), structuredClone(r)]));
  const copy = (r: TenantRecord | undefined) => r && structuredClone(r);
  const update = (tenantHost: string, subaccountId: string, change: (r: TenantRecord) => TenantRecord) => {
    const key = tenantKey(tenantHost, subaccountId);
    const existing = records.get(key);
    if (!existing) return undefined;
    const next = change(existing);
    records.set(key, next);
    return copy(next);
  };
  return {
    async upsert(incoming) {
      const key = tenantKey(incoming.tenantHost, incoming.subaccountId);
      const result = mergeRecord(records.get(key), incoming);
      records.set(key, structuredClone(result.record));
      return { outcome: result.outcome, record: structuredClone(result.record) };
    },
    async get(tenantHost, subaccountId) {
      return copy(records.get(tenantKey(tenantHost, subaccountId)));
    },
    async list() {
      return [...records.values()].map((r) => structuredClone(r)).sort(byTenant);
    },
    async listBySubaccount(subaccountId) {
      return (await this.list()).filter((r) => normalizedSubaccount(r.subaccountId) === normalizedSubaccount(subaccountId));
    },
    async findByCertificateFingerprint(fingerprint) {
      const wanted = normalizeFingerprint(fingerprint);
      return (await this.list()).filter((r) => normalizeFingerprint(r.trustCertificate.fingerprintSha256) === wanted);
    },
    async remove(tenantHost, subaccountId) {
      return records.delete(tenantKey(tenantHost, subaccountId));
    },
    async recordCheck(tenantHost, subaccountId, check) {
      return update(tenantHost, subaccountId, (r) => withCheck(r, check));
    },
    async recordRotation(tenantHost, subaccountId, rotation) {
      return update(tenantHost, subaccountId, (r) => withRotation(r, rotation));
    },
  };
}
