/**
 * What the sandbox accepts as an Application in POST / PUT bodies and as the result of a PATCH,
 * after the published spec (ias_SCI_Application_Directory.yaml, `Application`). Fields the spec
 * types are checked with the spec's enums and lengths; fields it does not know pass through, as
 * the recordings show IAS keeping extra keys (`inherited`, `disabledInheritedProperties`, ...).
 * `id: ""` and `assertionAttributes: null` are accepted because the recorded Terraform client
 * sends them and IAS answers 201.
 */
import { z } from 'zod';

export const AUTHENTICATION_SCHEMA = 'urn:sap:identity:application:schemas:extension:sci:1.0:Authentication';
export const PROVISIONING_SCHEMA = 'urn:sap:identity:application:schemas:extension:sci:1.0:Provisioning';
export const AUTHORIZATION_SCHEMA = 'urn:sap:identity:application:schemas:extension:sci:1.0:Authorization';
export const CORE_SCHEMA = 'urn:sap:identity:application:schemas:core:1.0';

const BindingName = z.enum([
  'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
  'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect',
  'urn:oasis:names:tc:SAML:2.0:bindings:SOAP',
]);

const Certificate = z.looseObject({
  base64Certificate: z.string().min(1),
  isDefault: z.boolean().optional(),
  dn: z.string().optional(),
  validFrom: z.string().optional(),
  validTo: z.string().optional(),
});

const SamlConfiguration = z.looseObject({
  metadataUrl: z.url().optional(),
  defaultNameIdFormat: z
    .enum([
      'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
      'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
      'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
      'urn:oasis:names:tc:SAML:2.0:nameid-format:transient',
    ])
    .optional(),
  acsEndpoints: z
    .array(
      z.looseObject({
        bindingName: BindingName,
        location: z.string().min(1).max(2048),
        index: z.number().int(),
        isDefault: z.boolean().optional(),
      }),
    )
    .optional(),
  sloEndpoints: z
    .array(
      z.looseObject({
        bindingName: BindingName,
        location: z.string().min(1).max(2048),
        responseLocation: z.string().max(2048).optional(),
        isDefault: z.boolean().optional(),
      }),
    )
    .optional(),
  signSLOMessages: z.boolean().optional(),
  requireSignedSLOMessages: z.boolean().optional(),
  requireSignedAuthnRequest: z.boolean().optional(),
  signAssertions: z.boolean().optional(),
  signAuthnResponses: z.boolean().optional(),
  responseElementsToEncrypt: z
    .enum(['none', 'wholeAssertion', 'subjectNameId', 'attributes', 'subjectNameIdAndAttributes'])
    .optional(),
  certificatesForSigning: z
    .array(Certificate.extend({ isDefault: z.boolean() }))
    .max(2)
    .optional(),
  certificateForEncryption: Certificate.optional(),
  digestAlgorithm: z.enum(['sha1', 'sha256', 'sha512']).optional(),
  proxyAuthnRequest: z
    .looseObject({
      authenticationContext: z
        .enum(['none', 'forwardApplicationAuthnContext', 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport'])
        .optional(),
      issuerNameSuffix: z.string().max(32).regex(/^[A-Za-z0-9]*$/).optional(),
    })
    .optional(),
});

const SubjectNameIdentifierFallback = z.enum(['none', 'uid', 'mail', 'loginName', 'displayName', 'personnelNumber', 'userUuid']);

const AuthenticationSchema = z.looseObject({
  ssoType: z.enum(['saml2', 'openIdConnect', 'saml2oidc']).optional(),
  homeUrl: z.url().optional(),
  subjectNameIdentifier: z.string().max(255).optional(),
  fallbackSubjectNameIdentifier: SubjectNameIdentifierFallback.optional(),
  subjectNameIdentifierFunction: z.enum(['none', 'upperCase', 'lowerCase']).optional(),
  assertionAttributes: z
    .array(
      z.looseObject({
        assertionAttributeName: z.string().min(1).max(255),
        userAttributeName: z.string().min(1).max(255),
        inherited: z.boolean().optional(),
      }),
    )
    .nullable()
    .optional(),
  advancedAssertionAttributes: z
    .array(
      z.looseObject({
        attributeName: z.string().max(512),
        attributeValue: z.string().max(512),
        inherited: z.boolean().optional(),
      }),
    )
    .nullable()
    .optional(),
  defaultAuthenticatingIdpId: z.string().max(128).optional(),
  conditionalAuthentication: z
    .array(
      z.looseObject({
        userType: z.enum(['public', 'employee', 'customer', 'partner', 'external', 'onboardee']).optional(),
        userGroup: z.string().max(255).optional(),
        userEmailDomain: z.string().max(255).optional(),
        identityProviderId: z.string().max(255).optional(),
        ipNetworkRange: z.string().max(255).optional(),
      }),
    )
    .nullable()
    .optional(),
  saml2Configuration: SamlConfiguration.optional(),
  restApiAuthentication: z.looseObject({}).optional(),
});

export const ApplicationBody = z.looseObject({
  id: z.union([z.literal(''), z.uuid()]).optional(),
  name: z.string().max(255).optional(),
  description: z.string().max(255).optional(),
  parentApplicationId: z.uuid().optional(),
  multiTenantApp: z.boolean().optional(),
  globalAccount: z.string().max(255).optional(),
  schemas: z.array(z.enum([CORE_SCHEMA, AUTHENTICATION_SCHEMA, PROVISIONING_SCHEMA, AUTHORIZATION_SCHEMA])).optional(),
  branding: z.looseObject({ displayName: z.string().max(255).optional() }).optional(),
  [AUTHENTICATION_SCHEMA]: AuthenticationSchema.optional(),
  [PROVISIONING_SCHEMA]: z.looseObject({}).optional(),
  [AUTHORIZATION_SCHEMA]: z.looseObject({}).optional(),
});
export type ApplicationBody = z.infer<typeof ApplicationBody>;

export const PatchBody = z.object({
  operations: z
    .array(
      z.object({
        op: z.enum(['add', 'remove', 'replace']),
        path: z.string().max(255).regex(/^\/.*$/, 'path must start with /'),
        value: z.unknown().optional(),
      }),
    )
    .min(1),
});
export type PatchBody = z.infer<typeof PatchBody>;
