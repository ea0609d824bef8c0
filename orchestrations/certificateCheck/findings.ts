/**
 * What the certificate check finds, per tenant and per subaccount. These values cross activity
 * boundaries and land in Durable history and the run view: names and fingerprints only, no secret.
 */
import { z } from 'zod';

export const CheckStatus = z.enum(['ok', 'expiring', 'mismatch', 'unreachable']);
export type CheckStatus = z.infer<typeof CheckStatus>;

export const CertificateSummary = z.object({
  commonName: z.string(),
  fingerprintSha256: z.string(),
  notAfter: z.string(),
  daysLeft: z.number(),
});
export type CertificateSummary = z.infer<typeof CertificateSummary>;

/** One tenant that is not ok. */
export const TenantFinding = z.object({
  tenantHost: z.string(),
  subaccountId: z.string(),
  status: CheckStatus,
  /** Days until the certificate the tenant trusts ends (expiring) or the active one ends. */
  daysLeft: z.number().optional(),
  detail: z.string(),
  fix: z.string(),
});
export type TenantFinding = z.infer<typeof TenantFinding>;

export const StatusCounts = z.object({ ok: z.number(), expiring: z.number(), mismatch: z.number(), unreachable: z.number() });
export type StatusCounts = z.infer<typeof StatusCounts>;

export const emptyCounts = (): StatusCounts => ({ ok: 0, expiring: 0, mismatch: 0, unreachable: 0 });

/** One subaccount checked: counts for all its tenants, details only for those that are not ok. */
export const SubaccountCheck = z.object({
  subaccountId: z.string(),
  tenants: z.number(),
  counts: StatusCounts,
  activeCertificate: CertificateSummary.optional(),
  findings: z.array(TenantFinding),
});
export type SubaccountCheck = z.infer<typeof SubaccountCheck>;

/** A registry row the check could not read: reported and skipped. */
export const SkippedRow = z.object({ where: z.string(), problem: z.string() });
export type SkippedRow = z.infer<typeof SkippedRow>;
