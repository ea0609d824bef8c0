/**
 * One SAP_COM_0A48 OData V4 service on one tenant, over the authenticated API with Basic auth (the
 * bootstrap user), adding the SAP Gateway CSRF protocol for writes (contracts B.2): fetch a token
 * with `X-CSRF-Token: Fetch` (on the first read, or `GET <root>` when a write comes first), send it
 * with the session cookies on every write, and fetch again once when the server answers 403
 * `x-csrf-token: Required`. Paths are relative to the service root, e.g. `CommunicationUsers`.
 */
import { z } from 'zod';
import { createAuthenticatedApi, createSapHttp, type AuthenticatedApi, type QueryValue, type SapCall, type SapResponse } from '../http';
import { s4ServiceRoot, s4TenantOf, type S4Connection, type S4ServiceName } from './s4Connection';

type OData<T extends z.ZodType> = z.ZodObject<{ value: z.ZodArray<T> }, z.core.$loose>;
const collections = new WeakMap<z.ZodType, OData<z.ZodType>>();

/**
 * `{"value":[...]}` of an OData V4 collection, one schema per item schema: zod compiles a schema at
 * its first parse, so a schema built per call cost that compilation on every read (the certificate
 * check reads one communication system per tenant).
 */
export function odataCollection<T extends z.ZodType>(item: T): OData<T> {
  let schema = collections.get(item);
  if (!schema) {
    schema = z.looseObject({ value: z.array(item) });
    collections.set(item, schema);
  }
  return schema as OData<T>;
}

function cookiePairs(setCookie: string | string[] | undefined): [string, string][] {
  const list = setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [setCookie];
  return list
    .map((c) => c.split(';')[0].trim())
    .map((nv) => {
      const i = nv.indexOf('=');
      return [nv.slice(0, i), nv.slice(i + 1)] as [string, string];
    })
    .filter(([n]) => n !== '');
}

export class S4ODataService {
  readonly root: string;
  private readonly api: AuthenticatedApi;
  private csrf: { token: string; cookies: Map<string, string> } | undefined;
  private csrfInflight: Promise<void> | undefined;

  constructor(
    private readonly connection: S4Connection,
    readonly service: S4ServiceName,
  ) {
    this.root = s4ServiceRoot(connection.apiHost, service);
    const http = createSapHttp({
      api: 'S4',
      system: s4TenantOf(connection.apiHost),
      options: connection.options,
      ...(connection.credential ? { credential: connection.credential } : {}),
      secrets: () => [connection.password, this.csrf?.token ?? ''],
    });
    this.api = createAuthenticatedApi({ http, baseUrl: this.root, auth: { basic: { user: connection.user, password: connection.password } } });
  }

  private withClient(query: Record<string, QueryValue> | undefined): Record<string, QueryValue> | undefined {
    return this.connection.sapClient ? { ...query, 'sap-client': this.connection.sapClient } : query;
  }

  private async fetchCsrfToken(): Promise<void> {
    const tokenRequest: SapCall<unknown> = { operation: `${this.service} fetch CSRF token`, method: 'GET', path: '', query: this.withClient(undefined), headers: { 'X-CSRF-Token': 'Fetch' } };
    const res = await this.api.call(tokenRequest);
    const token = res.headers['x-csrf-token'];
    if (typeof token !== 'string' || token === '' || /^required$/i.test(token)) {
      throw this.api.errorFrom(tokenRequest, { status: 403, headers: {}, data: 'the service returned no CSRF token' });
    }
    this.csrf = { token, cookies: new Map(cookiePairs(res.headers['set-cookie'])) };
  }

  private ensureCsrfToken(force: boolean): Promise<void> {
    if (this.csrf && !force) return Promise.resolve();
    if (!this.csrfInflight) {
      this.csrfInflight = this.fetchCsrfToken().finally(() => {
        this.csrfInflight = undefined;
      });
    }
    return this.csrfInflight;
  }

  /**
   * `renewCsrfToken` on a read: ask for a new token with it even while one is held, so that writes
   * right after it cannot meet a token the tenant has expired (the read before a cut-over's pushes).
   */
  async call<T>({ renewCsrfToken, ...c }: SapCall<T> & { renewCsrfToken?: boolean }): Promise<SapResponse<T>> {
    const isWrite = c.method !== 'GET' && c.method !== 'HEAD';
    if (!isWrite) return this.read(c, renewCsrfToken === true);
    for (let attempt = 1; ; attempt++) {
      await this.ensureCsrfToken(attempt > 1);
      const csrf = this.csrf!;
      const cookie = [...csrf.cookies].map(([n, v]) => `${n}=${v}`).join('; ');
      const req = this.withSession(c, { 'X-CSRF-Token': csrf.token, ...(cookie ? { Cookie: cookie } : {}) }, [403]);
      const res = await this.api.call(req);
      if (res.status !== 403 || (c.acceptStatus ?? []).includes(403)) return res;
      const csrfRequired = /^required$/i.test(String(res.headers['x-csrf-token'] ?? ''));
      if (!csrfRequired || attempt > 1) throw this.api.errorFrom(req, res);
      this.csrf = undefined;
    }
  }

  /**
   * A read that, while no CSRF token is held, also asks for one: SAP Gateway hands it out on any GET,
   * so the read before a write saves the write its own token round trip.
   */
  private async read<T>(c: SapCall<T>, renew: boolean): Promise<SapResponse<T>> {
    if (this.csrfInflight || (this.csrf && !renew)) return this.api.call(this.withSession(c, {}));
    const res = await this.api.call(this.withSession(c, { 'X-CSRF-Token': 'Fetch' }));
    const token = res.headers['x-csrf-token'];
    if ((!this.csrf || renew) && typeof token === 'string' && token !== '' && !/^required$/i.test(token)) {
      this.csrf = { token, cookies: new Map(cookiePairs(res.headers['set-cookie'])) };
    }
    return res;
  }

  private withSession<T>(c: SapCall<T>, extraHeaders: Record<string, string>, extraAccept: number[] = []): SapCall<T> {
    return { ...c, query: this.withClient(c.query), headers: { ...c.headers, ...extraHeaders }, acceptStatus: [...(c.acceptStatus ?? []), ...extraAccept] };
  }

  /** The raw `$metadata` document (EDMX XML). */
  async metadata(): Promise<string> {
    const read: SapCall<string> = { operation: `${this.service} read $metadata`, method: 'GET', path: '$metadata', query: this.withClient(undefined), headers: { Accept: 'application/xml' } };
    const res = await this.api.call(read);
    if (typeof res.data !== 'string') throw this.api.errorFrom(read, { status: 200, headers: {}, data: 'the $metadata answer is not XML' });
    return res.data;
  }
}
