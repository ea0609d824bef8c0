/**
 * The onboarding of a seeded sandbox tenant, as an administrator would prepare it: the two
 * credentials it needs (the subaccount's Destination service key and the tenant's SAP_COM_0A48
 * user) and the request naming them. Used by `npm run demo` and the onboarding benchmark.
 */
import { z } from 'zod';
import { SECRET_CONTENT_TYPES } from '../shared/secrets/secretNames';

const SeededSubaccount = z.object({
  guid: z.string(),
  region: z.string(),
  subdomain: z.string(),
  /** Exactly as BTP shows it; forwarded whole. */
  serviceKey: z.looseObject({ clientid: z.string(), clientsecret: z.string(), url: z.string(), uri: z.string() }),
});
const SeededS4Tenant = z.object({
  tenant: z.string(),
  bootstrapUser: z.object({ name: z.string(), password: z.string() }),
});
const SeededLandscape = z.object({
  subaccounts: z.array(SeededSubaccount).min(1, 'the sandbox seed has no BTP subaccount'),
  s4Tenants: z.array(SeededS4Tenant).min(1, 'the sandbox seed has no S/4HANA Cloud tenant'),
});
export type SeededSubaccount = z.infer<typeof SeededSubaccount>;
export type SeededS4Tenant = z.infer<typeof SeededS4Tenant>;

export interface CredentialToStore {
  name: string;
  /** What it is, for the screen (the value itself is never shown). */
  description: string;
  value: Record<string, unknown>;
  contentType: string;
}

export interface PreparedOnboarding {
  tenant: string;
  subaccountId: string;
  credentials: CredentialToStore[];
  /** The POST /api/onboardings body. */
  request: {
    btp: { region: string; subaccountId: string; destinationServiceKeySecret: string; allowCertificateGeneration: boolean };
    s4: { host: string; bootstrapUserSecret: string };
  };
}

export function seededLandscape(seed: unknown): z.infer<typeof SeededLandscape> {
  const parsed = SeededLandscape.safeParse(seed);
  if (!parsed.success) throw new Error(`unexpected sandbox seed: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

export function prepareOnboarding(subaccount: SeededSubaccount, tenant: SeededS4Tenant): PreparedOnboarding {
  const serviceKeySecret = `btp-${subaccount.subdomain}-destination-service-key`.toLowerCase().replace(/[^0-9a-z-]+/g, '-');
  const bootstrapSecret = `s4-${tenant.tenant}-sap-com-0a48-user`;
  return {
    tenant: tenant.tenant,
    subaccountId: subaccount.guid,
    credentials: [
      {
        name: serviceKeySecret,
        description: `Destination service key of subaccount ${subaccount.subdomain}`,
        value: subaccount.serviceKey,
        contentType: SECRET_CONTENT_TYPES.destinationServiceKey,
      },
      {
        name: bootstrapSecret,
        description: `SAP_COM_0A48 communication user ${tenant.bootstrapUser.name} of ${tenant.tenant}`,
        value: { user: tenant.bootstrapUser.name, password: tenant.bootstrapUser.password },
        contentType: SECRET_CONTENT_TYPES.bootstrapUser,
      },
    ],
    request: {
      btp: {
        region: subaccount.region,
        subaccountId: subaccount.guid,
        destinationServiceKeySecret: serviceKeySecret,
        // Creates the subaccount's trust certificate only when it has none; an existing one is never renewed.
        allowCertificateGeneration: true,
      },
      s4: { host: `${tenant.tenant}-api.s4hana.ondemand.com`, bootstrapUserSecret: bootstrapSecret },
    },
  };
}
