import type { Settings } from '../config/settings';
import { fileTenantRegistry } from './fileTenantRegistry';
import { memoryTenantRegistry } from './memoryTenantRegistry';
import { tableClient } from './tableConnection';
import { tableTenantRegistry } from './tableTenantRegistry';
import type { TenantRegistry } from './tenantRecord';

// One per process: a fresh memory registry per call would forget every record.
let memory: TenantRegistry | undefined;

/** The registry REGISTRY_STORE selects. */
export function tenantRegistryFromSettings(settings: Pick<Settings, 'registryStore' | 'registryTable' | 'paths'>): TenantRegistry {
  if (settings.registryStore === 'memory') return (memory ??= memoryTenantRegistry());
  if (settings.registryStore === 'table') {
    if (!settings.registryTable) throw new Error('REGISTRY_STORE=table without a table connection: loadSettings reports this as a settings problem');
    return tableTenantRegistry({ client: tableClient(settings.registryTable.connection, settings.registryTable.tableName) });
  }
  return fileTenantRegistry({ dir: settings.paths.registry });
}
