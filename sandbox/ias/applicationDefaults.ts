/**
 * What IAS fills into an application on create, as the recordings show it
 * (ias_fixture_resource_application*.yaml: the GET after the POST), and the normalisation
 * IAS applies after every write (ACS endpoints get `isDefault: false`, certificates get their
 * read-only fields, assertion attributes get `inherited: false`).
 */
import {
  AUTHENTICATION_SCHEMA,
  AUTHORIZATION_SCHEMA,
  CORE_SCHEMA,
  PROVISIONING_SCHEMA,
  type ApplicationBody,
} from './applicationSchema';
import { fillCertificateFields } from './applicationCertificates';
import type { ErrorDetail } from './iasResponses';
import type { StoredApplication } from './iasState';

type Json = Record<string, unknown>;

const DEFAULT_ASSERTION_ATTRIBUTES = [
  ['first_name', 'firstName'],
  ['last_name', 'lastName'],
  ['mail', 'mail'],
  ['user_uuid', 'userUuid'],
  ['locale', 'language'],
].map(([assertionAttributeName, userAttributeName]) => ({ assertionAttributeName, userAttributeName, inherited: false }));

function samlDefaults(): Json {
  return {
    defaultNameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
    signSLOMessages: true,
    requireSignedSLOMessages: true,
    requireSignedAuthnRequest: false,
    signAssertions: true,
    signAuthnResponses: false,
    responseElementsToEncrypt: 'none',
    digestAlgorithm: 'sha256',
    proxyAuthnRequest: { authenticationContext: 'none' },
  };
}

function authenticationDefaults(clientId: string, defaultIdpId: string): Json {
  return {
    ssoType: 'saml2',
    subjectNameIdentifier: 'uid',
    rememberMeExpirationTimeInMonths: 3,
    passwordPolicy: 'https://accounts.sap.com/policy/passwords/sap/web/1.1',
    userAccess: {
      type: 'internal',
      userAttributesForAccess: [
        { userAttributeName: 'firstName', isRequired: false },
        { userAttributeName: 'lastName', isRequired: true },
        { userAttributeName: 'mail', isRequired: true },
      ],
    },
    companyId: 'global',
    clientId,
    assertionAttributes: DEFAULT_ASSERTION_ATTRIBUTES.map((a) => ({ ...a })),
    disabledInheritedProperties: {},
    spnegoEnabled: false,
    biometricAuthenticationEnabled: false,
    verifyMail: true,
    forceAuthentication: false,
    trustAllCorporateIdentityProviders: false,
    allowIasUsers: false,
    defaultAuthenticatingIdpId: defaultIdpId,
    riskBasedAuthentication: { defaultAction: ['allow'] },
    saml2Configuration: samlDefaults(),
    openIdConnectConfiguration: {
      tokenPolicy: {
        jwtValidity: 3600,
        refreshValidity: 43200,
        refreshParallel: 1,
        enableAuthzRuntime: false,
        offlineAccess: true,
        maxExchangePeriod: 'custom',
        maxExchangePeriodSeconds: 7776000,
        refreshTokenRotationScenario: 'off',
        accessTokenFormat: 'default',
      },
      restrictedGrantTypes: ['clientCredentials', 'refreshToken', 'jwtBearer', 'password', 'authorizationCode'],
      enforceCompliantIssuer: false,
    },
    restApiAuthentication: { allowPublicClientFlows: false, allApisAccess: false, allowLocking: true, failedLoginAttempts: 0 },
  };
}

export interface NewApplicationContext {
  id: string;
  clientId: string;
  location: string;
  userId: string;
  now: Date;
  defaultIdpId: string;
  /** For PUT: the meta of the application being replaced. */
  previousMeta?: Json;
}

function withoutNulls(source: Json): Json {
  return Object.fromEntries(Object.entries(source).filter(([, v]) => v !== null && v !== undefined));
}

/** The application as IAS stores it after POST (or PUT, which replaces everything but id/meta/clientId). */
export function buildApplication(body: ApplicationBody, ctx: NewApplicationContext): StoredApplication {
  const { id: _id, meta: _meta, schemas: _schemas, branding, ...core } = body as Json;
  const requestedAuth = withoutNulls((body[AUTHENTICATION_SCHEMA] ?? {}) as Json);
  const { clientId: _clientId, saml2Configuration, restApiAuthentication, ...auth } = requestedAuth;
  const defaults = authenticationDefaults(ctx.clientId, ctx.defaultIdpId);
  const { unlock: _unlock, ...restApi } = (restApiAuthentication ?? {}) as Json;
  const timestamp = ctx.now.toISOString();

  const coreFields = withoutNulls(core);
  delete coreFields[AUTHENTICATION_SCHEMA];
  delete coreFields[PROVISIONING_SCHEMA];
  delete coreFields[AUTHORIZATION_SCHEMA];
  return {
    id: ctx.id,
    meta: {
      created: (ctx.previousMeta?.created as string | undefined) ?? timestamp,
      createdBy: (ctx.previousMeta?.createdBy as string | undefined) ?? ctx.userId,
      lastModified: timestamp,
      modifiedBy: ctx.userId,
      location: ctx.location,
      type: 'charged',
      version: '1',
    },
    multiTenantApp: false,
    globalAccount: 'unknown',
    ...coreFields,
    schemas: [CORE_SCHEMA, AUTHENTICATION_SCHEMA, AUTHORIZATION_SCHEMA, PROVISIONING_SCHEMA],
    branding: {
      showDisplayNameOnLogonScreen: true,
      rememberMeVisible: true,
      rememberMeChecked: false,
      refreshParent: true,
      tokenUrlEmbedCharacter: ';',
      theme: { type: 'horizon' },
      ...((branding as Json | undefined) ?? {}),
    },
    [AUTHENTICATION_SCHEMA]: {
      ...defaults,
      ...auth,
      saml2Configuration: { ...samlDefaults(), ...((saml2Configuration as Json | undefined) ?? {}) },
      restApiAuthentication: { ...(defaults.restApiAuthentication as Json), ...restApi },
    },
    [PROVISIONING_SCHEMA]: { centralStoreProvisioningEnabled: false, ...((body[PROVISIONING_SCHEMA] as Json | undefined) ?? {}) },
    [AUTHORIZATION_SCHEMA]: {
      amsConfiguration: { enabled: false, amsManagedAttributes: {} },
      ...((body[AUTHORIZATION_SCHEMA] as Json | undefined) ?? {}),
    },
  };
}

function fillInherited(list: unknown): void {
  if (!Array.isArray(list)) return;
  for (const item of list) if (item && typeof item === 'object' && !('inherited' in item)) (item as Json).inherited = false;
}

/** Server-side fill-ins after every write; returns the certificates IAS could not read. */
export function normaliseApplication(app: StoredApplication): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const auth = app[AUTHENTICATION_SCHEMA] as Json | undefined;
  if (!auth) return problems;
  fillInherited(auth.assertionAttributes);
  fillInherited(auth.advancedAssertionAttributes);
  const saml = auth.saml2Configuration as Json | undefined;
  if (!saml) return problems;
  const prefix = `${AUTHENTICATION_SCHEMA}.saml2Configuration`;
  if (Array.isArray(saml.acsEndpoints)) {
    for (const acs of saml.acsEndpoints as Json[]) if (acs.isDefault === undefined) acs.isDefault = false;
  }
  if (Array.isArray(saml.certificatesForSigning)) {
    (saml.certificatesForSigning as Json[]).forEach((cert, i) => {
      const problem = fillCertificateFields(cert, `${prefix}.certificatesForSigning[${i}].base64Certificate`);
      if (problem) problems.push(problem);
    });
  }
  if (saml.certificateForEncryption && typeof saml.certificateForEncryption === 'object') {
    const problem = fillCertificateFields(saml.certificateForEncryption as Json, `${prefix}.certificateForEncryption.base64Certificate`);
    if (problem) problems.push(problem);
  }
  return problems;
}
