/**
 * Client-credentials access token from XSUAA for a Destination service key (contracts A.1).
 * Cached until shortly before it expires; callers that ask at the same time share one request.
 */
import { z } from 'zod';
import { createSapHttp, type SapConnectionOptions, type SapHttp } from '../http';
import type { DestinationServiceKey } from './serviceKey';

const TokenResponse = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().positive().optional(),
});

/** Refresh this long before expiry (or a tenth of the lifetime for short-lived tokens). */
const EXPIRY_MARGIN_MS = 60_000;
const ASSUMED_LIFETIME_S = 300;

export interface XsuaaTokenClient {
  /** A valid access token (cached). */
  getToken(): Promise<string>;
  /** Drops the cached token, e.g. after a 401 from the API it was used for. */
  invalidate(): void;
}

export interface XsuaaTokenClientConfig {
  serviceKey: DestinationServiceKey;
  options: SapConnectionOptions;
  /** Clock for tests. */
  now?: () => number;
}

export function createXsuaaTokenClient({ serviceKey, options, now = Date.now }: XsuaaTokenClientConfig): XsuaaTokenClient {
  const tokenUrl = `${serviceKey.url.replace(/\/+$/, '')}/oauth/token`;
  const http: SapHttp = createSapHttp({
    api: 'Xsuaa',
    system: new URL(serviceKey.url).hostname,
    options,
    secrets: () => [serviceKey.clientsecret, cached?.token ?? ''],
  });
  let cached: { token: string; refreshAt: number } | undefined;
  let inflight: Promise<string> | undefined;

  async function fetchToken(): Promise<string> {
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
    const lifetimeMs = (res.data.expires_in ?? ASSUMED_LIFETIME_S) * 1000;
    const margin = Math.min(EXPIRY_MARGIN_MS, lifetimeMs / 10);
    cached = { token: res.data.access_token, refreshAt: now() + lifetimeMs - margin };
    return res.data.access_token;
  }

  return {
    getToken() {
      if (cached && now() < cached.refreshAt) return Promise.resolve(cached.token);
      if (!inflight) {
        inflight = fetchToken().finally(() => {
          inflight = undefined;
        });
      }
      return inflight;
    },
    invalidate() {
      cached = undefined;
    },
  };
}
