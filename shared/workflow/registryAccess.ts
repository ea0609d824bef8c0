/**
 * A step's access to the tenant registry: a registry someone damaged by hand is the administrator's to
 * repair, not a product defect, so its error becomes a permanent step failure with the registry's fix.
 */
import { TenantRegistryError } from '../registry/tenantRecord';
import { PermanentStepError } from './stepOutcome';

export const REGISTRY = 'tenant registry';

export async function registryAccess<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (!(e instanceof TenantRegistryError)) throw e;
    throw new PermanentStepError({ system: REGISTRY, kind: 'RegistryUnreadable', message: e.message, fix: e.fix });
  }
}
