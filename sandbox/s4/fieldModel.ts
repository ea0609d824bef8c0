/**
 * The one place where the sandbox's S/4HANA Cloud SAP_COM_0A48 model lives: entity sets, property
 * names, types, lengths, password rule, error texts and the token endpoint's choices.
 *
 * Source: ../shared/docs/sap-api-contracts.md section B. No public EDMX exists for these services,
 * so most details are UNCONFIRMED there; every such item is marked `unconfirmed` (or listed in
 * SANDBOX_CHOICES) here and nowhere else. Change a choice here and the whole S/4 sandbox follows.
 */

export type EdmType = 'Edm.String' | 'Edm.Boolean' | 'Edm.Int32' | 'Edm.Guid';

export interface PropertyModel {
  name: string;
  type: EdmType;
  maxLength?: number;
  /** Server-set; rejected in request bodies (OData Core.Computed). */
  computed?: boolean;
  /** Settable on create only (OData Core.Immutable). */
  immutable?: boolean;
  /** Accepted on write, never returned (passwords). */
  writeOnly?: boolean;
  /** Allowed values (SAP doc enumerations). */
  values?: readonly string[];
  /** Not backed by an SAP source (contracts doc marks it UNCONFIRMED or gives no value). */
  unconfirmed?: string;
}

export interface NavigationModel {
  name: string;
  target: string; // entity type name
  collection: boolean;
}

export interface EntityModel {
  /** Entity type name in $metadata. */
  type: string;
  entitySet?: string;
  key: string;
  properties: PropertyModel[];
  navigations: NavigationModel[];
}

export interface ServiceModel {
  /** OData service name, also the path segment in /sap/opu/odata4/sap/<svc>/srvd_a2x/sap/<svc>/0001/. */
  service: 'aps_com_cu_a4c_odata' | 'aps_com_cs_a4c_odata' | 'aps_com_ca_a4c_odata';
  entities: EntityModel[];
}

/** The signing-certificate field whose writability is contract gap G.1 (tenant switch rejectSigningCertificateField). */
export const SIGNING_CERTIFICATE_FIELD = 'OAuth2IdentityProviderCertificatePublicKeyBase64';

const LEN_UNCONFIRMED = 'MaxLength chosen by the sandbox; no EDMX is public';

export const COMMUNICATION_USER: EntityModel = {
  type: 'CommunicationUserType',
  entitySet: 'CommunicationUsers',
  key: 'ID',
  properties: [
    { name: 'ID', type: 'Edm.String', maxLength: 12, computed: true, unconfirmed: 'format CC0000000NN from 3P-S4API' },
    { name: 'Name', type: 'Edm.String', maxLength: 40, immutable: true, unconfirmed: LEN_UNCONFIRMED },
    { name: 'Description', type: 'Edm.String', maxLength: 80, unconfirmed: LEN_UNCONFIRMED },
    { name: 'Type', type: 'Edm.String', maxLength: 30, values: ['customer_communication', 'provider_communication'] },
    { name: 'Password', type: 'Edm.String', maxLength: 128, writeOnly: true, unconfirmed: 'writable per 3P-S4API; policy UNCONFIRMED' },
    { name: 'IsLocked', type: 'Edm.Boolean', computed: true },
    { name: 'LockStatus', type: 'Edm.String', maxLength: 30, computed: true, values: ['not_locked', 'locked_global_by_admin', 'locked_local_by_admin', 'locked_by_system'] },
    { name: 'PasswordStatus', type: 'Edm.String', maxLength: 20, computed: true, values: ['active', 'inactive', 'productive', 'initial'] },
  ],
  navigations: [],
};

export const COMMUNICATION_SYSTEM: EntityModel = {
  type: 'CommunicationSystemType',
  entitySet: 'CommunicationSystems',
  key: 'UUID',
  properties: [
    { name: 'UUID', type: 'Edm.Guid', computed: true, unconfirmed: 'key type Edm.Guid' },
    { name: 'ID', type: 'Edm.String', maxLength: 60, immutable: true, unconfirmed: LEN_UNCONFIRMED },
    { name: 'Name', type: 'Edm.String', maxLength: 80, unconfirmed: LEN_UNCONFIRMED },
    { name: 'Description', type: 'Edm.String', maxLength: 80, unconfirmed: LEN_UNCONFIRMED },
    { name: 'Type', type: 'Edm.String', maxLength: 20, values: ['customer_managed', 'provider_managed'] },
    { name: 'HostName', type: 'Edm.String', maxLength: 255, unconfirmed: LEN_UNCONFIRMED },
    { name: 'HostNameUI', type: 'Edm.String', maxLength: 255, unconfirmed: LEN_UNCONFIRMED },
    { name: 'TCPPort', type: 'Edm.Int32' },
    { name: 'SAPClient', type: 'Edm.String', maxLength: 3 },
    { name: 'LogicalSystemID', type: 'Edm.String', maxLength: 10 },
    { name: 'BusinessSystemID', type: 'Edm.String', maxLength: 60, unconfirmed: LEN_UNCONFIRMED },
    { name: 'IsInboundOnly', type: 'Edm.Boolean' },
    { name: 'IsOwnSystem', type: 'Edm.Boolean', computed: true },
    { name: 'IsHubSystem', type: 'Edm.Boolean' },
    { name: 'IsOAuth2IdentityProviderActive', type: 'Edm.Boolean' },
    { name: 'OAuth2IdentityProviderName', type: 'Edm.String', maxLength: 255, unconfirmed: LEN_UNCONFIRMED },
    { name: 'OAuth2IdentityProviderUserLogonType', type: 'Edm.String', maxLength: 20, values: ['user_uuid', 'user_name'] },
    {
      name: SIGNING_CERTIFICATE_FIELD,
      type: 'Edm.String',
      unconfirmed: 'writability and format (sandbox: base64 DER, no PEM armour) UNCONFIRMED — contracts G.1',
    },
    { name: 'OAuth2IdentityProviderCertificateSubject', type: 'Edm.String', maxLength: 255, computed: true, unconfirmed: 'sandbox derives it from the certificate' },
    { name: 'OAuth2IdentityProviderCertificateIssuer', type: 'Edm.String', maxLength: 255, computed: true, unconfirmed: 'sandbox derives it from the certificate' },
  ],
  navigations: [
    { name: 'InboundUsers', target: 'CommunicationSystemInboundUserType', collection: true },
    { name: 'OutboundUsers', target: 'CommunicationSystemOutboundUserType', collection: true },
  ],
};

export const INBOUND_USER: EntityModel = {
  type: 'CommunicationSystemInboundUserType',
  entitySet: 'InboundUsers',
  key: 'UUID',
  properties: [
    { name: 'UUID', type: 'Edm.Guid', computed: true },
    { name: 'CommunicationSystemUUID', type: 'Edm.Guid', immutable: true },
    { name: 'CommunicationUserID', type: 'Edm.String', maxLength: 12 },
    { name: 'OAuth2ClientID', type: 'Edm.String', maxLength: 40, unconfirmed: 'derived from the user on create; see SANDBOX_CHOICES.oauth2ClientIdFrom' },
    { name: 'AuthenticationMethod', type: 'Edm.String', maxLength: 20, values: ['x509', 'basic', 'none', 'oauth2', 'oauth2_mtls', 'sso2', 'oauth1'] },
    { name: 'OAuth2GrantType', type: 'Edm.String', maxLength: 30, values: ['authorization_code', 'saml2-bearer', 'ropc', 'client_credentials'] },
    { name: 'IsOAuth2RefreshTokenAllowed', type: 'Edm.Boolean' },
    { name: 'OAuth2RefreshTokenExpiryValue', type: 'Edm.Int32' },
    { name: 'OAuth2RefreshTokenExpiryUnit', type: 'Edm.String', maxLength: 10, values: ['days', 'months', 'years'] },
  ],
  navigations: [],
};

export const OUTBOUND_USER: EntityModel = {
  type: 'CommunicationSystemOutboundUserType',
  entitySet: 'OutboundUsers',
  key: 'UUID',
  properties: [
    { name: 'UUID', type: 'Edm.Guid', computed: true },
    { name: 'CommunicationSystemUUID', type: 'Edm.Guid', immutable: true },
    { name: 'AuthenticationMethod', type: 'Edm.String', maxLength: 20, values: ['x509', 'basic', 'none', 'oauth2', 'oauth2_mtls', 'sso2', 'oauth1'] },
    { name: 'Name', type: 'Edm.String', maxLength: 60, unconfirmed: 'outbound user fields are not needed by the product; sandbox keeps a minimum' },
  ],
  navigations: [],
};

export const COMMUNICATION_ARRANGEMENT: EntityModel = {
  type: 'CommunicationArrangementType',
  entitySet: 'CommunicationArrangements',
  key: 'UUID',
  properties: [
    { name: 'UUID', type: 'Edm.Guid', computed: true },
    { name: 'CommunicationScenarioID', type: 'Edm.String', maxLength: 40, immutable: true },
    { name: 'CommunicationSystemID', type: 'Edm.String', maxLength: 60, immutable: true },
    { name: 'Name', type: 'Edm.String', maxLength: 80, unconfirmed: 'rule [a-zA-Z0-9_-] ≤80 assumed from the Extensibility service' },
    { name: 'Description', type: 'Edm.String', maxLength: 80, unconfirmed: LEN_UNCONFIRMED },
  ],
  navigations: [{ name: 'InboundUser', target: 'CommunicationArrangementInboundUserType', collection: false }],
};

export const ARRANGEMENT_INBOUND_USER: EntityModel = {
  type: 'CommunicationArrangementInboundUserType',
  key: 'CommunicationArrangementUUID',
  properties: [
    { name: 'CommunicationArrangementUUID', type: 'Edm.Guid', computed: true, unconfirmed: 'entity shape beyond CommunicationSystemInboundUserUUID' },
    { name: 'CommunicationSystemInboundUserUUID', type: 'Edm.Guid' },
  ],
  navigations: [],
};

export const SERVICES: readonly ServiceModel[] = [
  { service: 'aps_com_cu_a4c_odata', entities: [COMMUNICATION_USER] },
  { service: 'aps_com_cs_a4c_odata', entities: [COMMUNICATION_SYSTEM, INBOUND_USER, OUTBOUND_USER] },
  { service: 'aps_com_ca_a4c_odata', entities: [COMMUNICATION_ARRANGEMENT, ARRANGEMENT_INBOUND_USER] },
];

/** Arrangement names: the Extensibility service rule (contracts B.5, UNCONFIRMED for S/4). */
export const ARRANGEMENT_NAME_PATTERN = /^[A-Za-z0-9_-]{1,80}$/;
export const SCENARIO_ID_PATTERN = /^SAP_COM_[0-9A-Z]{4}$/;

/**
 * Communication user password rule. SAP publishes none for these users (contracts B.3: UNCONFIRMED;
 * the doc's example says "≥20 chars"), so the sandbox enforces: 20–128 characters, printable ASCII
 * without blanks. The product generates ≥32 characters from an SAP-safe alphabet, which passes.
 */
export const PASSWORD_RULE = { minLength: 20, maxLength: 128, pattern: /^[\x21-\x7e]+$/ } as const;

/** Everything the sandbox had to choose where the contracts doc is silent or UNCONFIRMED. */
export const SANDBOX_CHOICES = {
  /**
   * What OAuth2ClientID an oauth2 inbound user gets when created with CommunicationUserID
   * (contracts B.4 / G.2): 'name' = the communication user's name (SAP doc S-CP 5ee4735),
   * 'id' = the CC… id (3P-S4API observation). Per tenant via switch `oauth2ClientIdFrom`.
   */
  oauth2ClientIdFrom: 'name' as 'name' | 'id',
  /** PATCH answers 204 without body (OData V4 default) unless `Prefer: return=representation`. */
  patchReturnsNoContent: true,
  /** Access token lifetime in seconds and the scope string: the arrangement scenario IDs (UNCONFIRMED). */
  tokenExpiresInSeconds: 3600,
  /** Clock skew tolerated on NotBefore / NotOnOrAfter. */
  assertionClockSkewSeconds: 60,
} as const;

/**
 * Error texts. Codes from contracts B.10 are SAP's; codes starting with `SANDBOX/` are invented by
 * the sandbox where SAP's code is unknown (match on HTTP status and message, never on these codes).
 */
export const ERRORS = {
  descriptionMissing: (userId: string) => ({ code: 'SANDBOX/CU_DESCRIPTION', message: `User ${userId} must have a description`, target: 'Description' }),
  nameAlreadyUsed: (what: string, name: string, target: string) => ({ code: 'SANDBOX/DUPLICATE', message: `${what} ${name} is already used`, target }),
  hostNameMissing: () => ({ code: 'CM_APS_CS/025', message: 'Communication system is not inbound only, but host name is missing', target: 'HostName' }),
  userOrClientIdMissing: () => ({ code: 'CM_APS_CS/026', message: 'Inbound user: user ID or OAuth client ID is missing', target: 'CommunicationUserID' }),
  clientIdAssigned: (clientId: string, systemId: string) => ({ code: 'SANDBOX/CS_CLIENT_ID', message: `OAuth2 Client ID ${clientId} is already assigned to Comm. System ${systemId}`, target: 'OAuth2ClientID' }),
  signingCertificateUpdateRefused: (systemId: string) => ({
    code: 'SANDBOX/CS_CERTIFICATE_UPDATE',
    message: `The signing certificate of communication system ${systemId} cannot be changed by API; upload it in the Communication Systems app`,
    target: SIGNING_CERTIFICATE_FIELD,
  }),
  maxLength: (prop: string, max: number) => ({ code: 'SANDBOX/MAXLENGTH', message: `Value of property '${prop}' violates facet MaxLength=${max}`, target: prop }),
} as const;
