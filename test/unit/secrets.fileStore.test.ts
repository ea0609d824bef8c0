import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileSecretStore } from '../../shared/secrets/fileSecretStore';
import { SecretStoreError } from '../../shared/secrets/secretStore';

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
