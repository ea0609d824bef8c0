/**
 * The one cache behind every OAuth client-credentials token (XSUAA, IAS, Neo platform API): a token
 * is reused until shortly before it expires, and callers that arrive while it is being fetched
 * share that one request.
 */
export interface IssuedToken {
  token: string;
  expiresInSeconds: number;
}

/** The one token interface: what the authenticated API needs from the XSUAA, IAS and Neo token clients. */
export interface AccessTokens {
  /** A valid access token (cached). */
  token(): Promise<string>;
  /** Forget the cached token (after the API answered 401 to it). */
  invalidate(): void;
}

export interface TokenCache {
  get(): Promise<string>;
  /** Forget the cached token (after the API answered 401 to it). */
  invalidate(): void;
  /** The cached token, if any: for masking it in errors. */
  current(): string | undefined;
}

/** Renew a minute early, or a tenth of the lifetime early for short-lived tokens. */
const EARLY_RENEWAL_MS = 60_000;

export function tokenCache(fetchToken: () => Promise<IssuedToken>, now: () => number = Date.now): TokenCache {
  let cached: { token: string; renewAt: number } | undefined;
  let inflight: Promise<string> | undefined;

  async function renew(): Promise<string> {
    const { token, expiresInSeconds } = await fetchToken();
    const lifetimeMs = expiresInSeconds * 1000;
    cached = { token, renewAt: now() + lifetimeMs - Math.min(EARLY_RENEWAL_MS, lifetimeMs / 10) };
    return token;
  }

  return {
    get() {
      if (cached && now() < cached.renewAt) return Promise.resolve(cached.token);
      inflight ??= renew().finally(() => {
        inflight = undefined;
      });
      return inflight;
    },
    invalidate() {
      cached = undefined;
    },
    current: () => cached?.token,
  };
}
