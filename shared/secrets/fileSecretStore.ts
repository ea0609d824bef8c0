/**
 * The embedded default: one JSON file per secret under `<DATA_DIR>/secrets` (directory 0700, files
 * 0600). Writes are atomic (temp file + rename). getOrCreate publishes with link(2), which fails when
 * the name exists, so concurrent callers (threads of one process or several processes) agree on one
 * value.
 */
import * as fsSync from 'node:fs';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { isSecretName } from './secretNames';
import { SecretStoreError, type SecretMeta, type SecretProperties, type SecretStore } from './secretStore';

const StoredSecret = z.object({
  name: z.string(),
  value: z.string(),
  contentType: z.string().optional(),
  tags: z.record(z.string(), z.string()).default({}),
  createdOn: z.string(),
  updatedOn: z.string(),
});
type StoredSecret = z.infer<typeof StoredSecret>;

export interface FileSecretStoreOptions {
  /** Usually `<DATA_DIR>/secrets`. */
  dir: string;
}

export function fileSecretStore({ dir }: FileSecretStoreOptions): SecretStore {
  let ready: Promise<void> | undefined;
  const ensureDir = () =>
    (ready ??= (async () => {
      await fs.mkdir(dir, { recursive: true, mode: 0o700 });
      await fs.chmod(dir, 0o700);
    })());

  const fail = (operation: SecretStoreError['operation'], name: string, e: unknown): never => {
    if (e instanceof SecretStoreError) throw e;
    const code = (e as NodeJS.ErrnoException)?.code;
    throw new SecretStoreError('file', operation, name, code ? `file system error ${code}` : 'unreadable secret file');
  };

  // Key Vault names are case-insensitive; so are ours.
  const fileOf = (operation: SecretStoreError['operation'], name: string): string => {
    if (!isSecretName(name)) {
      throw new SecretStoreError('file', operation, name, 'not a valid secret name (letters, digits and dashes, at most 127)');
    }
    return path.join(dir, `${name.toLowerCase()}.json`);
  };

  async function read(operation: SecretStoreError['operation'], name: string): Promise<StoredSecret | undefined> {
    const file = fileOf(operation, name);
    let text: string;
    try {
      // Synchronous on purpose: a secret file is a few hundred bytes in the page cache, read in microseconds, while
      // the promise API queues open, stat, read and close on libuv's four threads, behind every fsync and DNS
      // lookup of the process: under load that took 20-120 ms per read, several reads per step.
      text = fsSync.readFileSync(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      return fail(operation, name, e);
    }
    const parsed = StoredSecret.safeParse(safeJson(text));
    if (!parsed.success) throw new SecretStoreError('file', operation, name, `corrupt secret file ${file}`);
    return parsed.data;
  }

  /**
   * Writes the record to a private temp file, on disk (fsync) before this returns, and returns its path.
   * Only the fsync waits for the disk, on libuv's thread pool; open, write and close of a few hundred bytes
   * are page-cache work done in microseconds, synchronously for the reason `read` gives (each of them as a
   * promise was one more trip through the pool's queue, and a step writes the password before S/4 has it).
   */
  async function writeTemp(record: StoredSecret): Promise<string> {
    await ensureDir();
    const tmp = path.join(dir, `.${randomUUID()}.tmp`);
    const fd = fsSync.openSync(tmp, 'wx', 0o600);
    try {
      fsSync.writeFileSync(fd, JSON.stringify(record), 'utf8');
      await fsync(fd);
    } finally {
      fsSync.closeSync(fd);
    }
    return tmp;
  }

  const record = (name: string, value: string, meta: SecretMeta, createdOn?: string): StoredSecret => {
    const now = new Date().toISOString();
    return { name, value, contentType: meta.contentType, tags: { ...meta.tags }, createdOn: createdOn ?? now, updatedOn: now };
  };

  return {
    async get(name) {
      return (await read('get', name))?.value;
    },

    async exists(name) {
      return (await read('exists', name)) !== undefined;
    },

    async properties(name): Promise<SecretProperties | undefined> {
      const s = await read('properties', name);
      return s && { name: s.name, contentType: s.contentType, tags: s.tags, updatedOn: s.updatedOn };
    },

    async set(name, value, meta) {
      const file = fileOf('set', name);
      try {
        const existing = await read('set', name);
        const tmp = await writeTemp(record(name, value, meta, existing?.createdOn));
        fsSync.renameSync(tmp, file);
      } catch (e) {
        fail('set', name, e);
      }
    },

    async getOrCreate(name, generate, meta) {
      const file = fileOf('getOrCreate', name);
      const existing = await read('getOrCreate', name);
      if (existing) return existing.value;
      const value = await generate();
      let tmp: string | undefined;
      try {
        tmp = await writeTemp(record(name, value, meta));
        fsSync.linkSync(tmp, file);
        return value;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return fail('getOrCreate', name, e);
        // Someone else stored it first: theirs is the one in use.
        const winner = await read('getOrCreate', name);
        if (!winner) throw new SecretStoreError('file', 'getOrCreate', name, 'secret vanished while being created');
        return winner.value;
      } finally {
        if (tmp) fsSync.rmSync(tmp, { force: true });
      }
    },

    async delete(name) {
      const file = fileOf('delete', name);
      try {
        await fs.unlink(file);
        return true;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
        return fail('delete', name, e);
      }
    },
  };
}

/** fsync(2) on the thread pool (looked up at each call, so that tests can watch the order of the writes). */
function fsync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fsSync.fsync(fd, (e) => (e ? reject(e) : resolve())));
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
