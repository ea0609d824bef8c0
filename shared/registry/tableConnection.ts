/**
 * Where the registry's table lives, from the function app's own storage settings, as Azure Functions
 * reads them: `AzureWebJobsStorage` as a connection string (`UseDevelopmentStorage=true` = Azurite on
 * 127.0.0.1:10002), or identity-based `AzureWebJobsStorage__accountName` /
 * `AzureWebJobsStorage__tableServiceUri` (+ `__clientId` for a user-assigned identity) with
 * DefaultAzureCredential.
 */
import type { TokenCredential } from '@azure/identity';
import type { TableClient } from '@azure/data-tables';

export type TableConnection =
  | { kind: 'connectionString'; connectionString: string; tableServiceUri: string }
  | { kind: 'identity'; tableServiceUri: string; managedIdentityClientId?: string };

/** Azurite's well-known development account (published by Microsoft; not a secret). */
export const DEVELOPMENT_ACCOUNT = {
  name: 'devstoreaccount1',
  key: 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
};
export const AZURITE_TABLE_PORT = 10002;

/** A connection string to Azurite's Table service on a loopback port (what UseDevelopmentStorage=true means, on any port). */
export function azuriteConnectionString(port: number, host = '127.0.0.1'): string {
  const { name, key } = DEVELOPMENT_ACCOUNT;
  return `DefaultEndpointsProtocol=http;AccountName=${name};AccountKey=${key};TableEndpoint=http://${host}:${port}/${name};`;
}

export type StorageEnv = Record<string, string | undefined>;

export const STORAGE_SETTINGS = ['AzureWebJobsStorage', 'AzureWebJobsStorage__accountName', 'AzureWebJobsStorage__tableServiceUri'] as const;

export function hasStorageSetting(env: StorageEnv): boolean {
  return STORAGE_SETTINGS.some((name) => Boolean(env[name]?.trim()));
}

/** The table connection the settings describe, or the problems with them, each naming its setting. */
export function tableConnectionFromEnv(env: StorageEnv): { connection?: TableConnection; problems: { setting: string; message: string }[] } {
  const value = (name: string) => env[name]?.trim() || undefined;
  const connectionString = value('AzureWebJobsStorage');
  if (connectionString) {
    const uri = tableServiceUriOf(connectionString);
    if (!uri) {
      return {
        problems: [
          { setting: 'AzureWebJobsStorage', message: 'is not a storage connection string: use UseDevelopmentStorage=true locally, or the storage account\'s connection string (AccountName=…;AccountKey=…)' },
        ],
      };
    }
    return { connection: { kind: 'connectionString', connectionString, tableServiceUri: uri }, problems: [] };
  }
  const explicitUri = value('AzureWebJobsStorage__tableServiceUri');
  const accountName = value('AzureWebJobsStorage__accountName');
  const clientId = value('AzureWebJobsStorage__clientId');
  if (explicitUri) {
    let url: URL | undefined;
    try {
      url = new URL(explicitUri);
    } catch {
      url = undefined;
    }
    if (!url || url.protocol !== 'https:') {
      return { problems: [{ setting: 'AzureWebJobsStorage__tableServiceUri', message: 'must be the https URL of the Table service, e.g. https://mystorage.table.core.windows.net' }] };
    }
    return { connection: { kind: 'identity', tableServiceUri: withoutTrailingSlash(explicitUri), ...(clientId ? { managedIdentityClientId: clientId } : {}) }, problems: [] };
  }
  if (accountName) {
    if (!/^[a-z0-9]{3,24}$/.test(accountName)) {
      return { problems: [{ setting: 'AzureWebJobsStorage__accountName', message: 'must be a storage account name: 3 to 24 lower-case letters and digits' }] };
    }
    return {
      connection: { kind: 'identity', tableServiceUri: `https://${accountName}.table.core.windows.net`, ...(clientId ? { managedIdentityClientId: clientId } : {}) },
      problems: [],
    };
  }
  return {
    problems: [
      {
        setting: 'AzureWebJobsStorage',
        message:
          'is required when REGISTRY_STORE=table: UseDevelopmentStorage=true locally (Azurite), or in Azure AzureWebJobsStorage__accountName (identity-based) or a connection string',
      },
    ],
  };
}

/** The Table service URL a connection string points at; no secret in it. */
export function tableServiceUriOf(connectionString: string): string | undefined {
  if (/(^|;)\s*UseDevelopmentStorage\s*=\s*true\s*(;|$)/i.test(connectionString)) return `http://127.0.0.1:${AZURITE_TABLE_PORT}/${DEVELOPMENT_ACCOUNT.name}`;
  const parts = new Map(
    connectionString
      .split(';')
      .map((p) => p.trim())
      .filter(Boolean)
      .map((p) => {
        const at = p.indexOf('=');
        return [p.slice(0, at).trim().toLowerCase(), p.slice(at + 1).trim()] as const;
      }),
  );
  const endpoint = parts.get('tableendpoint');
  if (endpoint) return withoutTrailingSlash(endpoint);
  const account = parts.get('accountname');
  if (!account || !(parts.has('accountkey') || parts.has('sharedaccesssignature'))) return undefined;
  const protocol = parts.get('defaultendpointsprotocol') ?? 'https';
  return `${protocol}://${account}.table.${parts.get('endpointsuffix') ?? 'core.windows.net'}`;
}

export function tableClient(connection: TableConnection, tableName: string, credential?: TokenCredential): TableClient {
  // Loaded only when the table store is used: both packages are heavy for the app's start.
  const { TableClient } = require('@azure/data-tables') as typeof import('@azure/data-tables');
  if (connection.kind === 'connectionString') {
    const insecure = connection.tableServiceUri.startsWith('http:');
    return TableClient.fromConnectionString(connection.connectionString, tableName, { allowInsecureConnection: insecure });
  }
  const { DefaultAzureCredential } = require('@azure/identity') as typeof import('@azure/identity');
  return new TableClient(
    connection.tableServiceUri,
    tableName,
    credential ?? new DefaultAzureCredential(connection.managedIdentityClientId ? { managedIdentityClientId: connection.managedIdentityClientId } : {}),
  );
}

function withoutTrailingSlash(url: string): string {
  return url.endsWith('/') ? url.slice(0, -1) : url;
}
