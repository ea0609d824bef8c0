/**
 * What `npm start` and `npm run demo` do for the tenant registry before the app loads: when the
 * registry is a table on this machine (`UseDevelopmentStorage=true`, or a connection string to
 * 127.0.0.1), start Azurite there unless one answers already, and carry the rows of an old file
 * registry (`<DATA_DIR>/registry`) into the table once.
 */
import path from 'node:path';
import { loadSettings, localSettingsValues, SettingsError, type Settings } from '../../shared/config';
import { hasStorageSetting } from '../../shared/registry/tableConnection';
import { importFileRegistry, tenantRegistryFromSettings, type CorruptTenantRecord } from '../../shared/registry';
import { startAzuriteTable, whatAnswersOn, type RunningAzurite } from './azuriteTable';

export interface LocalRegistryStorage {
  /** The Azurite this call started; undefined when another one (or a real account) serves the table. */
  azurite?: RunningAzurite;
  stop(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export async function prepareLocalRegistryStorage(settings: Settings, log: (line: string) => void): Promise<LocalRegistryStorage> {
  if (settings.registryStore !== 'table' || !settings.registryTable) return { stop: async () => undefined };
  const { connection, tableName } = settings.registryTable;
  const endpoint = new URL(connection.tableServiceUri);
  let azurite: RunningAzurite | undefined;
  if (connection.kind === 'connectionString' && LOOPBACK.has(endpoint.hostname)) {
    const port = Number(endpoint.port || (endpoint.protocol === 'https:' ? 443 : 80));
    const answering = await whatAnswersOn(port, endpoint.hostname === '[::1]' ? '::1' : endpoint.hostname);
    if (answering === 'other') {
      throw new Error(
        `The tenant registry's table is on ${endpoint.host} (AzureWebJobsStorage), but what answers there is not Azurite. Stop that program, or point AzureWebJobsStorage at another port.`,
      );
    }
    if (answering === 'azurite') log(`  registry:    table ${tableName} on the Azurite already running at ${endpoint.host}`);
    else {
      azurite = await startAzuriteTable({ location: path.join(settings.dataDir, 'azurite'), port });
      log(`  registry:    table ${tableName} on Azurite at ${endpoint.host} (started in ${azurite.startMs} ms, data in ${azurite.location})`);
    }
  } else {
    log(`  registry:    table ${tableName} at ${endpoint.origin}`);
  }

  try {
    await importOldFileRegistry(settings, tableName, log);
  } catch (e) {
    await azurite?.stop();
    throw e;
  }
  return { azurite, stop: async () => azurite?.stop() };
}

async function importOldFileRegistry(settings: Settings, tableName: string, log: (line: string) => void): Promise<void> {
  const corrupt: CorruptTenantRecord[] = [];
  const result = await importFileRegistry({
    dir: settings.paths.registry,
    into: tenantRegistryFromSettings(settings),
    onCorruptRecord: (c) => corrupt.push(c),
  });
  if (result.imported + result.alreadyThere > 0) {
    log(
      `  registry:    imported ${result.imported} row(s) from the file registry ${settings.paths.registry} into table ${tableName}` +
        `${result.alreadyThere ? ` (${result.alreadyThere} already there)` : ''}; the files are kept as *.json.migrated`,
    );
  }
  for (const c of corrupt) log(`  registry:    not imported, corrupt: ${c.where}. Repair it and start again, or delete it.`);
}

/**
 * For the product app under `npm start`: as local.settings.example.json does, the app's storage is
 * `UseDevelopmentStorage=true` unless the environment or local.settings.json names one, so the
 * registry is a table on Azurite. Sets that default in `env` (the app reads its settings from there).
 */
export async function prepareRegistryForProductApp(projectDir: string, env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<LocalRegistryStorage> {
  if (!hasStorageSetting({ ...localSettingsValues(path.join(projectDir, 'local.settings.json')), ...env })) env.AzureWebJobsStorage = 'UseDevelopmentStorage=true';
  let settings: Settings;
  try {
    settings = loadSettings(env, { cwd: projectDir });
  } catch (e) {
    // Bad settings are the app's to report (health and every route answer 503 naming them); devhost still serves it.
    if (!(e instanceof SettingsError)) throw e;
    log(`  registry:    not prepared, the settings are invalid (the app answers 503 and names them)`);
    return { stop: async () => undefined };
  }
  return prepareLocalRegistryStorage(settings, log);
}

/**
 * For `npm run demo`: its own Azurite on a free port with its data under the demo's DATA_DIR (so
 * `--fresh` clears it too and a running `npm start` is not touched), and the app settings that
 * point the registry at it.
 */
export async function startOwnRegistryStorage(dataDir: string, log: (line: string) => void): Promise<LocalRegistryStorage & { env: Record<string, string> }> {
  const azurite = await startAzuriteTable({ location: path.join(dataDir, 'azurite') });
  const env = { REGISTRY_STORE: 'table', AzureWebJobsStorage: azurite.connectionString };
  try {
    const settings = loadSettings({ ...env, DATA_DIR: dataDir }, { cwd: dataDir, localSettingsFile: false });
    await importOldFileRegistry(settings, settings.registryTable!.tableName, log);
  } catch (e) {
    await azurite.stop();
    throw e;
  }
  return { azurite, env, stop: () => azurite.stop() };
}
