/**
 * One SAP_COM_0A48 OData V4 service on one tenant: Basic auth with the bootstrap user, and the
 * SAP Gateway CSRF protocol for writes (contracts B.2): fetch a token with `X-CSRF-Token: Fetch`
 * (on the first read, or `GET <root>` when a write comes first), send it with the session cookies on
 * every write, and fetch again once when the server answers 403 `x-csrf-token: Required`.
 */
import { z } from 'zod';
import { createSapHttp, type HttpMethod, type QueryValue, type SapHttp, type SapRequest, type SapResponse } from '../http';
import { s4ServiceRoot, s4TenantOf, type S4Connection, type S4ServiceName } from './s4Connection';

export interface ODataCall<T> {
  operation: string;
  method: HttpMethod;
  /** Relative to the service root, e.g. `CommunicationUsers` or `CommunicationSystems(<uuid>)/InboundUsers`. */
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  schema?: z.ZodType<T>;
  acceptStatus?: number[];
  headers?: Record<string, string>;
}

/** `{"value":[...]}` of an OData V4 collection. */
export function odataCollection<T extends z.ZodType>(item: T) {
  return z.looseObject({ value: z.array(item) });
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
  private readonly http: SapHttp;
  private readonly basic: string;
  private csrf: { token: string; cookies: Map<string, string> } | undefined;
  private csrfInflight: Promise<void> | undefined;

  constructor(
    private readonly connection: S4Connection,
    readonly service: S4ServiceName,
  ) {
    this.root = s4ServiceRoot(connection.apiHost, service);
    this.basic = `Basic ${Buffer.from(`${connection.user}:${connection.password}`).toString('base64')}`;
    this.http = createSapHttp({
      api: 'S4',
      system: s4TenantOf(connection.apiHost),
      options: connection.options,
      secrets: () => [connection.password, this.basic.slice(6), this.csrf?.token ?? ''],
    });
  }

  private withClient(query: Record<string, QueryValue> | undefined): Record<string, QueryValue> | undefined {
    return this.connection.sapClient ? { ...query, 'sap-client': this.connection.sapClient } : query;
  }

  private async fetchCsrfToken(): Promise<void> {
    const res = await this.http.request({
      operation: `${this.service} fetch CSRF token`,
      method: 'GET',
      url: this.root,
      query: this.withClient(undefined),
      headers: { Authorization: this.basic, 'X-CSRF-Token': 'Fetch' },
    });
    const token = res.headers['x-csrf-token'];
    if (typeof token !== 'string' || token === '' || /^required$/i.test(token)) {
      throw this.http.errorFrom(
        { operation: `${this.service} fetch CSRF token`, method: 'GET', url: this.root },
        { status: 403, headers: {}, data: 'the service returned no CSRF token' },
      );
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

  async call<T>(c: ODataCall<T>): Promise<SapResponse<T>> {
    const isWrite = c.method !== 'GET' && c.method !== 'HEAD';
    if (!isWrite) return this.read(c);
    for (let attempt = 1; ; attempt++) {
      await this.ensureCsrfToken(attempt > 1);
      const csrf = this.csrf!;
      const cookie = [...csrf.cookies].map(([n, v]) => `${n}=${v}`).join('; ');
      const req = this.toRequest(c, { 'X-CSRF-Token': csrf.token, ...(cookie ? { Cookie: cookie } : {}) }, [403]);
      const res = await this.http.request(req);
      if (res.status !== 403 || (c.acceptStatus ?? []).includes(403)) return res;
      const csrfRequired = /^required$/i.test(String(res.headers['x-csrf-token'] ?? ''));
      if (!csrfRequired || attempt > 1) throw this.http.errorFrom(req, res);
      this.csrf = undefined;
    }
  }

  /**
   * A read that, while no CSRF token is held, also asks for one: SAP Gateway hands it out on any GET,
   * so the read before a write saves the write its own token round trip.
   */
  private async read<T>(c: ODataCall<T>): Promise<SapResponse<T>> {
    if (this.csrf || this.csrfInflight) return this.http.request(this.toRequest(c, {}));
    const res = await this.http.request(this.toRequest(c, { 'X-CSRF-Token': 'Fetch' }));
    const token = res.headers['x-csrf-token'];
    if (!this.csrf && typeof token === 'string' && token !== '' && !/^required$/i.test(token)) {
      this.csrf = { token, cookies: new Map(cookiePairs(res.headers['set-cookie'])) };
    }
    return res;
  }

  private toRequest<T>(c: ODataCall<T>, extraHeaders: Record<string, string>, extraAccept: number[] = []): SapRequest<T> {
    return {
      operation: c.operation,
      method: c.method,
      url: `${this.root}${c.path}`,
      query: this.withClient(c.query),
      headers: { Authorization: this.basic, ...c.headers, ...extraHeaders },
      body: c.body,
      schema: c.schema,
      acceptStatus: [...(c.acceptStatus ?? []), ...extraAccept],
    };
  }

  /** The raw `$metadata` document (EDMX XML). */
  async metadata(): Promise<string> {
    const res = await this.http.request<string>({
      operation: `${this.service} read $metadata`,
      method: 'GET',
      url: `${this.root}$metadata`,
      query: this.withClient(undefined),
      headers: { Authorization: this.basic, Accept: 'application/xml' },
    });
    if (typeof res.data !== 'string') throw this.http.errorFrom({ operation: `${this.service} read $metadata`, method: 'GET', url: this.root }, { status: 200, headers: {}, data: 'the $metadata answer is not XML' });
    return res.data;
  }
}
