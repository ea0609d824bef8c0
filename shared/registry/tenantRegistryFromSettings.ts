import type { Settings } from '../config/settings';
import { fileTenantRegistry } from './fileTenantRegistry';
import { memoryTenantRegistry } from './memoryTenantRegistry';
import { tableClient } from './tableConnection';
import { tableTenantRegistry } from './tableTenantRegistry';
import type { CorruptRecordReporter, TenantRegistry } from './tenantRecord';

// One per process: a fresh memory registry per call would forget every record.
let memory: TenantRegistry | undefined;

/**
 * The registry REGISTRY_STORE selects. `onCorruptRecord` (table and file stores) hears of every
 * corrupt row a list skips, e.g. for a check that reports them; default a console warning.
 */
export function tenantRegistryFromSettings(settings: Pick<Settings, 'registryStore' | 'registryTable' | 'paths'>, options: { onCorruptRecord?: CorruptRecordReporter } = {}): TenantRegistry {
  if (settings.registryStore === 'memory') return (memory ??= memoryTenantRegistry());
  if (settings.registryStore === 'table') {
    if (!settings.registryTable) throw new Error('REGISTRY_STORE=table without a table connection: loadSettings reports this as a settings problem');
    return tableTenantRegistry({ client: tableClient(settings.registryTable.connection, settings.registryTable.tableName), ...options });
  }
  return fileTenantRegistry({ dir: settings.paths.registry, ...options });
}
