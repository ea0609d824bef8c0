/**
 * A Destination service key, exactly as BTP shows it (contracts A.1). Only the fields we use are
 * checked; the rest (uaadomain, identityzone, tenantid, verificationkey, ...) pass through.
 */
import { z } from 'zod';

export const DestinationServiceKey = z.looseObject({
  clientid: z.string().min(1),
  clientsecret: z.string().min(1),
  /** XSUAA base, e.g. https://<subdomain>.authentication.<region>.hana.ondemand.com */
  url: z.url({ protocol: /^https$/ }),
  /** Destination service host, e.g. https://destination-configuration.cfapps.<region>.hana.ondemand.com */
  uri: z.url({ protocol: /^https$/ }),
  identityzone: z.string().optional(),
  tenantid: z.string().optional(),
});
export type DestinationServiceKey = z.infer<typeof DestinationServiceKey>;

/**
 * Parses a service key given as JSON text or object; `cf service-key` output wrapped in
 * `{"credentials": {...}}` is unwrapped. The error names the bad fields, never their values.
 */
export function parseDestinationServiceKey(input: unknown): DestinationServiceKey {
  let value = input;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      throw new Error('Destination service key is not valid JSON');
    }
  }
  if (value && typeof value === 'object' && 'credentials' in value && typeof (value as { credentials: unknown }).credentials === 'object') {
    value = (value as { credentials: unknown }).credentials;
  }
  const parsed = DestinationServiceKey.safeParse(value);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join('.') || '(key)'}: ${i.message}`);
    throw new Error(`Destination service key is invalid: ${fields.join('; ')}`);
  }
  return parsed.data;
}
