/**
 * Client-credentials access token from XSUAA for a Destination service key (contracts A.1).
 * Cached until shortly before it expires; callers that ask at the same time share one request.
 */
import { z } from 'zod';
import { createSapHttp, type SapConnectionOptions, type SapHttp } from '../http';
import { tokenCache, type AccessTokens } from '../http/tokenCache';
import { assertPinnedUrl, matchXsuaaHost } from '../http/servicePins';
import type { DestinationServiceKey } from './serviceKey';

const TokenResponse = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().positive().optional(),
});

const ASSUMED_LIFETIME_S = 300;

export interface XsuaaTokenClient extends AccessTokens {
  /** The same as `token()`. */
  getToken(): Promise<string>;
}

export interface XsuaaTokenClientConfig {
  serviceKey: DestinationServiceKey;
  options: SapConnectionOptions;
  /** Clock for tests. */
  now?: () => number;
  /** The name of the secret the service key was read from, for errors and advice. */
  credential?: string;
}

export function createXsuaaTokenClient({ serviceKey, options, now = Date.now, credential }: XsuaaTokenClientConfig): XsuaaTokenClient {
  // The client secret goes to this host: only an XSUAA host, before any I/O.
  const host = assertPinnedUrl('XSUAA', serviceKey.url, matchXsuaaHost);
  const tokenUrl = `https://${host}/oauth/token`;
  const http: SapHttp = createSapHttp({
    api: 'Xsuaa',
    system: host,
    options,
    credential,
    secrets: () => [serviceKey.clientsecret, tokens.current() ?? ''],
  });
  const tokens = tokenCache(async () => {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: serviceKey.clientid,
      client_secret: serviceKey.clientsecret,
    });
    const res = await http.request({
      operation: 'client credentials token',
      method: 'POST',
      url: tokenUrl,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      safeToRetry: true,
      schema: TokenResponse,
    });
    return { token: res.data.access_token, expiresInSeconds: res.data.expires_in ?? ASSUMED_LIFETIME_S };
  }, now);

  return { token: tokens.get, getToken: tokens.get, invalidate: tokens.invalidate };
}
