/** What a completed IAS application trust returns, and what the views show about a run. */
import { z } from 'zod';
import { AttributeMapping } from '../../shared/ias/attributeSources';

export const IasTrustResult = z.object({
  applicationId: z.string(),
  applicationName: z.string(),
  entityId: z.string(),
  acsEndpoints: z.number().int(),
  signingCertificates: z.array(z.object({ fingerprintSha256: z.string(), subject: z.string(), notAfter: z.string() })),
  assertionAttributes: z.array(AttributeMapping),
  /** The key IAS kept the metadata URL under (UNCONFIRMED which one it honours); absent without a URL. */
  metadataUrlKey: z.string().optional(),
});
export type IasTrustResult = z.infer<typeof IasTrustResult>;

export const IasTrustSubject = z.object({ iasTenant: z.string(), applicationName: z.string() });
