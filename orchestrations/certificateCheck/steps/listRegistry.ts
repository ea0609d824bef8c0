/** Which subaccounts and tenants the check looks at: every row of the tenant registry; corrupt rows are reported and skipped. */
import { z } from 'zod';
import { settings } from '../../../shared/config';
import { tenantRegistryFromSettings, type CorruptTenantRecord } from '../../../shared/registry';
import { defineStep } from '../../../shared/workflow/defineStep';
import { SkippedRow } from '../findings';

export const listRegistry = defineStep({
  kind: 'check',
  outcome: 'checked',
  id: 'listRegistry',
  title: 'Tenants in the registry',
  system: () => 'tenant registry',
  input: z.object({}),
  output: z.object({ subaccounts: z.array(z.string()), tenants: z.number(), skipped: z.array(SkippedRow) }),
  async check() {
    const skipped: CorruptTenantRecord[] = [];
    const registry = tenantRegistryFromSettings(settings(), { onCorruptRecord: (row) => skipped.push(row) });
    const records = await registry.list();
    const subaccounts = [...new Set(records.map((r) => r.subaccountId.toLowerCase()))].sort();
    const warnings = skipped.map((s) => `skipped a corrupt registry row (${s.where}): ${s.problem}`);
    return {
      output: { subaccounts, tenants: records.length, skipped: skipped.map(({ where, problem }) => ({ where, problem })) },
      detail: `${records.length} tenants in ${subaccounts.length} subaccounts${skipped.length ? `; ${skipped.length} corrupt rows skipped` : ''}`,
      warnings,
    };
  },
});
