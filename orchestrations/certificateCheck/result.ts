/** What a finished certificate check returns (the run's result in GET /api/certificate-checks/{id}). */
import { z } from 'zod';
import { SkippedRow, StatusCounts, TenantFinding } from './findings';

export const CertificateCheckResult = z.object({
  checkedAt: z.string(),
  expiryWindowDays: z.number(),
  subaccounts: z.number(),
  tenants: z.number(),
  counts: StatusCounts,
  /** Every tenant that is not ok, with what was found and what to do. */
  findings: z.array(TenantFinding),
  /** Registry rows that could not be read: skipped, with where they are and what is wrong. */
  skipped: z.array(SkippedRow),
  alert: z.object({ events: z.number(), webhook: z.string(), webhookHost: z.string().optional(), problem: z.string().optional() }),
});
export type CertificateCheckResult = z.infer<typeof CertificateCheckResult>;

export const CertificateCheckSubject = z.object({ date: z.string() });
