/**
 * The parts of the IAS Application JSON the product reads (contracts C.3, spec `ApplicationResponse`).
 * Objects are loose: IAS returns many more keys (recordings) and the product must not break on them.
 * Note the recorded key `clientId` in the Authentication extension, where the spec says `clientID`.
 */
import { z } from 'zod';

export const IAS_AUTHENTICATION = 'urn:sap:identity:application:schemas:extension:sci:1.0:Authentication';

const Certificate = z.looseObject({
  base64Certificate: z.string(),
  dn: z.string().optional(),
  validFrom: z.string().optional(),
  validTo: z.string().optional(),
  isDefault: z.boolean().optional(),
});

export const SamlConfiguration = z.looseObject({
  metadataUrl: z.string().optional(),
  defaultNameIdFormat: z.string().optional(),
  acsEndpoints: z
    .array(z.looseObject({ bindingName: z.string(), location: z.string(), index: z.number().int(), isDefault: z.boolean().optional() }))
    .optional(),
  sloEndpoints: z
    .array(z.looseObject({ bindingName: z.string(), location: z.string(), responseLocation: z.string().optional(), isDefault: z.boolean().optional() }))
    .optional(),
  certificatesForSigning: z.array(Certificate).optional(),
  certificateForEncryption: Certificate.optional(),
  digestAlgorithm: z.string().optional(),
});

export const AuthenticationExtension = z.looseObject({
  ssoType: z.string().optional(),
  subjectNameIdentifier: z.string().optional(),
  clientId: z.string().optional(),
  assertionAttributes: z
    .array(z.looseObject({ assertionAttributeName: z.string(), userAttributeName: z.string(), inherited: z.boolean().optional() }))
    .optional(),
  advancedAssertionAttributes: z
    .array(z.looseObject({ attributeName: z.string(), attributeValue: z.string(), inherited: z.boolean().optional() }))
    .optional(),
  saml2Configuration: SamlConfiguration.optional(),
});

export const IasApplication = z.looseObject({
  id: z.string().min(1),
  name: z.string().optional(),
  description: z.string().optional(),
  meta: z
    .looseObject({ created: z.string().optional(), lastModified: z.string().optional(), location: z.string().optional(), type: z.string().optional() })
    .optional(),
  [IAS_AUTHENTICATION]: AuthenticationExtension.optional(),
});
export type IasApplication = z.infer<typeof IasApplication>;

export const IasApplicationPage = z.looseObject({
  totalResults: z.number().int().optional(),
  itemsPerPage: z.number().int().optional(),
  nextCursor: z.string().optional(),
  applications: z.array(IasApplication),
});
export type IasApplicationPage = z.infer<typeof IasApplicationPage>;

/** What create / replace send: the Application JSON without server-owned fields. */
export type IasApplicationInput = Record<string, unknown> & {
  name: string;
  description?: string;
  [IAS_AUTHENTICATION]?: Record<string, unknown>;
};

export interface IasPatchOperation {
  op: 'add' | 'remove' | 'replace';
  /** JSON pointer, e.g. `/name` or `/urn:sap:identity:application:schemas:extension:sci:1.0:Authentication/saml2Configuration/acsEndpoints`. */
  path: string;
  value?: unknown;
}

/** Path into the Authentication extension: `authenticationPath('saml2Configuration', 'acsEndpoints')`. */
export function authenticationPath(...segments: (string | number)[]): string {
  return `/${[IAS_AUTHENTICATION, ...segments].map((s) => String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
}
