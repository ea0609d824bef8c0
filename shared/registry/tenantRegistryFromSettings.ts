import type { Settings } from '../config/settings';
import { fileTenantRegistry } from './fileTenantRegistry';
import { memoryTenantRegistry } from './memoryTenantRegistry';
import type { TenantRegistry } from './tenantRecord';

// One per process: a fresh memory registry per call would forget every record.
let memory: TenantRegistry | undefined;

/** The registry REGISTRY_STORE selects. */
export function tenantRegistryFromSettings(settings: Pick<Settings, 'registryStore' | 'paths'>): TenantRegistry {
  if (settings.registryStore === 'memory') return (memory ??= memoryTenantRegistry());
  return fileTenantRegistry({ dir: settings.paths.registry });
}
