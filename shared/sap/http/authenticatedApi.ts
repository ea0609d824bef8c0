/**
 * One SAP API reached with one credential. The Destination, S/4, IAS and Neo clients are thin typed
 * facades that describe each call as a SapCall and send it here; this is the one place that attaches
 * the credential, masks it in errors and, for an OAuth token, renews the token once when the API
 * answers 401 and repeats the call once. A second 401 is the API's answer: Unauthorized.
 */
import { SapError } from '../errors';
import type { SapHttp, SapRequest, SapResponse } from './sapHttp';
import type { AccessTokens } from './tokenCache';

/** What a facade asks for: a SapRequest whose URL is a path below the API's base URL. */
export type SapCall<T> = Omit<SapRequest<T>, 'url'> & {
  /** Appended to the base URL as is (the facade encodes keys), e.g. `CommunicationUsers('CC0000000001')`. */
  path: string;
};

export type SapAuthentication =
  /** OAuth client-credentials token (XSUAA, IAS, Neo platform API). */
  | { bearer: AccessTokens }
  /** HTTP Basic (the S/4 SAP_COM_0A48 communication user): a 401 is final, there is nothing to renew. */
  | { basic: { user: string; password: string } };

export interface AuthenticatedApiConfig {
  /** The transport, carrying the API name, the system and the stored credential's name for errors. */
  http: SapHttp;
  /** Absolute https URL every call's path is appended to. */
  baseUrl: string;
  auth: SapAuthentication;
}

export interface AuthenticatedApi {
  readonly baseUrl: string;
  call<T = unknown>(call: SapCall<T>): Promise<SapResponse<T>>;
  /** The SapError a response would have thrown: for callers that accepted a status to inspect it first. */
  errorFrom(call: SapCall<unknown>, res: SapResponse<unknown>): SapError;
}

export function createAuthenticatedApi({ http, baseUrl, auth }: AuthenticatedApiConfig): AuthenticatedApi {
  const toRequest = <T>(c: SapCall<T>, authorization: string, secrets: string[]): SapRequest<T> => {
    const { path, ...rest } = c;
    return { ...rest, url: `${baseUrl}${path}`, headers: { ...c.headers, Authorization: authorization }, secrets: [...(c.secrets ?? []), ...secrets] };
  };

  if ('basic' in auth) {
    const encoded = Buffer.from(`${auth.basic.user}:${auth.basic.password}`).toString('base64');
    const secrets = [auth.basic.password, encoded];
    return {
      baseUrl,
      call: (c) => http.request(toRequest(c, `Basic ${encoded}`, secrets)),
      errorFrom: (c, res) => http.errorFrom(toRequest(c, '', secrets), res),
    };
  }

  const { bearer: tokens } = auth;
  const withToken = <T>(c: SapCall<T>, token: string) => http.request(toRequest(c, `Bearer ${token}`, [token]));
  return {
    baseUrl,
    async call(c) {
      // A failed token request is not caught here: only the API's own 401 is worth one renewal.
      const token = await tokens.token();
      try {
        return await withToken(c, token);
      } catch (e) {
        if (!(e instanceof SapError) || e.kind !== 'Unauthorized') throw e;
        tokens.invalidate();
        return withToken(c, await tokens.token());
      }
    },
    errorFrom: (c, res) => http.errorFrom(toRequest(c, '', []), res),
  };
}
