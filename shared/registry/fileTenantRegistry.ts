/**
 * One JSON file per tenant under `<DATA_DIR>/registry`, written atomically (temp file + rename), so
 * a crash never leaves half a record and writes for different tenants never collide. Writes for the
 * same tenant are serialized within the process; the onboarding's deterministic instance id keeps
 * two processes from onboarding the same tenant at once.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import { normalizeFingerprint } from '../certificates/trustCertificate';
import { byTenant } from './memoryTenantRegistry';
import { mergeRecord, tenantKey, TenantRecord, type TenantRegistry } from './tenantRecord';

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

export function fileTenantRegistry({ dir }: { dir: string }): TenantRegistry {
  const queues = new Map<string, Promise<unknown>>();

  /** Readable and unique: `my100001-api.s4hana.ondemand.com__7b3c1e2a-…json`, hashed if odd characters. */
  const fileOf = (tenantHost: string, subaccountId: string) => {
    const key = tenantKey(tenantHost, subaccountId);
    const readable = key.replace('|', '__');
    const base = /^[a-z0-9._-]+__[a-z0-9-]+$/.test(readable) && readable.length < 200 ? readable : createHash('sha256').update(key).digest('hex');
    return path.join(dir, `${base}.json`);
  };

  async function readFile(file: string): Promise<TenantRecord | undefined> {
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    try {
      return TenantRecord.parse(JSON.parse(text));
    } catch {
      throw new TenantRegistryError(
        `Tenant registry file ${file} is corrupt; restore it or delete it and re-run the onboarding.`,
        `Restore ${path.basename(file)} in the registry directory from a backup, or delete it and start the onboarding again: the record step writes it anew.`,
      );
    }
  }

  function serialized<T>(key: string, work: () => Promise<T>): Promise<T> {
    const next = (queues.get(key) ?? Promise.resolve()).then(work, work);
    const settled = next.catch(() => undefined);
    queues.set(key, settled);
    void settled.then(() => queues.get(key) === settled && queues.delete(key));
    return next;
  }

  return {
    upsert(incoming) {
      const file = fileOf(incoming.tenantHost, incoming.subaccountId);
      return serialized(file, async () => {
        const existing = await readFile(file);
        const result = mergeRecord(existing, incoming);
        if (existing && JSON.stringify(existing) === JSON.stringify(result.record)) return result;
        await fs.mkdir(dir, { recursive: true });
        const tmp = path.join(dir, `.${randomUUID()}.tmp`);
        await fs.writeFile(tmp, JSON.stringify(result.record, null, 2) + '\n', { encoding: 'utf8', flag: 'wx' });
        await fs.rename(tmp, file);
        return result;
      });
    },
    get(tenantHost, subaccountId) {
      return readFile(fileOf(tenantHost, subaccountId));
    },
    async list() {
      let names: string[];
      try {
        names = await fs.readdir(dir);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw e;
      }
      const records = await Promise.all(names.filter((n) => n.endsWith('.json') && !n.startsWith('.')).map((n) => readFile(path.join(dir, n))));
      return records.filter((r): r is TenantRecord => r !== undefined).sort(byTenant);
    },
    async findByCertificateFingerprint(fingerprint) {
      const wanted = normalizeFingerprint(fingerprint);
      return (await this.list()).filter((r) => normalizeFingerprint(r.trustCertificate.fingerprintSha256) === wanted);
    },
    remove(tenantHost, subaccountId) {
      const file = fileOf(tenantHost, subaccountId);
      return serialized(file, async () => {
        try {
          await fs.unlink(file);
          return true;
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
          throw e;
        }
      });
    },
  };
}
