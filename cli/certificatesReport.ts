/** `sap-trust certificates`: GET /api/certificates as a table, most urgent first (mismatch, unreachable, expiring by days left). */
import { byUrgency, CertificateReport, type CertificateReportRow } from '../orchestrations/certificateCheck/report';
import type { OnboardingApi } from './onboardingApi';

export async function fetchCertificateReport(api: OnboardingApi): Promise<CertificateReport> {
  return api.getJson('/api/certificates', CertificateReport);
}

const shortFingerprint = (fp: string) => fp.replace(/:/g, '').slice(0, 12).toUpperCase();
const day = (iso: string | undefined) => (iso ? iso.slice(0, 10) : '-');
const minute = (iso: string | undefined) => (iso ? iso.slice(0, 16).replace('T', ' ') : '-');

/** The report's lines: a header, one row per tenant, then the skipped registry rows. */
export function certificateReportLines(report: CertificateReport): string[] {
  if (report.tenants.length === 0 && report.skipped.length === 0) return ['No tenant is recorded yet: onboard one with sap-trust onboard <file.json>.'];
  const rows: CertificateReportRow[] = [...report.tenants].sort(byUrgency);
  const table = [
    ['STATUS', 'DAYS', 'EXPIRES', 'TENANT', 'SUBACCOUNT', 'CERTIFICATE CN', 'SHA-256', 'LAST CHECK', 'LAST ROTATION'],
    ...rows.map((r) => [
      r.status,
      String(r.daysLeft),
      day(r.notAfter),
      r.tenantHost,
      r.subaccountId,
      r.commonName,
      shortFingerprint(r.fingerprintSha256),
      minute(r.lastCheck?.at),
      r.lastRotation ? `${day(r.lastRotation.at)} ${r.lastRotation.outcome}` : '-',
    ]),
  ];
  const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)));
  const lines = table.map((row) => row.map((cell, c) => (c === 1 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd());
  for (const s of report.skipped) lines.push(`skipped a corrupt registry row (${s.where}): ${s.problem}`);
  const attention = rows.filter((r) => r.status !== 'ok' && r.status !== 'unchecked');
  if (attention.length) lines.push('', `${attention.length} of ${rows.length} tenants need attention: sap-trust status certcheck-<day> or GET /api/certificate-checks shows the findings and what to do.`);
  return lines;
}
