export {
  TenantRecord,
  TenantCheck,
  TenantRotation,
  TenantRegistryError,
  tenantKey,
  type TenantRegistry,
  type UpsertOptions,
  type RegistryOutcome,
  type CorruptTenantRecord,
  type CorruptRecordReporter,
} from './tenantRecord';
export { memoryTenantRegistry } from './memoryTenantRegistry';
export { fileTenantRegistry } from './fileTenantRegistry';
export { tableTenantRegistry, TenantRegistryUnavailableError } from './tableTenantRegistry';
export { tableConnectionFromEnv, tableClient, azuriteConnectionString, type TableConnection } from './tableConnection';
export { importFileRegistry, type FileRegistryImport } from './importFileRegistry';
export { tenantRegistryFromSettings } from './tenantRegistryFromSettings';
