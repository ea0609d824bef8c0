/** Adds up what the sub-orchestrations found: counts for all tenants, details for those that are not ok. */
import { z } from 'zod';
import { defineStep } from '../../../shared/workflow/defineStep';
import { emptyCounts, StatusCounts, SubaccountCheck, TenantFinding } from '../findings';

export const summarize = defineStep({
  kind: 'derive',
  id: 'checkTenants',
  title: 'Certificates of every tenant',
  system: () => 'subaccounts and tenants',
  input: z.object({ checks: z.array(SubaccountCheck) }),
  output: z.object({ subaccounts: z.number(), tenants: z.number(), counts: StatusCounts, findings: z.array(TenantFinding) }),
  derive({ checks }) {
    const counts = emptyCounts();
    for (const c of checks) for (const s of Object.keys(counts) as (keyof typeof counts)[]) counts[s] += c.counts[s];
    const tenants = checks.reduce((n, c) => n + c.tenants, 0);
    const findings = checks.flatMap((c) => c.findings);
    const summary = (Object.entries(counts) as [string, number][]).filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s}`).join(', ');
    return {
      output: { subaccounts: checks.length, tenants, counts, findings },
      detail: `${tenants} tenants in ${checks.length} subaccounts${summary ? `: ${summary}` : ''}`,
      warnings: findings.filter((f) => f.status === 'unreachable').map((f) => `${f.tenantHost}: ${f.detail}`).slice(0, 20),
    };
  },
});
