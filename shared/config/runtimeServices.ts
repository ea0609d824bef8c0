/** The long-lived services of one app process, built once from the settings. */
import { settings } from './settings';
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
    // Required here, at the first invocation that needs them, not when the app entry loads (cold start).
    const { secretStoreFromSettings } = require('../secrets/secretStoreFromSettings') as typeof import('../secrets/secretStoreFromSettings');
    const { tenantRegistryFromSettings } = require('../registry/tenantRegistryFromSettings') as typeof import('../registry/tenantRegistryFromSettings');
    services = {
      secrets: secretStoreFromSettings(s),
      registry: tenantRegistryFromSettings(s),
      connection: s.sap,
      manualStepDeadlineDays: s.manualStepDeadlineDays,
    };
  }
  return services;
}
