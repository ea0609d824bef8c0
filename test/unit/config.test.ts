import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadSettings, resetSettingsCache, settings, SettingsError } from '../../shared/config';
import { secretStoreFromSettings } from '../../shared/secrets';
import { tenantRegistryFromSettings } from '../../shared/registry';

let cwd: string;
beforeEach(async () => {
  cwd = await fs.mkdtemp(path.join(os.tmpdir(), 'config-'));
});
afterEach(() => fs.rm(cwd, { recursive: true, force: true }));

const load = (env: Record<string, string | undefined>) => loadSettings(env, { cwd });

function problemsOf(env: Record<string, string | undefined>) {
  try {
    load(env);
  } catch (e) {
    expect(e).toBeInstanceOf(SettingsError);
    return (e as SettingsError).problems;
  }
  throw new Error('expected a SettingsError');
}

describe('loadSettings', () => {
  it('defaults to the embedded local stack', () => {
    const s = load({});
    expect(s).toMatchObject({ dataDir: path.join(cwd, '.data'), secretStore: 'file', registryStore: 'file', manualStepDeadlineDays: 7, sap: {} });
    expect(s.paths).toEqual({ secrets: path.join(cwd, '.data', 'secrets'), registry: path.join(cwd, '.data', 'registry') });
    expect(s.keyVaultUrl).toBeUndefined();
  });

  it('reads Key Vault and the deadline from the environment', () => {
    const s = load({ SECRET_STORE: 'keyvault', KEY_VAULT_URL: 'https://my-vault.vault.azure.net', ONBOARDING_MANUAL_STEP_DEADLINE_DAYS: '14', DATA_DIR: '/var/lib/onboarding' });
    expect(s).toMatchObject({ secretStore: 'keyvault', keyVaultUrl: 'https://my-vault.vault.azure.net', manualStepDeadlineDays: 14, dataDir: '/var/lib/onboarding' });
  });

  it('names every bad setting at once', () => {
    const problems = problemsOf({
      SECRET_STORE: 'vault',
      REGISTRY_STORE: 'cosmos',
      ONBOARDING_MANUAL_STEP_DEADLINE_DAYS: 'seven',
      SAP_HTTP_TIMEOUT_MS: '-5',
    });
    expect(problems.map((p) => p.setting).sort()).toEqual(['ONBOARDING_MANUAL_STEP_DEADLINE_DAYS', 'REGISTRY_STORE', 'SAP_HTTP_TIMEOUT_MS', 'SECRET_STORE']);
  });

  it('requires KEY_VAULT_URL, as https, when SECRET_STORE=keyvault', () => {
    expect(problemsOf({ SECRET_STORE: 'keyvault' })).toEqual([{ setting: 'KEY_VAULT_URL', message: 'is required when SECRET_STORE=keyvault' }]);
    expect(problemsOf({ SECRET_STORE: 'keyvault', KEY_VAULT_URL: 'http://my-vault.vault.azure.net' }).map((p) => p.setting)).toEqual(['KEY_VAULT_URL']);
  });

  it('the error message lists each setting on its own line', () => {
    try {
      load({ SECRET_STORE: 'x', ONBOARDING_MANUAL_STEP_DEADLINE_DAYS: '0' });
      throw new Error('expected a SettingsError');
    } catch (e) {
      expect((e as Error).message).toMatch(/- SECRET_STORE: /);
      expect((e as Error).message).toMatch(/- ONBOARDING_MANUAL_STEP_DEADLINE_DAYS: must be at least one second/);
    }
  });

  it('takes local.settings.json Values, with the environment winning', async () => {
    await fs.writeFile(
      path.join(cwd, 'local.settings.json'),
      JSON.stringify({ IsEncrypted: false, Values: { DATA_DIR: 'from-file', ONBOARDING_MANUAL_STEP_DEADLINE_DAYS: 3, SAP_CONNECT_TO: '127.0.0.1:4004' } }),
    );
    const s = load({ DATA_DIR: 'from-env' });
    expect(s.dataDir).toBe(path.join(cwd, 'from-env'));
    expect(s.manualStepDeadlineDays).toBe(3);
    expect(s.sap.connectTo).toBe('127.0.0.1:4004');
  });

  it('reports a broken local.settings.json instead of ignoring it', async () => {
    await fs.writeFile(path.join(cwd, 'local.settings.json'), '{ "Values": ');
    expect(problemsOf({}).map((p) => p.setting)).toEqual(['local.settings.json']);
  });

  it('resolves SAP_EXTRA_CA_FILE relative to the app directory and reports a missing file', async () => {
    const problems = problemsOf({ SAP_EXTRA_CA_FILE: 'missing-ca.pem' });
    expect(problems).toHaveLength(1);
    expect(problems[0].setting).toBe('SAP_EXTRA_CA_FILE');
    expect(problems[0].message).toContain(path.join(cwd, 'missing-ca.pem'));
  });

  it('settings() loads once and caches until reset', () => {
    const before = process.env.ONBOARDING_MANUAL_STEP_DEADLINE_DAYS;
    try {
      resetSettingsCache();
      process.env.ONBOARDING_MANUAL_STEP_DEADLINE_DAYS = '9';
      const first = settings();
      process.env.ONBOARDING_MANUAL_STEP_DEADLINE_DAYS = '10';
      expect(settings()).toBe(first);
      expect(first.manualStepDeadlineDays).toBe(9);
      resetSettingsCache();
      expect(settings().manualStepDeadlineDays).toBe(10);
    } finally {
      if (before === undefined) delete process.env.ONBOARDING_MANUAL_STEP_DEADLINE_DAYS;
      else process.env.ONBOARDING_MANUAL_STEP_DEADLINE_DAYS = before;
      resetSettingsCache();
    }
  });
});

describe('stores chosen by settings', () => {
  it('file secret store writes under DATA_DIR/secrets', async () => {
    const s = load({ DATA_DIR: 'data' });
    await secretStoreFromSettings(s).set('probe', 'v', { contentType: 'text/plain', tags: {} });
    expect(await fs.readdir(path.join(cwd, 'data', 'secrets'))).toEqual(['probe.json']);
  });

  it('memory registry is one per process; file registry writes under DATA_DIR/registry', async () => {
    const memory = load({ REGISTRY_STORE: 'memory' });
    expect(tenantRegistryFromSettings(memory)).toBe(tenantRegistryFromSettings(memory));
    const file = load({ DATA_DIR: 'data' });
    expect(await tenantRegistryFromSettings(file).list()).toEqual([]);
  });
});
