/** The S/4 sandbox's slice of sandbox state: per tenant, the SAP_COM_0A48 objects and the token log. */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { SANDBOX_CHOICES } from './fieldModel';

/** An OData entity as stored: property name → value, plus the ETag the sandbox maintains. */
export type EntityRecord = Record<string, unknown> & { '@etag': string };

export interface TokenLogEntry {
  at: string;
  outcome: 'granted' | 'denied';
  /** The OAuth error sent, or logon_failed for the 401 HTML "Logon failed" page. */
  error?: 'invalid_client' | 'invalid_grant' | 'invalid_request' | 'unsupported_grant_type' | 'logon_failed';
  /** Why, in words: what a test asserts on. Never contains a secret. */
  reason: string;
  clientId?: string;
  issuer?: string;
  nameId?: string;
  communicationSystemID?: string;
}

export interface S4Session {
  user: string;
  csrfToken: string;
  createdAt: string;
}

export interface S4Switches {
  /** Simulates a tenant whose API does not accept the signing certificate (contracts G.1). */
  rejectSigningCertificateField: boolean;
  /** Which value an oauth2 inbound user's OAuth2ClientID takes on create (contracts G.2). */
  oauth2ClientIdFrom: 'name' | 'id';
  /**
   * The field stays visible and settable on create, but a PATCH that changes the certificate of an
   * existing system is refused (400): a tenant where a certificate push fails at cut-over time.
   */
  refuseSigningCertificateUpdate: boolean;
}

export interface S4Tenant {
  tenant: string;
  /** System ID shown in the SAP cookie names and realm, e.g. H2Y. */
  sid: string;
  switches: S4Switches;
  /** Key = ID (CC…). Password is stored under `Password` and never leaves describe() unmasked. */
  users: Record<string, EntityRecord>;
  systems: Record<string, EntityRecord>;
  inboundUsers: Record<string, EntityRecord>;
  outboundUsers: Record<string, EntityRecord>;
  /** Arrangement records carry `InboundUser` = the CommunicationSystemInboundUserUUID or null. */
  arrangements: Record<string, EntityRecord>;
  nextUserNumber: number;
  sessions: Record<string, S4Session>;
  tokenLog: TokenLogEntry[];
}

export interface S4Slice {
  tenants: Record<string, S4Tenant>;
}

export const SwitchesInput = z
  .object({
    rejectSigningCertificateField: z.boolean().optional(),
    oauth2ClientIdFrom: z.enum(['name', 'id']).optional(),
    refuseSigningCertificateUpdate: z.boolean().optional(),
  })
  .strict();

const BootstrapUser = z.object({ name: z.string().min(1).max(40), password: z.string().min(1) }).strict();

export const S4TenantSeed = z
  .object({
    tenant: z.string().regex(/^[a-z0-9]+$/, 'tenant is the host prefix, e.g. my100001'),
    sid: z.string().regex(/^[A-Z0-9]{3}$/).optional(),
    /** The SAP_COM_0A48 communication user someone creates once in Fiori. */
    bootstrapUser: BootstrapUser,
    switches: SwitchesInput.optional(),
    /**
     * Communication systems as an onboarding leaves them (OAuth 2.0 IdP active with this SAML issuer
     * and signing certificate), seeded without onboarding each tenant: benchmarks over many tenants.
     */
    communicationSystems: z
      .array(z.object({ id: z.string().min(1).max(20), samlIssuer: z.string().min(1), signingCertificatePem: z.string().min(1) }).strict())
      .optional(),
  })
  .strict();
export type S4TenantSeed = z.infer<typeof S4TenantSeed>;

/** The part of a sandbox seed file this service reads: `{ "s4Tenants": [ … ] }`; other keys are ignored. */
export const S4Seed = z.object({ s4Tenants: z.array(S4TenantSeed).optional() }).passthrough();

export const BOOTSTRAP_SCENARIO = 'SAP_COM_0A48';

export function newEtag(now: Date): string {
  return `W/"${now.toISOString().replace(/[^0-9]/g, '')}${Math.floor(Math.random() * 1e6)}"`;
}

export function emptyTenant(tenant: string, sid: string): S4Tenant {
  return {
    tenant,
    sid,
    switches: { rejectSigningCertificateField: false, oauth2ClientIdFrom: SANDBOX_CHOICES.oauth2ClientIdFrom, refuseSigningCertificateUpdate: false },
    users: {},
    systems: {},
    inboundUsers: {},
    outboundUsers: {},
    arrangements: {},
    nextUserNumber: 1,
    sessions: {},
    tokenLog: [],
  };
}

export function nextUserId(t: S4Tenant): string {
  const id = `CC${String(t.nextUserNumber).padStart(10, '0')}`;
  t.nextUserNumber += 1;
  return id;
}

/**
 * Seeds a tenant as an administrator leaves it after the one-time Fiori bootstrap: the SAP_COM_0A48
 * communication user, a communication system with it as basic inbound user, and the arrangement.
 */
export function seedTenant(slice: S4Slice, seed: S4TenantSeed, now: Date): S4Tenant {
  const t = emptyTenant(seed.tenant, seed.sid ?? 'SBX');
  Object.assign(t.switches, seed.switches ?? {});
  const etag = newEtag(now);
  const userId = nextUserId(t);
  t.users[userId] = {
    ID: userId, Name: seed.bootstrapUser.name, Description: 'Communication Management (SAP_COM_0A48) bootstrap',
    Type: 'customer_communication', Password: seed.bootstrapUser.password,
    IsLocked: false, LockStatus: 'not_locked', PasswordStatus: 'productive', '@etag': etag,
  };
  const systemUuid = randomUUID();
  t.systems[systemUuid] = {
    UUID: systemUuid, ID: 'SAP_COM_0A48_BOOTSTRAP', Name: 'Communication Management bootstrap', Description: 'Created once in Fiori',
    Type: 'customer_managed', HostName: null, HostNameUI: null, TCPPort: 443, SAPClient: null, LogicalSystemID: null,
    BusinessSystemID: null, IsInboundOnly: true, IsOwnSystem: false, IsHubSystem: false,
    IsOAuth2IdentityProviderActive: false, OAuth2IdentityProviderName: null, OAuth2IdentityProviderUserLogonType: null,
    OAuth2IdentityProviderCertificatePublicKeyBase64: null, OAuth2IdentityProviderCertificateSubject: null,
    OAuth2IdentityProviderCertificateIssuer: null, '@etag': etag,
  };
  const inboundUuid = randomUUID();
  t.inboundUsers[inboundUuid] = {
    UUID: inboundUuid, CommunicationSystemUUID: systemUuid, CommunicationUserID: userId, OAuth2ClientID: null,
    AuthenticationMethod: 'basic', OAuth2GrantType: null, IsOAuth2RefreshTokenAllowed: false,
    OAuth2RefreshTokenExpiryValue: null, OAuth2RefreshTokenExpiryUnit: null, '@etag': etag,
  };
  const arrangementUuid = randomUUID();
  t.arrangements[arrangementUuid] = {
    UUID: arrangementUuid, CommunicationScenarioID: BOOTSTRAP_SCENARIO, CommunicationSystemID: 'SAP_COM_0A48_BOOTSTRAP',
    Name: 'SAP_COM_0A48', Description: 'Communication Management Integration', InboundUser: inboundUuid, '@etag': etag,
  };
  slice.tenants[seed.tenant] = t;
  return t;
}

const MASK = '***';

/** What GET /__sandbox/state shows: every object, passwords and session tokens masked. */
export function describeSlice(slice: S4Slice): unknown {
  const tenants: Record<string, unknown> = {};
  for (const [name, t] of Object.entries(slice.tenants)) {
    const strip = (rec: Record<string, EntityRecord>) => Object.values(rec).map(({ '@etag': _etag, ...rest }) => rest);
    tenants[name] = {
      sid: t.sid,
      switches: t.switches,
      communicationUsers: strip(t.users).map((u) => ({ ...u, Password: u.Password ? MASK : null })),
      communicationSystems: strip(t.systems),
      inboundUsers: strip(t.inboundUsers),
      outboundUsers: strip(t.outboundUsers),
      communicationArrangements: strip(t.arrangements),
      openSessions: Object.keys(t.sessions).length,
      tokenLog: t.tokenLog,
    };
  }
  return { tenants };
}
