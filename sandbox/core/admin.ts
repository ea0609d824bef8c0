/**
 * The admin API on plain HTTP, `/__sandbox/*` (docs/module-contracts.md, Sandbox section).
 * Bad input gets 400 `{"error":"invalid request","fields":[{field,message}]}`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { CertificateTimeline } from '../timeline/certificateTimeline';
import { ClockSetting, type SandboxClock } from './clock';
import { FaultConfig, type FaultInjector } from './faults';
import { BodyTooLarge, readBody, send, toSandboxRequest } from './httpExchange';
import type { RequestLog } from './requestLog';
import type { SandboxResponse, SandboxService } from './service';
import type { SandboxState } from './state';

export interface AdminDeps {
  services: readonly SandboxService[];
  state: SandboxState;
  faults: FaultInjector;
  log: RequestLog;
  caPem: string;
  /** The seed applied at start; POST /__sandbox/reset re-applies it. */
  startupSeed(): unknown;
  latency: { get(): number; set(ms: number): void; initial: number };
  clock: SandboxClock;
  timeline: Pick<CertificateTimeline, 'observe' | 'clear' | 'tenantNames' | 'view'>;
}

const Latency = z.object({ ms: z.number().int().min(0).max(600_000) }).strict();
export const SandboxSeedShape = z.record(z.string(), z.unknown());

function invalid(fields: { field: string; message: string }[]): SandboxResponse {
  return { status: 400, body: { error: 'invalid request', fields } };
}

function zodFields(error: z.ZodError): { field: string; message: string }[] {
  return error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message }));
}

function parseJson(body: Buffer): { ok: true; value: unknown } | { ok: false; response: SandboxResponse } {
  const text = body.toString('utf8');
  if (text.trim() === '') return { ok: false, response: invalid([{ field: '(body)', message: 'a JSON body is required' }]) };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, response: invalid([{ field: '(body)', message: 'body is not valid JSON' }]) };
  }
}

/** Applies a seed, turning a service's seed validation error into a 400 instead of a crash. */
export function applySeed(seedInto: (seed: unknown) => void, seed: unknown): SandboxResponse {
  const shape = SandboxSeedShape.safeParse(seed);
  if (!shape.success) return invalid([{ field: '(body)', message: 'a seed is a JSON object: { "subaccounts": [...], "s4Tenants": [...], "iasTenants": [...], "neoSubaccounts": [...] }' }]);
  try {
    seedInto(seed);
  } catch (err) {
    if (err instanceof z.ZodError) return invalid(zodFields(err));
    return invalid([{ field: '(body)', message: (err as Error)?.message ?? 'seed rejected' }]);
  }
  return { status: 200, body: { seeded: Object.keys(shape.data) } };
}

type Handler = (deps: AdminDeps, call: { params: string[]; query: URLSearchParams; body: Buffer }) => SandboxResponse | Promise<SandboxResponse>;

interface AdminRoute {
  method: string;
  /** The path as the route list shows it, `{name}` for a parameter. */
  path: string;
  what: string;
  handle: Handler;
}

function withJson(handle: (deps: AdminDeps, value: unknown, params: string[], query: URLSearchParams) => SandboxResponse | Promise<SandboxResponse>): Handler {
  return (deps, call) => {
    const parsed = parseJson(call.body);
    return parsed.ok ? handle(deps, parsed.value, call.params, call.query) : parsed.response;
  };
}

function applySubaccountSettings(deps: AdminDeps, value: unknown, [guidParam]: string[]): SandboxResponse {
  const guid = decodeURIComponent(guidParam);
  for (const service of deps.services) {
    const answer = service.applySubaccountSettings?.(deps.state.slice(service), guid, value);
    if (answer) {
      deps.state.changed();
      return answer;
    }
  }
  return { status: 404, body: { error: `no subaccount ${guid} is seeded` } };
}

function timelineView(deps: AdminDeps, query: URLSearchParams): SandboxResponse {
  const wanted = query.get('tenant');
  const names = deps.timeline.tenantNames();
  if (wanted !== null && !names.includes(wanted)) {
    return { status: 404, body: { error: `no S/4 tenant ${wanted} in the timeline`, tenants: names } };
  }
  const tenants = Object.fromEntries((wanted !== null ? [wanted] : names).map((name) => [name, deps.timeline.view(name)]));
  return { status: 200, body: { now: deps.clock.now().toISOString(), tenants } };
}

function applySwitches(deps: AdminDeps, value: unknown, [tenantParam]: string[]): SandboxResponse {
  const tenant = decodeURIComponent(tenantParam);
  for (const service of deps.services) {
    const answer = service.applySwitches?.(deps.state.slice(service), tenant, value);
    if (answer) {
      deps.state.changed();
      return answer;
    }
  }
  return { status: 404, body: { error: `no tenant ${tenant} has switches` } };
}

/** Every admin route; an unknown one is answered with this list. */
const ROUTES: readonly AdminRoute[] = [
  {
    method: 'GET', path: '/state', what: 'everything the services hold, secrets masked',
    handle: (deps) => ({ status: 200, body: { latencyMs: deps.latency.get(), faults: deps.faults.describe(), services: deps.state.describe() } }),
  },
  {
    method: 'POST', path: '/reset', what: 'back to the start seed, no faults, start latency, empty log (?empty=true: no seed)',
    handle: (deps, { query }) => {
      deps.state.clear();
      deps.faults.clear();
      deps.log.clear();
      deps.latency.set(deps.latency.initial);
      deps.clock.setOffsetSeconds(0);
      if (query.get('empty') !== 'true') {
        const seeded = applySeed((s) => deps.state.seed(s), deps.startupSeed());
        if (seeded.status !== 200) return seeded;
      }
      deps.timeline.clear('admin reset');
      return { status: 200, body: { reset: true, seeded: query.get('empty') !== 'true' } };
    },
  },
  {
    method: 'POST', path: '/seed', what: 'adds what a seed JSON describes',
    handle: withJson((deps, value) => {
      const answer = applySeed((s) => deps.state.seed(s), value);
      deps.timeline.observe('admin seed');
      return answer;
    }),
  },
  { method: 'GET', path: '/faults', what: 'the fault rules', handle: (deps) => ({ status: 200, body: deps.faults.describe() }) },
  {
    method: 'PUT', path: '/faults', what: 'sets fault rules: [{host?, method?, path?, latencyMs?, errorRate?, status?, retryAfterSeconds?, hangRate?}]',
    handle: withJson((deps, value) => {
      const config = FaultConfig.safeParse(value);
      if (!config.success) return invalid(zodFields(config.error));
      deps.faults.configure(config.data);
      return { status: 200, body: deps.faults.describe() };
    }),
  },
  {
    method: 'DELETE', path: '/faults', what: 'removes every fault rule',
    handle: (deps) => {
      deps.faults.clear();
      return { status: 200, body: deps.faults.describe() };
    },
  },
  {
    method: 'PUT', path: '/latency', what: 'latency added to every SAP call: {ms}',
    handle: withJson((deps, value) => {
      const latency = Latency.safeParse(value);
      if (!latency.success) return invalid(zodFields(latency.error));
      deps.latency.set(latency.data.ms);
      return { status: 200, body: { ms: latency.data.ms } };
    }),
  },
  { method: 'PUT', path: '/tenants/{tenant}/switches', what: 'tenant switches, e.g. {"rejectSigningCertificateField":true}', handle: withJson(applySwitches) },
  {
    method: 'PUT', path: '/subaccounts/{guid}/settings',
    what: 'how the subaccount generates trust certificates from now on: {"trustCertificateKeyBits": 2048|3072|4096, "trustCertificateValiditySeconds": n} (null = default)',
    handle: withJson(applySubaccountSettings),
  },
  { method: 'GET', path: '/clock', what: 'the sandbox clock: {offsetSeconds, now}', handle: (deps) => ({ status: 200, body: deps.clock.describe() }) },
  {
    method: 'PUT', path: '/clock', what: 'moves the clock every service uses: {"offsetSeconds": n} (negative = back; reset = 0)',
    handle: withJson((deps, value) => {
      const setting = ClockSetting.safeParse(value);
      if (!setting.success) return invalid(zodFields(setting.error));
      deps.clock.setOffsetSeconds(setting.data.offsetSeconds);
      return { status: 200, body: deps.clock.describe() };
    }),
  },
  {
    method: 'GET', path: '/timeline',
    what: 'per S/4 tenant (?tenant=), the events and intervals when its systems hold another certificate than the one BTP signs with, and the longest closed one in ms',
    handle: (deps, { query }) => timelineView(deps, query),
  },
  {
    method: 'DELETE', path: '/timeline', what: 'forgets the timeline; the present state becomes the first event',
    handle: (deps) => {
      deps.timeline.clear('admin timeline cleared');
      return timelineView(deps, new URLSearchParams());
    },
  },
  {
    method: 'GET', path: '/webhooks', what: 'posts received on the simulated Slack and Teams incoming webhooks (token in the path masked)',
    handle: (deps) => ({ status: 200, body: { posts: (deps.state.describe().webhooks as { posts?: unknown[] } | undefined)?.posts ?? [] } }),
  },
  { method: 'GET', path: '/requests', what: 'the SAP call log (method, host, path, status, ms)', handle: (deps) => ({ status: 200, body: { requests: deps.log.list() } }) },
  {
    method: 'DELETE', path: '/requests', what: 'empties the SAP call log',
    handle: (deps) => {
      deps.log.clear();
      return { status: 200, body: { requests: [] } };
    },
  },
  { method: 'GET', path: '/ca.pem', what: "the sandbox CA (trust it as SAP_EXTRA_CA_FILE)", handle: (deps) => ({ status: 200, headers: { 'content-type': 'application/x-pem-file' }, body: deps.caPem }) },
];

const MATCHERS = ROUTES.map((r) => ({ route: r, pattern: new RegExp(`^${r.path.replace(/\{[^}]+\}/g, '([^/]+)').replace(/\./g, '\\.')}$`) }));

/** The route list an unknown route is answered with. */
export function adminRouteList(): { method: string; path: string; what: string }[] {
  return ROUTES.map((r) => ({ method: r.method, path: `/__sandbox${r.path}`, what: r.what }));
}

async function route(deps: AdminDeps, method: string, path: string, query: URLSearchParams, body: Buffer): Promise<SandboxResponse> {
  const sub = path.replace(/^\/__sandbox/, '').replace(/\/$/, '') || '/';
  const onPath = MATCHERS.map((m) => ({ route: m.route, match: m.pattern.exec(sub) })).filter((m) => m.match !== null);
  const found = onPath.find((m) => m.route.method === method);
  if (found) return found.route.handle(deps, { params: found.match!.slice(1), query, body });
  if (onPath.length > 0) {
    const allow = onPath.map((m) => m.route.method).join(', ');
    return { status: 405, headers: { allow }, body: { error: `${method} is not allowed on ${path}; use ${allow}`, routes: adminRouteList() } };
  }
  return { status: 404, body: { error: `no admin route ${method} ${path}`, routes: adminRouteList() } };
}

export async function handleAdminRequest(deps: AdminDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let body: Buffer;
  try {
    body = await readBody(req);
  } catch (err) {
    if (err instanceof BodyTooLarge) send(res, { status: 413, body: { error: 'body too large' } });
    return;
  }
  const sreq = toSandboxRequest(req, body);
  try {
    send(res, await route(deps, sreq.method, sreq.path, sreq.query, body));
  } catch {
    send(res, { status: 500, body: { error: 'internal error' } });
  }
}
