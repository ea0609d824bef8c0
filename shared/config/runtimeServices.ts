/** The long-lived services of one app process, built once from the settings. */
import { settings } from './settings';
import { secretStoreFromSettings } from '../secrets/secretStoreFromSettings';
import { tenantRegistryFromSettings } from '../registry/tenantRegistryFromSettings';
import type { SecretStore } from '../secrets';
import type { TenantRegistry } from '../registry';
import type { SapConnectionOptions } from '../sap/http';

export interface RuntimeServices {
  secrets: SecretStore;
  registry: TenantRegistry;
  connection: SapConnectionOptions;
  manualStepDeadlineDays: number;
}

let services: RuntimeServices | undefined;

export function runtimeServices(): RuntimeServices {
  if (!services) {
    const s = settings();
    services = {
      secrets: secretStoreFromSettings(s),
      registry: tenantRegistryFromSettings(s),
      connection: s.sap,
      manualStepDeadlineDays: s.manualStepDeadlineDays,
    };
  }
  return services;
}
