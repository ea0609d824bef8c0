/**
 * GET /api/certificates: per subaccount and tenant, the certificate the tenant trusts as the registry
 * knows it, its days left, and what the last check and the last rotation said; most urgent first.
 */
import { z } from 'zod';
import { daysUntilExpiry } from '../../shared/certificates';
import type { TenantRecord } from '../../shared/registry';

export const ReportStatus = z.enum(['mismatch', 'unreachable', 'expiring', 'unchecked', 'ok']);
export type ReportStatus = z.infer<typeof ReportStatus>;

export const CertificateReportRow = z.object({
  subaccountId: z.string(),
  tenantHost: z.string(),
  commonName: z.string(),
  fingerprintSha256: z.string(),
  notAfter: z.string(),
  daysLeft: z.number(),
  /** The last check's status; `unchecked` before the first check. */
  status: ReportStatus,
  lastCheck: z.object({ at: z.string(), status: z.string(), detail: z.string().optional() }).optional(),
  lastRotation: z.object({ at: z.string(), rotationId: z.string(), outcome: z.string() }).optional(),
});
export type CertificateReportRow = z.infer<typeof CertificateReportRow>;

export const CertificateReport = z.object({
  generatedAt: z.string(),
  tenants: z.array(CertificateReportRow),
  /** Registry rows that could not be read. */
  skipped: z.array(z.object({ where: z.string(), problem: z.string() })),
});
export type CertificateReport = z.infer<typeof CertificateReport>;

const URGENCY: Record<ReportStatus, number> = { mismatch: 0, unreachable: 1, expiring: 2, unchecked: 3, ok: 4 };

/** Broken first (mismatch: tokens fail now), then what cannot be seen, then what ends soonest. */
export function byUrgency(a: CertificateReportRow, b: CertificateReportRow): number {
  return URGENCY[a.status] - URGENCY[b.status] || a.daysLeft - b.daysLeft || a.subaccountId.localeCompare(b.subaccountId) || a.tenantHost.localeCompare(b.tenantHost);
}

export function certificateReportRow(record: TenantRecord, now: Date): CertificateReportRow {
  const { trustCertificate: cert, lastCheck, lastRotation } = record;
  return {
    subaccountId: record.subaccountId,
    tenantHost: record.tenantHost,
    commonName: cert.commonName,
    fingerprintSha256: cert.fingerprintSha256,
    notAfter: cert.notAfter,
    daysLeft: daysUntilExpiry(cert, now),
    status: lastCheck?.status ?? 'unchecked',
    ...(lastCheck ? { lastCheck } : {}),
    ...(lastRotation ? { lastRotation } : {}),
  };
}
