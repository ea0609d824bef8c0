/**
 * The admin API on plain HTTP, `/__sandbox/*` (docs/module-contracts.md, Sandbox section).
 * Bad input gets 400 `{"error":"invalid request","fields":[{field,message}]}`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
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

async function route(deps: AdminDeps, method: string, path: string, query: URLSearchParams, body: Buffer): Promise<SandboxResponse> {
  const sub = path.replace(/^\/__sandbox/, '').replace(/\/$/, '') || '/';
  if (sub === '/state' && method === 'GET') {
    return { status: 200, body: { latencyMs: deps.latency.get(), faults: deps.faults.describe(), services: deps.state.describe() } };
  }
  if (sub === '/reset' && method === 'POST') {
    deps.state.clear();
    deps.faults.clear();
    deps.log.clear();
    deps.latency.set(deps.latency.initial);
    if (query.get('empty') !== 'true') {
      const seeded = applySeed((s) => deps.state.seed(s), deps.startupSeed());
      if (seeded.status !== 200) return seeded;
    }
    return { status: 200, body: { reset: true, seeded: query.get('empty') !== 'true' } };
  }
  if (sub === '/seed' && method === 'POST') {
    const parsed = parseJson(body);
    return parsed.ok ? applySeed((s) => deps.state.seed(s), parsed.value) : parsed.response;
  }
  if (sub === '/faults' && method === 'PUT') {
    const parsed = parseJson(body);
    if (!parsed.ok) return parsed.response;
    const config = FaultConfig.safeParse(parsed.value);
    if (!config.success) return invalid(zodFields(config.error));
    deps.faults.configure(config.data);
    return { status: 200, body: deps.faults.describe() };
  }
  if (sub === '/faults' && method === 'DELETE') {
    deps.faults.clear();
    return { status: 200, body: deps.faults.describe() };
  }
  if (sub === '/faults' && method === 'GET') return { status: 200, body: deps.faults.describe() };
  if (sub === '/latency' && method === 'PUT') {
    const parsed = parseJson(body);
    if (!parsed.ok) return parsed.response;
    const latency = Latency.safeParse(parsed.value);
    if (!latency.success) return invalid(zodFields(latency.error));
    deps.latency.set(latency.data.ms);
    return { status: 200, body: { ms: latency.data.ms } };
  }
  const switches = /^\/tenants\/([^/]+)\/switches$/.exec(sub);
  if (switches && method === 'PUT') {
    const parsed = parseJson(body);
    if (!parsed.ok) return parsed.response;
    const tenant = decodeURIComponent(switches[1]);
    for (const service of deps.services) {
      const answer = service.applySwitches?.(deps.state.slice(service), tenant, parsed.value);
      if (answer) {
        deps.state.changed();
        return answer;
      }
    }
    return { status: 404, body: { error: `no tenant ${tenant} has switches` } };
  }
  if (sub === '/requests' && method === 'GET') return { status: 200, body: { requests: deps.log.list() } };
  if (sub === '/requests' && method === 'DELETE') {
    deps.log.clear();
    return { status: 200, body: { requests: [] } };
  }
  if (sub === '/ca.pem' && method === 'GET') return { status: 200, headers: { 'content-type': 'application/x-pem-file' }, body: deps.caPem };
  return { status: 404, body: { error: `no admin route ${method} ${path}` } };
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
