/** HTTP-triggered functions: route table, key check, HttpRequest in, HttpResponse / HttpResponseInit out. */
import type { Cookie } from '@azure/functions';
import type { RegisteredFunction } from '../engineContract';
import type { FunctionsLibrary } from './appLoader';
import type { FunctionInvoker } from './functionInvoker';
import type { HostCall, HostReply } from './hostCall';
import { problem } from './hostCall';
import { isAuthorized, presentedKey, type AccessLevel, type HostKeys } from './hostKeys';
import { compileRoute, type CompiledRoute } from './routeTemplate';

export interface HttpRoute {
  fn: RegisteredFunction;
  /** The full template including the route prefix, e.g. `api/orders/{id:int}`. */
  template: string;
  methods: string[] | undefined;
  authLevel: AccessLevel;
  compiled: CompiledRoute;
}

export function httpRoutes(functions: RegisteredFunction[], routePrefix: string): HttpRoute[] {
  const routes: HttpRoute[] = [];
  for (const fn of functions) {
    if (fn.triggerType.toLowerCase() !== 'httptrigger') continue;
    const trigger = Object.values(fn.metadata.bindings).find((b) => b.type.toLowerCase() === 'httptrigger')!;
    const route = typeof trigger.route === 'string' && trigger.route.length > 0 ? trigger.route : fn.name;
    const template = [routePrefix, route.replace(/^\/+/, '')].filter(Boolean).join('/');
    const methods = Array.isArray(trigger.methods) && trigger.methods.length > 0 ? trigger.methods.map((m) => String(m).toUpperCase()) : undefined;
    const level = String(trigger.authLevel ?? 'function').toLowerCase();
    const authLevel: AccessLevel = level === 'anonymous' ? 'anonymous' : level === 'function' ? 'function' : 'admin';
    routes.push({ fn, template, methods, authLevel, compiled: compileRoute(template) });
  }
  return routes.sort((a, b) => b.compiled.precedence - a.compiled.precedence);
}

function headerRecord(call: HostCall): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(call.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function serializeCookie(cookie: Cookie): string {
  const parts = [`${cookie.name}=${encodeURIComponent(cookie.value)}`];
  if (cookie.domain) parts.push(`Domain=${cookie.domain}`);
  if (cookie.path) parts.push(`Path=${cookie.path}`);
  if (cookie.expires !== undefined) parts.push(`Expires=${new Date(cookie.expires).toUTCString()}`);
  if (cookie.maxAge !== undefined) parts.push(`Max-Age=${cookie.maxAge}`);
  if (cookie.secure) parts.push('Secure');
  if (cookie.httpOnly) parts.push('HttpOnly');
  if (cookie.sameSite) parts.push(`SameSite=${cookie.sameSite}`);
  return parts.join('; ');
}

export class HttpTriggers {
  constructor(
    private readonly routes: HttpRoute[],
    private readonly library: FunctionsLibrary,
    private readonly invoker: FunctionInvoker,
    private readonly keys: HostKeys,
  ) {}

  find(method: string, pathname: string): { route: HttpRoute; params: Record<string, string> } | undefined {
    for (const route of this.routes) {
      if (route.methods && !route.methods.includes(method)) continue;
      const params = route.compiled.match(pathname);
      if (params) return { route, params };
    }
    return undefined;
  }

  /** Undefined when no HTTP trigger answers this method and path. */
  async handle(call: HostCall): Promise<HostReply | undefined> {
    const found = this.find(call.method, call.url.pathname);
    if (!found) return undefined;
    const { route, params } = found;
    if (!isAuthorized(this.keys, route.authLevel, presentedKey(call.headers['x-functions-key'], call.url.searchParams))) {
      return problem(401, `${route.fn.name} needs a key (x-functions-key header or code query parameter)`);
    }
    const request = new this.library.HttpRequest({
      method: call.method,
      url: call.url.toString(),
      headers: headerRecord(call),
      params,
      body: call.body.length > 0 ? { bytes: new Uint8Array(call.body) } : undefined,
    });
    let result: unknown;
    try {
      result = await this.invoker.invoke(route.fn, request, { kind: 'http' });
    } catch {
      return { status: 500 };
    }
    return this.toReply(result);
  }

  private async toReply(result: unknown): Promise<HostReply> {
    if (result === undefined || result === null) return { status: 204 };
    if (typeof result !== 'object') return problem(500, 'The HTTP response must be an object with optional properties "body", "status", "headers", and "cookies".');
    const response = result instanceof this.library.HttpResponse ? result : new this.library.HttpResponse(result as never);
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of response.headers.entries()) if (name !== 'set-cookie') headers[name] = value;
    const setCookies = [...response.headers.getSetCookie(), ...response.cookies.map(serializeCookie)];
    if (setCookies.length > 0) headers['set-cookie'] = setCookies;
    return { status: response.status, headers, body: Buffer.from(await response.arrayBuffer()) };
  }
}
