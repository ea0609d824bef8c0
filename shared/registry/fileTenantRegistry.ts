/**
 * One JSON file per tenant under `<DATA_DIR>/registry`, written atomically (temp file + rename), so
 * a crash never leaves half a record and writes for different tenants never collide. Writes for the
 * same tenant are serialized within the process; the onboarding's deterministic instance id keeps
 * two processes from onboarding the same tenant at once. Local only: in Azure the app's directory
 * is read-only and the registry is a table.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import { normalizeFingerprint } from '../certificates/trustCertificate';
import {
  byTenant,
  mergeRecord,
  normalizedSubaccount,
  sameRecord,
  tenantKey,
  TenantRecord,
  TenantRegistryError,
  warnAboutCorruptRecord,
  withCheck,
  withRotation,
  type CorruptRecordReporter,
  type TenantRegistry,
} from './tenantRecord';

export { TenantRegistryError } from './tenantRecord';

export interface FileTenantRegistryOptions {
  dir: string;
  /** Told about each corrupt file a list skips. Default: a warning on the console. */
  onCorruptRecord?: CorruptRecordReporter;
}

/** The registry files of `dir` (not temp files, not files already migrated to a table). */
export async function registryFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return names.filter((n) => n.endsWith('.json') && !n.startsWith('.')).map((n) => path.join(dir, n));
}

/** Reads one registry file: undefined when absent, TenantRegistryError when it is not a tenant record. */
export async function readRegistryFile(file: string): Promise<TenantRecord | undefined> {
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

export function fileTenantRegistry({ dir, onCorruptRecord = warnAboutCorruptRecord }: FileTenantRegistryOptions): TenantRegistry {
  const queues = new Map<string, Promise<unknown>>();

  /** Readable and unique: `my100001-api.s4hana.ondemand.com__7b3c1e2a-…json`, hashed if odd characters. */
  const fileOf = (tenantHost: string, subaccountId: string) => {
    const key = tenantKey(tenantHost, subaccountId);
    const readable = key.replace('|', '__');
    const base = /^[a-z0-9._-]+__[a-z0-9-]+$/.test(readable) && readable.length < 200 ? readable : createHash('sha256').update(key).digest('hex');
    return path.join(dir, `${base}.json`);
  };

  function serialized<T>(key: string, work: () => Promise<T>): Promise<T> {
    const next = (queues.get(key) ?? Promise.resolve()).then(work, work);
    const settled = next.catch(() => undefined);
    queues.set(key, settled);
    void settled.then(() => queues.get(key) === settled && queues.delete(key));
    return next;
  }

  async function write(file: string, record: TenantRecord): Promise<void> {
    await fs.mkdir(dir, { recursive: true });
    const tmp = path.join(dir, `.${randomUUID()}.tmp`);
    await fs.writeFile(tmp, JSON.stringify(record, null, 2) + '\n', { encoding: 'utf8', flag: 'wx' });
    await fs.rename(tmp, file);
  }

  function update(tenantHost: string, subaccountId: string, change: (r: TenantRecord) => TenantRecord) {
    const file = fileOf(tenantHost, subaccountId);
    return serialized(file, async () => {
      const existing = await readRegistryFile(file);
      if (!existing) return undefined;
      const next = change(existing);
      await write(file, next);
      return next;
    });
  }

  return {
    upsert(incoming) {
      const file = fileOf(incoming.tenantHost, incoming.subaccountId);
      return serialized(file, async () => {
        const existing = await readRegistryFile(file);
        const result = mergeRecord(existing, incoming);
        if (!existing || !sameRecord(existing, result.record)) await write(file, result.record);
        return result;
      });
    },
    get(tenantHost, subaccountId) {
      return readRegistryFile(fileOf(tenantHost, subaccountId));
    },
    async list() {
      const records = await Promise.all(
        (await registryFiles(dir)).map((file) =>
          readRegistryFile(file).catch((e: unknown) => {
            if (!(e instanceof TenantRegistryError)) throw e;
            onCorruptRecord({ store: 'file', where: file, problem: 'not a tenant record (invalid JSON or a missing or malformed field)' });
            return undefined;
          }),
        ),
      );
      return records.filter((r): r is TenantRecord => r !== undefined).sort(byTenant);
    },
    async listBySubaccount(subaccountId) {
      return (await this.list()).filter((r) => normalizedSubaccount(r.subaccountId) === normalizedSubaccount(subaccountId));
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
    recordCheck(tenantHost, subaccountId, check) {
      return update(tenantHost, subaccountId, (r) => withCheck(r, check));
    },
    recordRotation(tenantHost, subaccountId, rotation) {
      return update(tenantHost, subaccountId, (r) => withRotation(r, rotation));
    },
  };
}
