/** History-safe values the Neo trust steps hand on: names, fingerprints, use cases, masked changes. */
import { z } from 'zod';
import { NeoTrustTarget } from '../../shared/neoTrust/pacedNeoTrust';

export { NeoTrustTarget };

export const TrustFindingView = z.object({ rule: z.string(), path: z.string(), message: z.string(), severity: z.enum(['error', 'warning']) });
export const TrustChangeView = z.object({ change: z.enum(['added', 'removed', 'changed']), field: z.string(), from: z.string().optional(), to: z.string().optional() });
export type TrustChangeView = z.infer<typeof TrustChangeView>;

/** What the trust steps read from the SecretStore: a document to import, by name and fingerprint. */
export const DocumentRef = z.object({ documentSecret: z.string(), fingerprint: z.string() });
export type DocumentRef = z.infer<typeof DocumentRef>;
