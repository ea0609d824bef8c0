export { TenantRecord, tenantKey, type TenantRegistry, type RegistryOutcome } from './tenantRecord';
export { memoryTenantRegistry } from './memoryTenantRegistry';
export { fileTenantRegistry, TenantRegistryError } from './fileTenantRegistry';
export { tenantRegistryFromSettings } from './tenantRegistryFromSettings';
