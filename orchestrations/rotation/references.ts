/** What the rotation's steps hand each other through Durable history: public certificates and per-tenant facts, never a secret. */
import { z } from 'zod';
import { parseCertificate } from '../../shared/certificates/trustCertificate';
import { TrustCertificateRef } from '../onboarding/references';
import { TenantProblem } from './tenantOutcome';

export const CertificateRef = TrustCertificateRef;
export type CertificateRef = z.infer<typeof CertificateRef>;

export function certificateRef(pem: string): CertificateRef {
  const c = parseCertificate(pem);
  return { commonName: c.commonName, fingerprintSha256: c.fingerprintSha256, notBefore: c.notBefore, notAfter: c.notAfter, pem: c.pem, base64Der: c.base64Der };
}

export const SubaccountCertificates = z.object({ active: CertificateRef, passive: CertificateRef.optional() });
export type SubaccountCertificates = z.infer<typeof SubaccountCertificates>;

export const TenantReadiness = z.object({
  tenantHost: z.string(),
  ready: z.boolean(),
  /** The tenant's API takes the signing certificate ($metadata); false = a person uploads it. */
  certificateByApi: z.boolean(),
  /** One SAP round trip as preflight saw it: the basis of the expected window. */
  latencyMs: z.number(),
  problem: TenantProblem.optional(),
});
export type TenantReadiness = z.infer<typeof TenantReadiness>;

export const TenantCertificateState = z.object({
  tenantHost: z.string(),
  /** The communication system now holds the wanted certificate. */
  holds: z.boolean(),
  /** This step wrote it (false when it already held it). */
  changed: z.boolean(),
  problem: TenantProblem.optional(),
});
export type TenantCertificateState = z.infer<typeof TenantCertificateState>;
export const PushOutput = z.object({ tenants: z.array(TenantCertificateState) });
export type PushOutput = z.infer<typeof PushOutput>;

export const TenantVerification = z.object({ tenantHost: z.string(), ok: z.boolean(), problem: TenantProblem.optional() });
export type TenantVerification = z.infer<typeof TenantVerification>;
export const VerifyOutput = z.object({ tenants: z.array(TenantVerification) });
export type VerifyOutput = z.infer<typeof VerifyOutput>;
