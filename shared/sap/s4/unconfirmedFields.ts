/**
 * THE one module holding every UNCONFIRMED S/4HANA Cloud field mapping (contracts section B, gaps
 * G.1–G.4). Nothing else in the product names these fields or builds these shapes; change a
 * mapping here and the whole product follows. Each one is checked against the tenant's
 * `$metadata` before writing (see metadata.ts), and the signing certificate has a manual fallback.
 *
 * The S/4 sandbox (sandbox/s4/fieldModel.ts) implements the same choices; keep the two in step.
 */
import { X509Certificate } from 'node:crypto';

/**
 * G.1 — "Upload Signing Certificate" of the communication system's OAuth 2.0 Identity Provider.
 * Field seen only in 3P-MIG's create body "from EDMX" (contracts B.4). Whether it is writable, and
 * whether it wants base64 DER or PEM, is UNCONFIRMED. We send base64 DER without PEM armour.
 */
export const SIGNING_CERTIFICATE_FIELD = 'OAuth2IdentityProviderCertificatePublicKeyBase64';

/** The certificate as the signing-certificate field holds it: base64 of the DER bytes (UNCONFIRMED, G.1). */
export function signingCertificateValue(pem: string): string {
  return parsed(pem).value;
}

// The certificate check compares each tenant with its subaccount's certificate: parse a PEM once, not per tenant.
const PARSED_LIMIT = 256;
const parsedCertificates = new Map<string, { value: string; subject: string; issuer: string }>();
function parsed(pem: string): { value: string; subject: string; issuer: string } {
  let found = parsedCertificates.get(pem);
  if (!found) {
    const cert = new X509Certificate(pem);
    found = { value: cert.raw.toString('base64'), subject: cert.subject, issuer: cert.issuer };
    if (parsedCertificates.size >= PARSED_LIMIT) parsedCertificates.clear();
    parsedCertificates.set(pem, found);
  }
  return found;
}

/** True when the value S/4 holds is the same certificate as `pem` (accepts DER base64 or PEM, any wrapping). */
export function holdsSameSigningCertificate(held: string | null | undefined, pem: string): boolean {
  if (!held) return false;
  const body = held.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
  return body === signingCertificateValue(pem);
}

/** Subject and issuer S/4 derives from the uploaded signing certificate (3P-MIG field names). */
export const SIGNING_CERTIFICATE_SUBJECT_FIELD = 'OAuth2IdentityProviderCertificateSubject';
export const SIGNING_CERTIFICATE_ISSUER_FIELD = 'OAuth2IdentityProviderCertificateIssuer';

/**
 * Whether a communication system read back from S/4 holds the certificate `pem`. Where the tenant
 * returns the certificate field, it is compared byte for byte. Where it leaves the field out (G.1:
 * tenants that do not expose it; the certificate then comes from the Fiori upload), the derived
 * subject and issuer are all S/4 shows, so they are compared as distinguished names.
 */
export function holdsSigningCertificate(system: Record<string, unknown>, pem: string): boolean {
  if (SIGNING_CERTIFICATE_FIELD in system) return holdsSameSigningCertificate(system[SIGNING_CERTIFICATE_FIELD] as string | null | undefined, pem);
  const cert = parsed(pem);
  return (
    sameDistinguishedName(system[SIGNING_CERTIFICATE_SUBJECT_FIELD], cert.subject) &&
    sameDistinguishedName(system[SIGNING_CERTIFICATE_ISSUER_FIELD], cert.issuer)
  );
}

/** DN equality whatever the separator (`, ` or newline) and order S/4 uses; the format is UNCONFIRMED. */
function sameDistinguishedName(held: unknown, expected: string): boolean {
  if (typeof held !== 'string' || held.length === 0) return false;
  const parts = (dn: string) =>
    dn
      .split(/\s*[,\n]\s*/)
      .filter(Boolean)
      .map((rdn) => rdn.replace(/\s*=\s*/, '=').toLowerCase())
      .sort()
      .join('\n');
  return parts(held) === parts(expected);
}

/**
 * The OAuth 2.0 Identity Provider fields of a communication system (contracts B.4, field names from
 * 3P-MIG; enumeration `user_uuid|user_name` [SAP-DOC]).
 */
export const OAUTH2_IDP_FIELDS = {
  active: 'IsOAuth2IdentityProviderActive',
  /** UI "OAuth 2.0 SAML Issuer" / "Provider Name": the CN of the BTP trust certificate. */
  samlIssuer: 'OAuth2IdentityProviderName',
  /** UI "User ID Mapping Mode". */
  userIdMappingMode: 'OAuth2IdentityProviderUserLogonType',
  signingCertificate: SIGNING_CERTIFICATE_FIELD,
} as const;

/**
 * G.3 — UI "User ID Mapping Mode" → API value. The RW service lists only `user_uuid` and
 * `user_name` [SAP-DOC]; that UI "User UUID" / "Global User ID" map to `user_uuid` is UNCONFIRMED.
 * Each mode also decides the destination's NameID (contracts A.6 interaction rule: the mapping
 * mode is ignored for nameIdFormat emailAddress, so both modes use `unspecified`).
 */
export const USER_ID_MAPPING_MODES = {
  user_uuid: {
    s4Value: 'user_uuid',
    destination: { nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified', userIdSource: 'user_uuid' },
  },
  user_name: {
    s4Value: 'user_name',
    destination: { nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified', userIdSource: 'user_name' },
  },
} as const;
export type UserIdMappingMode = keyof typeof USER_ID_MAPPING_MODES;
export const DEFAULT_USER_ID_MAPPING_MODE: UserIdMappingMode = 'user_uuid';

/** The write body for the OAuth 2.0 IdP part of a communication system. */
export function oauth2IdentityProviderFields(input: { samlIssuer: string; signingCertificatePem?: string; userIdMappingMode: UserIdMappingMode }): Record<string, string | boolean> {
  const body: Record<string, string | boolean> = {
    [OAUTH2_IDP_FIELDS.active]: true,
    [OAUTH2_IDP_FIELDS.samlIssuer]: input.samlIssuer,
    [OAUTH2_IDP_FIELDS.userIdMappingMode]: USER_ID_MAPPING_MODES[input.userIdMappingMode].s4Value,
  };
  if (input.signingCertificatePem) body[OAUTH2_IDP_FIELDS.signingCertificate] = signingCertificateValue(input.signingCertificatePem);
  return body;
}

/**
 * G.2 — the inbound user for the OAuth 2.0 SAML bearer grant (contracts B.4, "UNCONFIRMED exact
 * shape; derived from enums + UI"). Created standalone as `POST InboundUsers` with the system's
 * UUID in the body (3P shows both this and `POST CommunicationSystems(<uuid>)/InboundUsers`).
 * Deep insert on system create is rejected (CM_APS_CS/026), so it is always a second call.
 */
export const INBOUND_USER_ENTITY_SET = 'InboundUsers';

export function samlBearerInboundUser(input: { communicationSystemUUID: string; communicationUserID: string }): Record<string, string> {
  return {
    CommunicationSystemUUID: input.communicationSystemUUID,
    CommunicationUserID: input.communicationUserID,
    AuthenticationMethod: 'oauth2',
    OAuth2GrantType: 'saml2-bearer',
  };
}

/** Whether an inbound user read back from S/4 is our SAML bearer inbound user for that communication user. */
export function isSamlBearerInboundUser(u: { CommunicationUserID?: string | null; AuthenticationMethod?: string | null; OAuth2GrantType?: string | null }, communicationUserID: string): boolean {
  return u.CommunicationUserID === communicationUserID && u.AuthenticationMethod === 'oauth2' && u.OAuth2GrantType === 'saml2-bearer';
}

/** The arrangement → inbound user link (contracts B.5; shape 3P-S4API/3P-MIG). */
export function arrangementInboundUser(inboundUserUUID: string): { CommunicationSystemInboundUserUUID: string } {
  return { CommunicationSystemInboundUserUUID: inboundUserUUID };
}

/**
 * G.4 / B.6 — "OAuth 2.0 Details" of the arrangement are not exposed by any known API field, so
 * they are derived (UNCONFIRMED): token service URL on the `-api` host, SAML2 audience on the UI
 * host (no `-api`), and the client ID read back from the inbound user's `OAuth2ClientID` (which
 * may be the user's name or its CC… id — G.2 — so it is never assumed, always read).
 */
export function oauth2Details(apiHost: string, inboundUser: { OAuth2ClientID?: string | null }): { tokenServiceURL: string; audience: string; clientId: string | undefined } {
  const [first, ...rest] = apiHost.split('.');
  const uiHost = [first.replace(/-api$/, ''), ...rest].join('.');
  return {
    tokenServiceURL: `https://${apiHost}/sap/bc/sec/oauth2/token`,
    audience: `https://${uiHost}`,
    clientId: inboundUser.OAuth2ClientID ?? undefined,
  };
}

/**
 * The properties the product writes, per service and entity set (or navigation target), checked
 * against `$metadata` before writing. `unconfirmed` marks those behind a G-item.
 */
export const INTENDED_WRITES = {
  aps_com_cu_a4c_odata: {
    CommunicationUsers: ['Name', 'Description', 'Type', 'Password'],
  },
  aps_com_cs_a4c_odata: {
    CommunicationSystems: ['ID', 'Name', 'Type', 'HostName', 'IsInboundOnly', OAUTH2_IDP_FIELDS.active, OAUTH2_IDP_FIELDS.samlIssuer, OAUTH2_IDP_FIELDS.userIdMappingMode, SIGNING_CERTIFICATE_FIELD],
    InboundUsers: ['CommunicationSystemUUID', 'CommunicationUserID', 'AuthenticationMethod', 'OAuth2GrantType'],
  },
  aps_com_ca_a4c_odata: {
    CommunicationArrangements: ['CommunicationScenarioID', 'CommunicationSystemID', 'Name', 'InboundUser/CommunicationSystemInboundUserUUID'],
  },
} as const;
