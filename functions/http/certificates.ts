/** GET /api/certificates (registered in functions/certificateChecks.ts): the certificate report from the tenant registry (report.ts), most urgent first. */
import type { HttpResponseInit } from '@azure/functions';
import { settings } from '../../shared/config';
import { tenantRegistryFromSettings, type CorruptTenantRecord } from '../../shared/registry';
import { byUrgency, certificateReportRow, type CertificateReport } from '../../orchestrations/certificateCheck/report';
import { json } from './httpResponses';

export async function certificatesReport(): Promise<HttpResponseInit> {
  const skipped: CorruptTenantRecord[] = [];
  const registry = tenantRegistryFromSettings(settings(), { onCorruptRecord: (row) => skipped.push(row) });
  const now = new Date();
  const tenants = (await registry.list()).map((r) => certificateReportRow(r, now)).sort(byUrgency);
  const report: CertificateReport = { generatedAt: now.toISOString(), tenants, skipped: skipped.map(({ where, problem }) => ({ where, problem })) };
  return json(200, report);
}
