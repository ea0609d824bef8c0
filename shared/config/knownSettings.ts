/**
 * Every app setting the product knows, by who reads it. infra/ may set only these, and must set every
 * one the product needs in Azure (test/unit/infra/infraSettings.test.ts holds the two in step).
 */
import { ProductEnv } from './settings';
import { SAP_CONNECTION_SETTING_NAMES } from '../sap/http/connectionOptions';
import { STORAGE_SETTINGS } from '../registry/tableConnection';

/** Read and validated by the product's code (settings.ts, the SAP connection, the table registry). */
export const PRODUCT_SETTING_NAMES: readonly string[] = [
  ...Object.keys(ProductEnv.shape).filter((name) => name !== 'WEBSITE_INSTANCE_ID'),
  ...SAP_CONNECTION_SETTING_NAMES,
  ...STORAGE_SETTINGS,
  'AzureWebJobsStorage__clientId',
];

/**
 * Read by the Functions host, the Durable extension or the platform, not by the product's code; the
 * value says what for. (FUNCTIONS_WORKER_RUNTIME and the Node version are not app settings on the
 * Flex Consumption plan: they are the site's functionAppConfig.runtime.)
 */
export const PLATFORM_SETTINGS: Readonly<Record<string, string>> = {
  AzureWebJobsStorage__credential: 'identity-based storage connection of the host (managedidentity)',
  AzureWebJobsStorage__blobServiceUri: 'host leases and timers, Durable task hub (Azure Storage backend)',
  AzureWebJobsStorage__queueServiceUri: 'Durable task hub queues (Azure Storage backend)',
  DURABLE_TASK_SCHEDULER_CONNECTION_STRING: 'Durable Task Scheduler backend: endpoint and managed identity',
  AzureFunctionsJobHost__extensions__durableTask__storageProvider__type: 'host.json override: azureManaged selects the Durable Task Scheduler',
  AzureFunctionsJobHost__extensions__durableTask__storageProvider__connectionStringName: 'host.json override: the setting holding the scheduler connection',
  AzureFunctionsJobHost__extensions__durableTask__hubName: 'host.json override: the task hub of the Durable Task Scheduler',
  /** Set by the platform on every instance; listed so that settings read in tests may carry it. */
  WEBSITE_INSTANCE_ID: 'set by Azure: the app runs in Azure',
};

export function isKnownSetting(name: string): boolean {
  return PRODUCT_SETTING_NAMES.includes(name) || Object.hasOwn(PLATFORM_SETTINGS, name);
}
