/**
 * Token from a Neo Platform API OAuth client (contracts D; S-NEO using-platform-apis):
 * `POST https://api.<landscape>/oauth2/apitoken/v1?grant_type=client_credentials` with HTTP Basic.
 * Tokens live 25 minutes; cached until one minute before that. Concurrent callers share one request.
 */
import { z } from 'zod';
import { createSapHttp, type SapConnectionOptions, type SapHttp } from '../http';
import type { RetryPolicy } from '../http/retryPolicy';
import { tokenCache, type AccessTokens } from '../http/tokenCache';
import { assertPinnedHost, matchNeoPlatformApiHost } from '../http/servicePins';

export interface NeoPlatformClient {
  clientId: string;
  clientSecret: string;
}

export interface NeoConnection {
  /** Landscape host, e.g. `hana.ondemand.com` or `eu2.hana.ondemand.com` (the API host is `api.<landscape>`). */
  landscapeHost: string;
  credentials: NeoPlatformClient;
  options: SapConnectionOptions;
  now?: () => number;
  /** The name of the secret the platform API client was read from, for errors and advice. */
  credential?: string;
  /** In-call retries; the trust workflows set one attempt and retry on durable timers, paced per subaccount. */
  retry?: Partial<RetryPolicy>;
}

export interface NeoTokenProvider extends AccessTokens {
  /** Scopes the last token carried (`hcp.readTrustSettings`, ...). */
  scopes(): readonly string[];
}

const TokenResponse = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().regex(/^bearer$/i, 'token_type must be Bearer'),
  expires_in: z.number().int().positive(),
  scope: z.string().optional(),
});

export function neoApiHost(landscapeHost: string): string {
  const host = landscapeHost.replace(/^https:\/\//i, '').replace(/\/.*$/, '').toLowerCase();
  return host.startsWith('api.') ? host : `api.${host}`;
}

/** The API host, refused (before any I/O) unless it is a Neo platform API host: the client secret and tokens go there. */
export function pinnedNeoApiHost(landscapeHost: string): string {
  return assertPinnedHost('Neo platform API', neoApiHost(landscapeHost), matchNeoPlatformApiHost);
}

export function neoHttp(connection: NeoConnection): SapHttp {
  return createSapHttp({
    system: neoApiHost(connection.landscapeHost),
    options: connection.options,
    api: 'Neo',
    ...(connection.credential ? { credential: connection.credential } : {}),
    secrets: () => [connection.credentials.clientSecret],
    ...(connection.retry ? { retry: connection.retry } : {}),
  });
}

export function createNeoTokenProvider(connection: NeoConnection, http: SapHttp = neoHttp(connection)): NeoTokenProvider {
  const apiHost = pinnedNeoApiHost(connection.landscapeHost);
  let scopes: string[] = [];
  const tokens = tokenCache(async () => {
    const { clientId, clientSecret } = connection.credentials;
    const res = await http.request({
      operation: 'Platform API token',
      method: 'POST',
      url: `https://${apiHost}/oauth2/apitoken/v1`,
      query: { grant_type: 'client_credentials' },
      headers: { Authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}` },
      safeToRetry: true,
      schema: TokenResponse,
    });
    scopes = (res.data.scope ?? '').split(/\s+/).filter(Boolean);
    return { token: res.data.access_token, expiresInSeconds: res.data.expires_in };
  }, connection.now);

  return {
    token: tokens.get,
    invalidate: tokens.invalidate,
    scopes: () => (tokens.current() ? scopes : []),
  };
}
