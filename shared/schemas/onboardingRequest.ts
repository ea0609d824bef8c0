/**
 * `POST /api/onboardings`: what an administrator asks for. Strict (unknown fields are errors, so a
 * typo never silently falls back to a default). Parsing fills every default, including the derived
 * names, so the output parses again to itself.
 */
import { z } from 'zod';
import { parseCertificate } from '../certificates/trustCertificate';
import { CertificateError } from '../certificates/certificateError';
import { matchS4ApiHost } from '../sap/http/servicePins';
import { s4TenantOf } from '../secrets/secretNames';
import { SecretName } from './secretName';

export const DEFAULT_SCENARIO_ID = 'SAP_COM_0501';

/** Objects the request may allow the onboarding to take over although it did not create them or something else uses them. */
export const ADOPTABLE = ['communicationUser', 'communicationSystem', 'destination'] as const;
export const NAME_ID_FORMATS = {
  unspecified: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
  emailAddress: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
} as const;
export const AUTHN_CONTEXT_CLASS_REFS = ['urn:oasis:names:tc:SAML:2.0:ac:classes:X509', 'urn:oasis:names:tc:SAML:2.0:ac:classes:PreviousSession'] as const;

/** Destination keys the onboarding owns: an override could break the trust or smuggle a secret into history. */
const RESERVED_DESTINATION_KEYS = new Set(
  ['Name', 'Type', 'URL', 'ProxyType', 'Authentication', 'audience', 'clientKey', 'tokenServiceURL', 'tokenServiceURLType', 'tokenServiceUser', 'tokenServicePassword', 'nameIdFormat', 'userIdSource', 'authnContextClassRef', 'Description'].map((k) => k.toLowerCase()),
);

export interface OnboardingRequestOptions {
  /** SAP_HOST_ALLOWLIST_EXTRA patterns (settings().sap.allowlistExtra). */
  allowlistExtra?: readonly string[];
}

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/;

/**
 * The S/4 host gets the bootstrap user's password, so it is pinned to the S/4HANA Cloud API hosts
 * (servicePins.ts; plus what settings add): the general SAP allowlist also admits
 * *.hana.ondemand.com, where any Cloud Foundry app can have a host name.
 */
function s4Host(allowlistExtra: readonly string[]) {
  const allowed = ['<tenant>-api.s4hana.ondemand.com', '<tenant>-api.s4hana.cloud.sap', ...allowlistExtra];
  return z
    .string()
    .trim()
    .toLowerCase()
    .superRefine((host, ctx) => {
      if (!HOST_NAME.test(host)) {
        ctx.addIssue({ code: 'custom', message: 'must be a host name such as my100001-api.s4hana.ondemand.com (no https://, no path, no port)' });
      } else if (!host.split('.')[0].endsWith('-api')) {
        ctx.addIssue({ code: 'custom', message: 'must be the API host with the -api suffix, e.g. my100001-api.s4hana.ondemand.com' });
      } else if (!matchS4ApiHost(host, allowlistExtra).ok) {
        ctx.addIssue({ code: 'custom', message: `is not an allowed S/4HANA Cloud host (allowed: ${allowed.join(', ')})` });
      }
    })
    .meta({ description: 'API host of the S/4HANA Cloud tenant, with the -api suffix', examples: ['my100001-api.s4hana.ondemand.com'] });
}

const CertificatePem = z
  .string()
  .superRefine((pem, ctx) => {
    try {
      parseCertificate(pem);
    } catch (e) {
      if (!(e instanceof CertificateError)) throw e;
      ctx.addIssue({ code: 'custom', message: `is not a usable certificate: ${e.message}` });
    }
  })
  .meta({ description: 'PEM (or base64 DER) of the subaccount trust certificate to use instead of reading it from the Destination service' });

const Btp = z.strictObject({
  region: z
    .string()
    .regex(/^[a-z]{2,4}[0-9]{1,3}(-[0-9]{3})?$/, 'must be a BTP region such as eu10, us10 or eu10-004')
    .meta({ examples: ['eu10'] }),
  subaccountId: z.guid({ error: (iss) => (iss.code === 'invalid_format' ? 'must be the subaccount ID, a GUID such as 7b3c1e2a-4d5f-4a6b-9c8d-0e1f2a3b4c5d' : undefined) }).transform((s) => s.toLowerCase()),
  destinationServiceKeySecret: SecretName,
  destinationName: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,200}$/, 'must be 1 to 200 letters, digits, "-" or "_"')
    .optional()
    .meta({ description: 'Default: S4HC_<TENANT>_<scenario ID>' }),
  allowCertificateGeneration: z
    .boolean()
    .default(false)
    .meta({ description: 'Create the subaccount trust certificate when it does not exist yet. An existing one is never renewed.' }),
  trustCertificatePem: CertificatePem.optional(),
});

const S4 = (allowlistExtra: readonly string[]) =>
  z.strictObject({
    host: s4Host(allowlistExtra),
    bootstrapUserSecret: SecretName.meta({ description: 'Name of the stored SAP_COM_0A48 communication user, JSON {"user","password"}' }),
    communicationSystemId: z
      .string()
      .regex(/^[A-Z][A-Z0-9_]{0,19}$/, 'must be 1 to 20 upper-case letters, digits or "_", starting with a letter')
      .optional()
      .meta({ description: 'Default: BTP_<first 8 characters of the subaccount ID>' }),
    communicationUserName: z
      .string()
      .regex(/^[A-Z][A-Z0-9_]{0,39}$/, 'must be 1 to 40 upper-case letters, digits or "_", starting with a letter')
      .optional()
      .meta({ description: 'Default: COM<scenario number>_<first 8 characters of the subaccount ID>' }),
    scenarioId: z
      .string()
      .regex(/^SAP_COM_[0-9A-Z]{4}$/, 'must be a communication scenario ID such as SAP_COM_0501')
      .default(DEFAULT_SCENARIO_ID),
    userIdMappingMode: z
      .enum(['user_uuid', 'user_name'], { error: 'must be "user_uuid" or "user_name"' })
      .default('user_uuid')
      .meta({ description: 'S/4 "User ID Mapping Mode" of the OAuth 2.0 identity provider' }),
    arrangementName: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,80}$/, 'must be 1 to 80 letters, digits, "-" or "_"')
      .optional()
      .meta({ description: 'Default: <scenario ID>_<first 8 characters of the subaccount ID>' }),
  });

const DestinationOverrides = z.strictObject({
  description: z.string().max(255).optional(),
  nameIdFormat: z.enum([NAME_ID_FORMATS.unspecified, NAME_ID_FORMATS.emailAddress]).optional(),
  userIdSource: z
    .string()
    .regex(/^[A-Za-z0-9_.$[\]'-]{1,200}$/, 'must be a JWT claim name or JsonPath such as user_uuid')
    .optional()
    .meta({ description: 'Default follows userIdMappingMode: user_uuid for user_uuid, unset for user_name' }),
  authnContextClassRef: z.enum(AUTHN_CONTEXT_CLASS_REFS).optional(),
  sapClient: z.string().regex(/^[0-9]{3}$/, 'must be a three-digit SAP client such as 100').optional(),
  additionalProperties: z
    .record(
      z.string().regex(/^[A-Za-z0-9_.-]{1,200}$/, 'property names are letters, digits, ".", "-" or "_"'),
      z.string().max(4000),
    )
    .superRefine((props, ctx) => {
      for (const key of Object.keys(props)) {
        if (RESERVED_DESTINATION_KEYS.has(key.toLowerCase())) {
          ctx.addIssue({ code: 'custom', path: [key], message: 'is set by the onboarding; use the dedicated field or leave it out' });
        } else if (/password|secret|credential|keystore/i.test(key)) {
          ctx.addIssue({ code: 'custom', path: [key], message: 'secret values cannot be given in a request' });
        }
      }
    })
    .optional(),
});

export function onboardingRequestSchema({ allowlistExtra = [] }: OnboardingRequestOptions = {}) {
  return z
    .strictObject({
      btp: Btp,
      s4: S4(allowlistExtra),
      destination: DestinationOverrides.optional(),
      adopt: z
        .array(z.enum(ADOPTABLE, { error: `must be one of ${ADOPTABLE.join(', ')}` }))
        .default([])
        .meta({ description: 'Take over these existing objects knowingly, although the product did not create them or something else uses them. Without it, such an object is a Conflict that names its user.' }),
    })
    .transform((r) => {
      const sub8 = r.btp.subaccountId.replace(/-/g, '').slice(0, 8).toUpperCase();
      const tenant = s4TenantOf(r.s4.host);
      const scenarioNumber = r.s4.scenarioId.slice('SAP_COM_'.length);
      return {
        ...r,
        btp: { ...r.btp, destinationName: r.btp.destinationName ?? `S4HC_${tenant.toUpperCase()}_${r.s4.scenarioId}` },
        s4: {
          ...r.s4,
          communicationSystemId: r.s4.communicationSystemId ?? `BTP_${sub8}`,
          communicationUserName: r.s4.communicationUserName ?? `COM${scenarioNumber}_${sub8}`,
          arrangementName: r.s4.arrangementName ?? `${r.s4.scenarioId}_${sub8}`,
        },
      };
    });
}

/** With the built-in allowlist only; the HTTP function uses onboardingRequestSchema(settings().sap). */
export const OnboardingRequest = onboardingRequestSchema();
export type OnboardingRequestInput = z.input<typeof OnboardingRequest>;
export type OnboardingRequest = z.output<typeof OnboardingRequest>;
