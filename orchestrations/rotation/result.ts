/** What a rotation returns, and what the views show about it besides its steps. */
import { z } from 'zod';

export const TenantRotationReport = z.object({
  tenantHost: z.string(),
  outcome: z.enum(['rotated', 'rotated by hand', 'rolled back', 'failed', 'planned']),
  verified: z.boolean(),
  problem: z.string().optional(),
});

export const RotationResult = z.object({
  outcome: z.enum(['rotated', 'rolled back', 'planned']),
  subaccountId: z.string(),
  /** The certificate BTP signs with at the end. */
  activeCertificate: z.string(),
  oldCertificate: z.string(),
  tenants: z.array(TenantRotationReport),
  /** Until when POST /api/rotations/{id}/rollback could bring the old certificate back. */
  rollbackWindowEnd: z.string().optional(),
  /** The expected or measured window, in words: a plan's estimate, or the manual tenants' note. */
  window: z.string(),
});
export type RotationResult = z.infer<typeof RotationResult>;
export type TenantRotationReport = z.infer<typeof TenantRotationReport>;

export const RotationSubject = z.object({ subaccountId: z.string(), tenants: z.string() });
