import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileSecretStore } from '../../shared/secrets/fileSecretStore';
import { SecretStoreError } from '../../shared/secrets/secretStore';

/** The fs module itself (not an import's copy of it), so that a spy sees the store's calls. */
const nodeFs = jest.requireActual<typeof import('node:fs')>('node:fs');

const meta = { contentType: 'text/plain', tags: { tenant: 'my100001', purpose: 'test', 'managed-by': 'sap-trust-onboarding' } };

describe('fileSecretStore', () => {
  let dataDir: string;
  let dir: string;

  beforeEach(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'secrets-'));
    dir = path.join(dataDir, 'secrets');
  });
  afterEach(() => fs.rm(dataDir, { recursive: true, force: true }));

  it('writes the secret file with mode 0600 in a 0700 directory', async () => {
    await fileSecretStore({ dir }).set('bootstrap-user', '{"user":"U","password":"P"}', meta);
    const files = await fs.readdir(dir);
    expect(files).toEqual(['bootstrap-user.json']);
    expect((await fs.stat(path.join(dir, files[0]))).mode & 0o777).toBe(0o600);
    expect((await fs.stat(dir)).mode & 0o777).toBe(0o700);
  });

  it('a new store instance on the same directory reads what the previous one wrote', async () => {
    await fileSecretStore({ dir }).set('service-key', 'value-1', meta);
    const reloaded = fileSecretStore({ dir });
    expect(await reloaded.get('service-key')).toBe('value-1');
    expect(await reloaded.get('SERVICE-KEY')).toBe('value-1');
    expect(await reloaded.properties('service-key')).toMatchObject({ contentType: 'text/plain', tags: meta.tags });
  });

  it('set overwrites atomically and leaves no temp files behind', async () => {
    const store = fileSecretStore({ dir });
    await store.set('rotated', 'old', meta);
    await store.set('rotated', 'new', meta);
    expect(await store.get('rotated')).toBe('new');
    expect(await fs.readdir(dir)).toEqual(['rotated.json']);
  });

  it('delete removes the secret file and says false when there was none', async () => {
    const store = fileSecretStore({ dir });
    await store.set('comm-user-password', 'value', meta);
    expect(await store.delete('COMM-USER-PASSWORD')).toBe(true);
    expect(await store.get('comm-user-password')).toBeUndefined();
    expect(await fs.readdir(dir)).toEqual([]);
    expect(await store.delete('comm-user-password')).toBe(false);
  });

  it('answers undefined / false for a missing secret', async () => {
    const store = fileSecretStore({ dir });
    expect(await store.get('missing')).toBeUndefined();
    expect(await store.exists('missing')).toBe(false);
    expect(await store.properties('missing')).toBeUndefined();
  });

  it('a created or replaced secret is flushed to disk (fsync) before it appears under its name', async () => {
    // The communication user's password must be durable before S/4 gets it: the fsync of the temp file
    // has to finish before link (getOrCreate) or rename (set) publish it.
    const events: string[] = [];
    const opened = new Map<number, string>();
    const real = { openSync: nodeFs.openSync, fsync: nodeFs.fsync, linkSync: nodeFs.linkSync, renameSync: nodeFs.renameSync };
    const open = jest.spyOn(nodeFs, 'openSync').mockImplementation(((file: string, ...rest: unknown[]) => {
      const fd = real.openSync(file, ...(rest as [string, number]));
      opened.set(fd, path.basename(file));
      return fd;
    }) as typeof nodeFs.openSync);
    const fsync = jest.spyOn(nodeFs, 'fsync').mockImplementation(((fd: number, done: (e: Error | null) => void) => {
      real.fsync(fd, (e) => {
        events.push(`fsync ${opened.get(fd)} done`);
        done(e);
      });
    }) as typeof nodeFs.fsync);
    const link = jest.spyOn(nodeFs, 'linkSync');
    const rename = jest.spyOn(nodeFs, 'renameSync');
    link.mockImplementation(((from: string, to: string) => {
      events.push(`link ${path.basename(from)} ${path.basename(to)}`);
      return real.linkSync(from, to);
    }) as typeof nodeFs.linkSync);
    rename.mockImplementation(((from: string, to: string) => {
      events.push(`rename ${path.basename(from)} ${path.basename(to)}`);
      return real.renameSync(from, to);
    }) as typeof nodeFs.renameSync);
    try {
      const store = fileSecretStore({ dir });
      const password = await store.getOrCreate('comm-user-password', () => 'generated', meta);
      await store.set('comm-user-password', password, { ...meta, tags: { ...meta.tags, 's4-applied': 'yes' } });
    } finally {
      for (const spy of [open, fsync, link, rename]) spy.mockRestore();
    }
    expect(events).toHaveLength(4);
    const [created, published, replaced, republished] = events;
    const tmpOf = (event: string) => /(\.[0-9a-f-]+\.tmp)/.exec(event)?.[1];
    expect(created).toMatch(/^fsync \.[0-9a-f-]+\.tmp done$/);
    expect(published).toBe(`link ${tmpOf(created)} comm-user-password.json`);
    expect(replaced).toMatch(/^fsync \.[0-9a-f-]+\.tmp done$/);
    expect(republished).toBe(`rename ${tmpOf(replaced)} comm-user-password.json`);
    expect(await fileSecretStore({ dir }).properties('comm-user-password')).toMatchObject({ tags: { 's4-applied': 'yes' } });
    expect(await fs.readdir(dir)).toEqual(['comm-user-password.json']);
  });

  it('getOrCreate returns the existing value unchanged', async () => {
    const store = fileSecretStore({ dir });
    await store.set('password', 'first', meta);
    expect(await store.getOrCreate('password', () => 'second', meta)).toBe('first');
    expect(await store.get('password')).toBe('first');
  });

  it('concurrent getOrCreate calls from separate store instances agree on one value', async () => {
    let counter = 0;
    const calls = Array.from({ length: 12 }, () =>
      fileSecretStore({ dir }).getOrCreate('comm-user-password', async () => `value-${++counter}`, meta),
    );
    const values = await Promise.all(calls);
    expect(new Set(values).size).toBe(1);
    expect(await fileSecretStore({ dir }).get('comm-user-password')).toBe(values[0]);
    expect(await fs.readdir(dir)).toEqual(['comm-user-password.json']);
  });

  it('refuses a name that could escape the directory, naming the secret', async () => {
    const error = await fileSecretStore({ dir }).set('../../evil', 'value', meta).catch((e) => e);
    expect(error).toBeInstanceOf(SecretStoreError);
    expect(error.message).toContain('../../evil');
    await expect(fs.readdir(dataDir)).resolves.not.toContain('evil.json');
  });

  it('a corrupt secret file gives an error that names the secret and not its content', async () => {
    const store = fileSecretStore({ dir });
    await store.set('broken', 'x', meta);
    await fs.writeFile(path.join(dir, 'broken.json'), '{"value":"leaky-partial-secret"');
    const error = await store.get('broken').catch((e) => e);
    expect(error).toBeInstanceOf(SecretStoreError);
    expect(error.message).toContain('broken');
    expect(error.message).not.toContain('leaky-partial-secret');
  });
});
