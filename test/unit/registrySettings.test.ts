/** Which tenant registry the settings choose, and where its table is, as Azure Functions reads AzureWebJobsStorage. */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadSettings, SettingsError } from '../../shared/config';
import { azuriteConnectionString } from '../../shared/registry';

let cwd: string;
beforeEach(async () => {
  cwd = await fs.mkdtemp(path.join(os.tmpdir(), 'registry-settings-'));
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

describe('registry store from settings', () => {
  it('UseDevelopmentStorage=true makes the registry a table on Azurite\'s well-known endpoint', () => {
    const s = load({ AzureWebJobsStorage: 'UseDevelopmentStorage=true' });
    expect(s.registryStore).toBe('table');
    expect(s.registryTable).toEqual({
      tableName: 'TenantRegistry',
      connection: { kind: 'connectionString', connectionString: 'UseDevelopmentStorage=true', tableServiceUri: 'http://127.0.0.1:10002/devstoreaccount1' },
    });
  });

  it('a connection string with its own TableEndpoint (Azurite on another port) is followed', () => {
    const s = load({ AzureWebJobsStorage: azuriteConnectionString(41234), REGISTRY_TABLE_NAME: 'Tenants2' });
    expect(s.registryTable?.connection.tableServiceUri).toBe('http://127.0.0.1:41234/devstoreaccount1');
    expect(s.registryTable?.tableName).toBe('Tenants2');
  });

  it('an account connection string without TableEndpoint points at the account\'s Table service', () => {
    const s = load({ AzureWebJobsStorage: 'DefaultEndpointsProtocol=https;AccountName=stsaptrust;AccountKey=a2V5;EndpointSuffix=core.windows.net' });
    expect(s.registryTable?.connection.tableServiceUri).toBe('https://stsaptrust.table.core.windows.net');
  });

  it('identity-based: AzureWebJobsStorage__accountName (and __clientId) as the Functions host reads them', () => {
    const s = load({ AzureWebJobsStorage__accountName: 'stsaptrust', AzureWebJobsStorage__clientId: '0c1d2e3f-0000-4000-8000-000000000001' });
    expect(s.registryStore).toBe('table');
    expect(s.registryTable?.connection).toEqual({
      kind: 'identity',
      tableServiceUri: 'https://stsaptrust.table.core.windows.net',
      managedIdentityClientId: '0c1d2e3f-0000-4000-8000-000000000001',
    });
    const explicit = load({ AzureWebJobsStorage__tableServiceUri: 'https://stsaptrust.table.core.windows.net/' });
    expect(explicit.registryTable?.connection).toEqual({ kind: 'identity', tableServiceUri: 'https://stsaptrust.table.core.windows.net' });
  });

  it('without any storage setting the registry stays a local file; REGISTRY_STORE chooses explicitly', () => {
    expect(load({}).registryStore).toBe('file');
    expect(load({ AzureWebJobsStorage: 'UseDevelopmentStorage=true', REGISTRY_STORE: 'memory' }).registryStore).toBe('memory');
    expect(load({ AzureWebJobsStorage: 'UseDevelopmentStorage=true', REGISTRY_STORE: 'file' }).registryTable).toBeUndefined();
  });

  it('local.settings.json as the example has it selects the table', async () => {
    await fs.writeFile(path.join(cwd, 'local.settings.json'), JSON.stringify({ Values: { AzureWebJobsStorage: 'UseDevelopmentStorage=true' } }));
    expect(load({}).registryStore).toBe('table');
  });

  it('names every bad storage setting', () => {
    expect(problemsOf({ REGISTRY_STORE: 'table' })).toEqual([expect.objectContaining({ setting: 'AzureWebJobsStorage', message: expect.stringContaining('required when REGISTRY_STORE=table') })]);
    expect(problemsOf({ AzureWebJobsStorage: 'not a connection string' })).toEqual([expect.objectContaining({ setting: 'AzureWebJobsStorage' })]);
    expect(problemsOf({ AzureWebJobsStorage__accountName: 'Not_An_Account' })).toEqual([expect.objectContaining({ setting: 'AzureWebJobsStorage__accountName' })]);
    expect(problemsOf({ AzureWebJobsStorage__tableServiceUri: 'http://stsaptrust.table.core.windows.net' })).toEqual([
      expect.objectContaining({ setting: 'AzureWebJobsStorage__tableServiceUri' }),
    ]);
    expect(problemsOf({ AzureWebJobsStorage: 'UseDevelopmentStorage=true', REGISTRY_TABLE_NAME: '1-bad' })).toEqual([expect.objectContaining({ setting: 'REGISTRY_TABLE_NAME' })]);
    expect(problemsOf({ REGISTRY_STORE: 'cosmos' })).toEqual([expect.objectContaining({ setting: 'REGISTRY_STORE', message: 'must be "table", "file" or "memory"' })]);
  });

  it('no problem message repeats the account key', () => {
    const key = 'c2VjcmV0LWtleS12YWx1ZQ==';
    const problems = problemsOf({ AzureWebJobsStorage: `AccountKey=${key};Nonsense=1` });
    expect(JSON.stringify(problems)).not.toContain(key);
  });
});
