/**
 * OAuth client-credentials token of an IAS tenant (contracts C.1): `POST https://<tenant host>/oauth2/token`
 * with the API client ("system as administrator") authenticated by HTTP Basic. Cached until one
 * minute (or a tenth of its lifetime) before it expires; concurrent callers share one request.
 */
import { z } from 'zod';
import { createSapHttp, type SapConnectionOptions, type SapHttp } from '../http';
import { tokenCache, type AccessTokens } from '../http/tokenCache';
import { assertPinnedHost, matchIasTenantHost } from '../http/servicePins';

export interface IasClientCredentials {
  clientId: string;
  clientSecret: string;
}

export interface IasConnection {
  /** The tenant host, e.g. `mytenant.accounts.ondemand.com` (a https URL is accepted too). */
  tenantHost: string;
  credentials: IasClientCredentials;
  options: SapConnectionOptions;
  /** Clock for the cache, injectable for tests. */
  now?: () => number;
  /** The name of the secret the API client was read from, for errors and advice. */
  credential?: string;
}

export type TokenProvider = AccessTokens;

const TokenResponse = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().regex(/^bearer$/i, 'token_type must be Bearer'),
  expires_in: z.number().int().positive(),
});

export function iasTenantHost(tenantHost: string): string {
  return tenantHost.replace(/^https:\/\//i, '').replace(/\/.*$/, '').toLowerCase();
}

/** The tenant host, refused (before any I/O) unless it is an IAS tenant host: the client secret and tokens go there. */
export function pinnedIasTenantHost(tenantHost: string): string {
  return assertPinnedHost('IAS tenant', iasTenantHost(tenantHost), matchIasTenantHost);
}

export function iasHttp(connection: IasConnection): SapHttp {
  return createSapHttp({
    system: iasTenantHost(connection.tenantHost),
    options: connection.options,
    api: 'Ias',
    ...(connection.credential ? { credential: connection.credential } : {}),
    secrets: () => [connection.credentials.clientSecret],
  });
}

export function createIasTokenProvider(connection: IasConnection, http: SapHttp = iasHttp(connection)): TokenProvider {
  const host = pinnedIasTenantHost(connection.tenantHost);
  const tokens = tokenCache(async () => {
    const { clientId, clientSecret } = connection.credentials;
    const res = await http.request({
      operation: 'OAuth token',
      method: 'POST',
      url: `https://${host}/oauth2/token`,
      headers: {
        Authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
      safeToRetry: true,
      schema: TokenResponse,
    });
    return { token: res.data.access_token, expiresInSeconds: res.data.expires_in };
  }, connection.now);
  return { token: tokens.get, invalidate: tokens.invalidate };
}
