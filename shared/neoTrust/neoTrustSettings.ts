/**
 * The Neo trust settings (app settings / environment), checked when first used:
 * - NEO_TRUST_API_HOST: `api` (SAP's doc, default) or `apissecurity` (SAP's migration sample): which
 *   host of the landscape serves /trust/v2 (contracts D, update 2026-12).
 * - NEO_TRUST_REQUESTS_PER_MINUTE: the pace per subaccount (default 100, SAP's limit; SAP says the
 *   limit "may be further reduced").
 */
import { z } from 'zod';
import { NEO_TRUST_HOST_PREFIXES, type NeoTrustHostPrefix } from '../sap/neo/trustManagement';
import { NEO_REQUESTS_PER_MINUTE } from './subaccountPacer';

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const NeoTrustEnv = z.object({
  NEO_TRUST_API_HOST: z.preprocess(blank, z.enum(NEO_TRUST_HOST_PREFIXES as [NeoTrustHostPrefix, ...NeoTrustHostPrefix[]], { message: 'must be "api" or "apissecurity"' }).default('api')),
  NEO_TRUST_REQUESTS_PER_MINUTE: z.preprocess(blank, z.coerce.number().int().min(1).max(1_000, { message: 'must be at most 1000 (SAP allows 100; the pacing ledger keeps one send time per request in the window)' }).default(NEO_REQUESTS_PER_MINUTE)),
});

export interface NeoTrustSettings {
  trustHostPrefix: NeoTrustHostPrefix;
  requestsPerMinute: number;
}

export function neoTrustSettings(env: Record<string, string | undefined> = process.env): NeoTrustSettings {
  const parsed = NeoTrustEnv.safeParse(env);
  if (!parsed.success) {
    throw new Error(`Invalid settings: ${parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join('; ')}`);
  }
  return { trustHostPrefix: parsed.data.NEO_TRUST_API_HOST, requestsPerMinute: parsed.data.NEO_TRUST_REQUESTS_PER_MINUTE };
}
