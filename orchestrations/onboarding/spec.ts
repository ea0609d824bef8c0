/**
 * The resolved onboarding: the request with every default applied and every derived value worked
 * out once, at the HTTP edge. It is the orchestration input, so it is stored in Durable history:
 * it carries secret NAMES only.
 */
import { z } from 'zod';
import { ADOPTABLE } from '../../shared/schemas/onboardingRequest';

export const UserIdMappingMode = z.enum(['user_uuid', 'user_name']);
export type UserIdMappingMode = z.infer<typeof UserIdMappingMode>;

export const Adoptable = z.enum(ADOPTABLE);
export type Adoptable = z.infer<typeof Adoptable>;

export const OnboardingSpec = z.object({
  btp: z.object({
    region: z.string(),
    subaccountId: z.string(),
    /** Secret name of the Destination service key JSON. */
    destinationServiceKeySecret: z.string(),
    destinationName: z.string(),
    /** POST the subaccount trust certificate when it does not exist yet (never renews one). */
    allowCertificateGeneration: z.boolean(),
    /** A trust certificate the administrator supplied instead of reading it from the Destination service (public). */
    trustCertificatePem: z.string().optional(),
  }),
  s4: z.object({
    /** API host, `my100001-api.s4hana.ondemand.com`. */
    host: z.string(),
    /** `my100001`: how administrators name the tenant; used in messages. */
    tenant: z.string(),
    /** UI host, `my100001.s4hana.ondemand.com`: the SAML2 audience and the system's host name. */
    uiHost: z.string(),
    /** Secret name of the SAP_COM_0A48 user `{"user","password"}`. */
    bootstrapUserSecret: z.string(),
    communicationUserName: z.string(),
    communicationSystemId: z.string(),
    scenarioId: z.string(),
    arrangementName: z.string(),
    userIdMappingMode: UserIdMappingMode,
  }),
  /** Extra destination properties (strings), e.g. `URL.queries.sap-client`. */
  destinationProperties: z.record(z.string(), z.string()),
  manualStepDeadlineDays: z.number().positive(),
  adopt: z.array(Adoptable).default([]),
});
export type OnboardingSpec = z.infer<typeof OnboardingSpec>;

/** The one-run-at-a-time key of an onboarding: tenant and subaccount. */
export const onboardingKey = (spec: Pick<OnboardingSpec, 's4' | 'btp'>) => `${spec.s4.tenant}-${spec.btp.subaccountId}`.toLowerCase();

/** The input every onboarding step gets at least. */
export const SpecInput = z.object({ spec: OnboardingSpec });
export type SpecInput = z.infer<typeof SpecInput>;

export const btpSystem = (spec: OnboardingSpec) => `subaccount ${spec.btp.subaccountId}`;
