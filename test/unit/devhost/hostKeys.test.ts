import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isAuthorized, loadOrCreateHostKeys, presentedKey } from '../../../devhost/host/hostKeys';

describe('host keys', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'devhost-keys-'));
  });
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('generates the keys at first start, stores them with mode 0600 and reuses them later', () => {
    const first = loadOrCreateHostKeys(dataDir);
    const file = path.join(dataDir, 'host-keys.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(new Set([first.masterKey, first.functionKeys.default, first.systemKeys.durabletask_extension]).size).toBe(3);
    expect(loadOrCreateHostKeys(dataDir)).toEqual(first);
  });

  it('refuses a damaged keys file instead of silently replacing it', () => {
    fs.writeFileSync(path.join(dataDir, 'host-keys.json'), JSON.stringify({ masterKey: 'short' }));
    expect(() => loadOrCreateHostKeys(dataDir)).toThrow(/damaged/);
  });

  it('accepts the master key everywhere, the function key on function routes, the system key on the management API', () => {
    const keys = loadOrCreateHostKeys(dataDir);
    const { masterKey, functionKeys, systemKeys } = keys;
    expect(isAuthorized(keys, 'anonymous', undefined)).toBe(true);
    expect(isAuthorized(keys, 'function', undefined)).toBe(false);
    expect(isAuthorized(keys, 'function', 'wrong')).toBe(false);
    expect(isAuthorized(keys, 'function', functionKeys.default)).toBe(true);
    expect(isAuthorized(keys, 'function', masterKey)).toBe(true);
    expect(isAuthorized(keys, 'admin', functionKeys.default)).toBe(false);
    expect(isAuthorized(keys, 'admin', masterKey)).toBe(true);
    expect(isAuthorized(keys, 'system', systemKeys.durabletask_extension)).toBe(true);
    expect(isAuthorized(keys, 'system', functionKeys.default)).toBe(false);
    expect(isAuthorized(keys, 'function', systemKeys.durabletask_extension)).toBe(false);
  });

  it('reads the key from the x-functions-key header before the code query parameter', () => {
    expect(presentedKey('from-header', new URLSearchParams('code=from-query'))).toBe('from-header');
    expect(presentedKey(undefined, new URLSearchParams('code=from-query'))).toBe('from-query');
    expect(presentedKey(undefined, new URLSearchParams(''))).toBeUndefined();
  });
});
