/**
 * BTP Destination service (contracts A.3–A.5): the subaccount trust certificate, subaccount
 * destinations and "find destination". The subaccount is the one the service key's token is for.
 *
 * The active trust certificate is never POSTed implicitly: a POST on an existing one renews it and
 * breaks every trust built on it. Only `generateActiveIfMissing` (GET first, POST on 404) and the
 * explicitly confirmed `renewActiveCertificate` do.
 */
import { createAuthenticatedApi, createSapHttp, type SapConnectionOptions } from '../http';
import { assertPinnedUrl, matchDestinationServiceHost } from '../http/servicePins';
import { createXsuaaTokenClient, type XsuaaTokenClient } from '../xsuaa';
import type { DestinationServiceKey } from '../xsuaa/serviceKey';
import {
  AuthToken,
  CountResponse,
  Destination,
  DestinationList,
  FindDestinationResponse,
  RotateCertificateResponse,
  TrustCertificateResponse,
  type DestinationProperties,
} from './destinationSchemas';

export interface DestinationServiceConfig {
  serviceKey: DestinationServiceKey;
  options: SapConnectionOptions;
  /** Shares a token client (and its cache) with other users of the same key. */
  tokens?: XsuaaTokenClient;
  /** The name of the secret the service key was read from, for errors and advice. */
  credential?: string;
}

export interface FoundDestination {
  owner?: { SubaccountId?: string | null; InstanceId?: string | null };
  /** May contain credentials (tokenServicePassword): never log or return it as is. */
  destination: Destination;
  /** As SAP returns them; a failed exchange has `type: ""`, `value: ""` and `error`. */
  authTokens: AuthToken[];
  /** The token exchange outcome without any token value. */
  tokenExchange: { ok: boolean; error?: string };
}

export interface DestinationListFilter {
  /** `$filter=Name in ('a','b')` */
  names?: string[];
  /** `$filter=startswith(Name,'p')` */
  namePrefix?: string;
}

/** Destination names in `$filter` are percent-encoded, then single-quoted (S-DSPEC). */
export function destinationFilterLiteral(name: string): string {
  return `'${encodeURIComponent(name).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}'`;
}

export function destinationListFilter(filter: DestinationListFilter): string | undefined {
  if (filter.names && filter.namePrefix) throw new Error('filter by names or by prefix, not both');
  if (filter.names) {
    if (filter.names.length === 0) throw new Error('names filter needs at least one name');
    return `Name in (${filter.names.map(destinationFilterLiteral).join(',')})`;
  }
  if (filter.namePrefix !== undefined) return `startswith(Name,${destinationFilterLiteral(filter.namePrefix)})`;
  return undefined;
}

export function createDestinationServiceClient(config: DestinationServiceConfig) {
  const { serviceKey, options, credential } = config;
  // The access token (and destinations with the communication user's password) go to this host.
  const host = assertPinnedUrl('Destination service', serviceKey.uri, matchDestinationServiceHost);
  const tokens = config.tokens ?? createXsuaaTokenClient({ serviceKey, options, credential });
  const http = createSapHttp({
    api: 'Destination',
    system: serviceKey.identityzone ?? host,
    options,
    credential,
    secrets: () => [serviceKey.clientsecret],
  });
  const api = createAuthenticatedApi({ http, baseUrl: `https://${host}/destination-configuration/v1`, auth: { bearer: tokens } });
  const { call } = api;

  const cert = '/saml2Metadata/certificate';
  const encodeName = (name: string) => `/subaccountDestinations/${encodeURIComponent(name)}`;

  async function getCertificate(path: string, operation: string): Promise<string | undefined> {
    const res = await call({ operation, method: 'GET', path, acceptStatus: [404] });
    if (res.status === 404) return undefined;
    return TrustCertificateResponse.parse(res.data).certificate;
  }

  /** The active trust certificate (PEM), or undefined when the subaccount has none yet. */
  const getActiveCertificate = (): Promise<string | undefined> => getCertificate(cert, 'trust certificate get active');

  return {
    getActiveCertificate,

    /** Fetches an access token from the subaccount's XSUAA: proves the service key works, reads nothing. */
    async proveCredentials(): Promise<void> {
      await tokens.token();
    },

    getPassiveCertificate(): Promise<string | undefined> {
      return getCertificate(`${cert}/passive`, 'trust certificate get passive');
    },

    /** GET first; POST (generate) only when there is none. Never renews an existing certificate. */
    async generateActiveIfMissing(): Promise<{ certificate: string; generated: boolean }> {
      const existing = await getActiveCertificate();
      if (existing) return { certificate: existing, generated: false };
      const res = await call({ operation: 'trust certificate generate', method: 'POST', path: cert, schema: TrustCertificateResponse });
      return { certificate: res.data.certificate, generated: true };
    },

    /** Renews the active key pair: every system that trusts the current certificate stops trusting this subaccount. */
    async renewActiveCertificate(confirm: { iUnderstandThisBreaksExistingTrust: true }): Promise<string> {
      if (confirm?.iUnderstandThisBreaksExistingTrust !== true) {
        throw new Error('renewActiveCertificate needs { iUnderstandThisBreaksExistingTrust: true }');
      }
      const res = await call({ operation: 'trust certificate renew active', method: 'POST', path: cert, schema: TrustCertificateResponse });
      return res.data.certificate;
    },

    /** Generates (or regenerates) the passive certificate; the active one is untouched. */
    async generatePassiveCertificate(): Promise<string> {
      const res = await call({ operation: 'trust certificate generate passive', method: 'POST', path: `${cert}/passive`, schema: TrustCertificateResponse });
      return res.data.certificate;
    },

    /** Passive becomes active and vice versa. NotFound when no passive certificate exists. */
    async rotateCertificate(): Promise<{ activeCertificate: string; passiveCertificate: string }> {
      const res = await call({ operation: 'trust certificate rotate', method: 'POST', path: '/saml2Metadata/rotateCertificate', schema: RotateCertificateResponse });
      return { activeCertificate: res.data.activeCertificate, passiveCertificate: res.data.passiveCertificate };
    },

    /** true when deleted, false when there was none. */
    async deletePassiveCertificate(): Promise<boolean> {
      const res = await call({ operation: 'trust certificate delete passive', method: 'DELETE', path: `${cert}/passive`, acceptStatus: [404] });
      return res.status !== 404;
    },

    /** The subaccount destination and its ETag, or undefined when it does not exist. */
    async getDestination(name: string): Promise<{ destination: Destination; etag?: string } | undefined> {
      const res = await call({ operation: 'subaccountDestinations get', method: 'GET', path: encodeName(name), acceptStatus: [404] });
      if (res.status === 404) return undefined;
      const destination = Destination.parse(res.data);
      const etag = res.headers.etag;
      return typeof etag === 'string' ? { destination, etag } : { destination };
    },

    /** POST; Conflict when a destination of that name exists. Never retried (it is a create). */
    async createDestination(destination: DestinationProperties): Promise<void> {
      await call({ operation: 'subaccountDestinations create', method: 'POST', path: '/subaccountDestinations', body: destination });
    },

    /** PUT (full overwrite). With `ifMatch`, Conflict (412) when someone changed it since it was read. */
    async updateDestination(destination: DestinationProperties, opts: { ifMatch?: string } = {}): Promise<void> {
      await call({
        operation: 'subaccountDestinations update',
        method: 'PUT',
        path: '/subaccountDestinations',
        body: destination,
        headers: opts.ifMatch ? { 'If-Match': opts.ifMatch } : undefined,
        schema: CountResponse,
      });
    },

    /** true when deleted, false when it did not exist. */
    async deleteDestination(name: string): Promise<boolean> {
      const res = await call({ operation: 'subaccountDestinations delete', method: 'DELETE', path: encodeName(name), acceptStatus: [404] });
      return res.status !== 404;
    },

    async listDestinations(filter: DestinationListFilter = {}): Promise<Destination[]> {
      const $filter = destinationListFilter(filter);
      const res = await call({ operation: 'subaccountDestinations list', method: 'GET', path: '/subaccountDestinations', query: { $filter }, schema: DestinationList });
      return res.data as Destination[];
    },

    /**
     * "Find a destination": for OAuth2SAMLBearerAssertion the service performs the SAML bearer
     * exchange itself. `userToken` (a user JWT) goes into X-user-token for the NameID.
     */
    async findDestination(name: string, opts: { userToken?: string } = {}): Promise<FoundDestination> {
      const res = await call({
        operation: 'find destination',
        method: 'GET',
        path: `/destinations/${encodeURIComponent(name)}`,
        headers: opts.userToken ? { 'X-user-token': opts.userToken } : undefined,
        schema: FindDestinationResponse,
      });
      const authTokens = (res.data.authTokens ?? []) as AuthToken[];
      const failed = authTokens.find((t) => t.error);
      const ok = authTokens.length > 0 && !failed && authTokens.every((t) => t.value !== '');
      const tokenExchange = ok
        ? { ok: true }
        : { ok: false, error: failed?.error ?? (authTokens.length === 0 ? 'no authTokens returned' : 'empty token returned') };
      return { owner: res.data.owner, destination: res.data.destinationConfiguration as Destination, authTokens, tokenExchange };
    },
  };
}

export type DestinationServiceClient = ReturnType<typeof createDestinationServiceClient>;
