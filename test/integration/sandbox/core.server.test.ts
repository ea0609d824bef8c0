/**
 * The sandbox core over real sockets: one port for admin HTTP and SNI-certified HTTPS, routing by
 * Host, bad input, faults, latency, request log, switches, masking, persistence across restarts.
 * A tiny echo service stands in for the SAP services so the core is tested on its own.
 */
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { startSandbox, type RunningSandbox } from '../../../sandbox';
import type { SandboxService } from '../../../sandbox/core/service';
import { sandboxServices } from '../../../sandbox/services';
import { adminRequest, sapRequest } from '../../support/sandboxClient';

interface EchoSlice {
  tenants: Record<string, { secret: string; switches: Record<string, unknown>; calls: number }>;
}

const ECHO_SECRET = 'echo-tenant-secret-must-never-show-9876';
const echoService: SandboxService<EchoSlice> = {
  name: 'echo',
  matchHost: (host) => {
    const m = /^(?<tenant>[a-z0-9]+)\.echo\.example\.test$/.exec(host);
    return m?.groups ? { tenant: m.groups.tenant } : undefined;
  },
  initialState: () => ({ tenants: {} }),
  seed: (slice, seed) => {
    for (const t of ((seed as { echoTenants?: { tenant: string; secret: string }[] }).echoTenants ?? [])) {
      slice.tenants[t.tenant] = { secret: t.secret, switches: {}, calls: 0 };
    }
  },
  describe: (slice) => ({ tenants: Object.fromEntries(Object.entries(slice.tenants).map(([k, v]) => [k, { ...v, secret: '***' }])) }),
  handle: (req, slice, ctx) => {
    const tenant = slice.tenants[ctx.hostParams.tenant];
    if (req.path === '/boom') throw new Error('handler failed');
    if (!tenant) return { status: 404, body: { error: 'no tenant' } };
    if (req.method === 'POST') {
      tenant.calls += 1;
      ctx.changed();
    }
    return { status: 200, body: { tenant: ctx.hostParams.tenant, path: req.path, query: req.rawQuery, calls: tenant.calls, body: req.body.toString('utf8') } };
  },
  applySwitches: (slice, tenant, switches) => {
    const t = slice.tenants[tenant];
    if (!t) return undefined;
    if (!switches || typeof switches !== 'object') return { status: 400, body: { error: 'invalid request' } };
    Object.assign(t.switches, switches);
    return { status: 200, body: t.switches };
  },
  errorResponse: (status, message) => ({ status, body: { echoError: message } }),
};

const SEED = { echoTenants: [{ tenant: 'alpha', secret: ECHO_SECRET }] };
const HOST = 'alpha.echo.example.test';
let dataDir: string;
let sandbox: RunningSandbox;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'sandbox-core-'));
  sandbox = await startSandbox({ port: 0, dataDir, quiet: true, seed: SEED, services: [echoService], persistDebounceMs: 5 });
});
afterAll(async () => {
  await sandbox.stop();
  rmSync(dataDir, { recursive: true, force: true });
});
beforeEach(async () => {
  await adminRequest(sandbox, '/reset', { method: 'POST' });
});

describe('one port, two protocols', () => {
  it('reports where it listens', () => {
    expect(sandbox.port).toBeGreaterThan(0);
    expect(sandbox.adminUrl).toBe(`http://127.0.0.1:${sandbox.port}/__sandbox`);
    expect(sandbox.connectTo).toBe(`127.0.0.1:${sandbox.port}`);
    expect(sandbox.caFile).toBe(path.join(dataDir, 'sandbox', 'ca.pem'));
    expect(new X509Certificate(sandbox.caPem).ca).toBe(true);
  });

  it("serves HTTPS with a wildcard certificate for the SNI host's domain, as SAP does, verified by a client that trusts only the sandbox CA", async () => {
    const res = await sapRequest(sandbox, `https://${HOST}/hello?x=1`);
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ tenant: 'alpha', path: '/hello', query: 'x=1' });
    expect(res.peerAltNames).toBe('DNS:*.echo.example.test');
    const other = await sapRequest(sandbox, 'https://beta.echo.example.test/');
    expect(other.peerAltNames).toBe('DNS:*.echo.example.test');
  });

  it('is refused by a client that does not trust the sandbox CA', async () => {
    await expect(sapRequest({ port: sandbox.port, caPem: tls.rootCertificates[0] }, `https://${HOST}/`)).rejects.toThrow(/certificate/i);
  });

  it('answers plain HTTP only for the admin API', async () => {
    expect((await adminRequest(sandbox, '/state')).status).toBe(200);
    const res = await fetch(`http://127.0.0.1:${sandbox.port}/sap/anything`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: string }).error).toMatch(/HTTPS/);
  });

  it('answers an unknown host with a JSON 404', async () => {
    const res = await sapRequest(sandbox, 'https://unknown.example.org/x');
    expect(res.status).toBe(404);
    expect(res.json()).toMatchObject({ error: 'unknown host', host: 'unknown.example.org' });
  });
});

describe('bad input never crashes the sandbox', () => {
  const raw = (bytes: Buffer | string) =>
    new Promise<string>((resolve) => {
      const socket = net.connect(sandbox.port, '127.0.0.1');
      let out = '';
      socket.on('data', (d) => (out += d.toString('latin1')));
      socket.on('close', () => resolve(out));
      socket.on('error', () => resolve(out));
      socket.write(bytes);
      setTimeout(() => socket.end(), 300);
    });

  it('answers garbage HTTP with 400 JSON and no stack trace, and survives a broken TLS handshake', async () => {
    const answer = await raw('GARBAGE / NONSENSE\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect(answer).toContain('{"error":"malformed request"}');
    await raw(Buffer.from([0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5]));
    expect((await sapRequest(sandbox, `https://${HOST}/still-alive`)).status).toBe(200);
  });

  it('turns a failing service into a 500 with the API error body and no stack trace', async () => {
    const res = await sapRequest(sandbox, `https://${HOST}/boom`);
    expect(res.status).toBe(500);
    expect(res.json()).toEqual({ echoError: 'Internal Server Error' });
    expect(res.text).not.toMatch(/handler failed|at .*\.ts/);
  });

  it('answers bad admin input with 400 naming the fields', async () => {
    const notJson = await adminRequest(sandbox, '/faults', { method: 'PUT', body: '{nope', headers: { 'content-type': 'application/json' } });
    expect(notJson.status).toBe(400);
    const badRule = await adminRequest(sandbox, '/faults', { method: 'PUT', body: [{ errorRate: 5 }] });
    expect(badRule.status).toBe(400);
    expect(badRule.json().fields).toEqual([expect.objectContaining({ field: '0.errorRate' })]);
    const badLatency = await adminRequest(sandbox, '/latency', { method: 'PUT', body: { ms: -1 } });
    expect(badLatency.json().fields[0].field).toBe('ms');
    expect((await adminRequest(sandbox, '/seed', { method: 'POST', body: [1, 2] })).status).toBe(400);
    expect((await adminRequest(sandbox, '/nope')).status).toBe(404);
  });
});

describe('faults and latency', () => {
  it('injects an error with the API body, and 429 with Retry-After', async () => {
    await adminRequest(sandbox, '/faults', { method: 'PUT', body: [{ host: 'echo', path: '^/limited$', errorRate: 1, status: 429, retryAfterSeconds: 3 }, { path: '^/down$', errorRate: 1 }] });
    const limited = await sapRequest(sandbox, `https://${HOST}/limited`);
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('3');
    expect(limited.json()).toEqual({ echoError: 'Too Many Requests' });
    const down = await sapRequest(sandbox, `https://${HOST}/down`);
    expect(down.status).toBe(503);
    expect((await sapRequest(sandbox, `https://${HOST}/fine`)).status).toBe(200);
    await adminRequest(sandbox, '/faults', { method: 'DELETE' });
    expect((await sapRequest(sandbox, `https://${HOST}/down`)).status).toBe(200);
  });

  it('hangs until the client gives up, and stop() still returns', async () => {
    await adminRequest(sandbox, '/faults', { method: 'PUT', body: { rules: [{ path: '^/hang$', hangRate: 1 }], seed: 1 } });
    const started = Date.now();
    await expect(sapRequest(sandbox, `https://${HOST}/hang`, { timeoutMs: 300 })).rejects.toThrow(/timeout/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    const log = (await adminRequest(sandbox, '/requests')).json().requests;
    expect(log).toContainEqual(expect.objectContaining({ path: '/hang', fault: 'hang' }));
  });

  it('carries out a request whose answer it loses, as when a connection drops after SAP committed', async () => {
    const callsBefore = (await sapRequest(sandbox, `https://${HOST}/count`)).json().calls;
    await adminRequest(sandbox, '/faults', { method: 'PUT', body: [{ method: 'POST', path: '^/create$', lostResponseRate: 1 }] });
    await expect(sapRequest(sandbox, `https://${HOST}/create`, { method: 'POST', body: {}, timeoutMs: 300 })).rejects.toThrow(/timeout/);
    await adminRequest(sandbox, '/faults', { method: 'DELETE' });
    expect((await sapRequest(sandbox, `https://${HOST}/count`)).json().calls).toBe(callsBefore + 1);
    const log = (await adminRequest(sandbox, '/requests')).json().requests;
    expect(log).toContainEqual(expect.objectContaining({ method: 'POST', path: '/create', status: 200, fault: 'lost-response' }));
  });

  it('adds rule latency and global latency to SAP calls only', async () => {
    await adminRequest(sandbox, '/latency', { method: 'PUT', body: { ms: 120 } });
    let t = Date.now();
    await sapRequest(sandbox, `https://${HOST}/slow`);
    expect(Date.now() - t).toBeGreaterThanOrEqual(115);
    t = Date.now();
    await adminRequest(sandbox, '/state');
    expect(Date.now() - t).toBeLessThan(115);
    await adminRequest(sandbox, '/latency', { method: 'PUT', body: { ms: 0 } });
    await adminRequest(sandbox, '/faults', { method: 'PUT', body: [{ path: '^/slower$', latencyMs: 150 }] });
    t = Date.now();
    await sapRequest(sandbox, `https://${HOST}/slower`);
    expect(Date.now() - t).toBeGreaterThanOrEqual(145);
  });
});

describe('admin API', () => {
  it('logs SAP calls with method, host, path, status and duration only', async () => {
    await sapRequest(sandbox, `https://${HOST}/logged?token=${ECHO_SECRET}`, { method: 'POST', body: { secret: ECHO_SECRET }, headers: { authorization: `Basic ${ECHO_SECRET}` } });
    const res = await adminRequest(sandbox, '/requests');
    const entry = res.json().requests.find((r: { path: string }) => r.path === '/logged');
    expect(entry).toEqual({ at: expect.any(String), method: 'POST', host: HOST, path: '/logged', status: 200, ms: expect.any(Number) });
    expect(res.text).not.toContain(ECHO_SECRET);
  });

  it('forwards tenant switches to the owning service, 404 for an unknown tenant', async () => {
    const ok = await adminRequest(sandbox, '/tenants/alpha/switches', { method: 'PUT', body: { rejectSigningCertificateField: true } });
    expect(ok.status).toBe(200);
    expect((await adminRequest(sandbox, '/state')).json().services.echo.tenants.alpha.switches).toEqual({ rejectSigningCertificateField: true });
    expect((await adminRequest(sandbox, '/tenants/nobody/switches', { method: 'PUT', body: { x: true } })).status).toBe(404);
  });

  it('answers an unknown admin route with 404 and the list of routes, a known path with the wrong method with 405', async () => {
    const unknown = await adminRequest(sandbox, '/clocks');
    expect(unknown.status).toBe(404);
    expect(unknown.json().error).toBe('no admin route GET /__sandbox/clocks');
    const routes = unknown.json().routes as { method: string; path: string; what: string }[];
    expect(routes).toEqual(expect.arrayContaining([
      { method: 'GET', path: '/__sandbox/state', what: expect.any(String) },
      { method: 'PUT', path: '/__sandbox/tenants/{tenant}/switches', what: expect.any(String) },
    ]));
    for (const r of routes) expect(r.what.length).toBeGreaterThan(0);
    const wrongMethod = await adminRequest(sandbox, '/requests', { method: 'POST' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.allow).toBe('GET, DELETE');
    expect(wrongMethod.json().routes).toEqual(routes);
  });

  it('seeds more tenants on POST /seed and resets to the start seed', async () => {
    expect((await adminRequest(sandbox, '/seed', { method: 'POST', body: { echoTenants: [{ tenant: 'gamma', secret: 's' }] } })).status).toBe(200);
    expect((await sapRequest(sandbox, 'https://gamma.echo.example.test/')).status).toBe(200);
    await adminRequest(sandbox, '/reset', { method: 'POST' });
    expect((await sapRequest(sandbox, 'https://gamma.echo.example.test/')).status).toBe(404);
    expect((await sapRequest(sandbox, `https://${HOST}/`)).status).toBe(200);
    await adminRequest(sandbox, '/reset?empty=true', { method: 'POST' });
    expect((await sapRequest(sandbox, `https://${HOST}/`)).status).toBe(404);
  });
});

describe('persistence', () => {
  it('keeps state and the CA across a restart and does not re-seed over it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sandbox-persist-'));
    try {
      const first = await startSandbox({ port: 0, dataDir: dir, quiet: true, seed: SEED, services: [echoService] });
      await sapRequest(first, `https://${HOST}/`, { method: 'POST' });
      await sapRequest(first, `https://${HOST}/`, { method: 'POST' });
      await first.stop();
      const second = await startSandbox({ port: 0, dataDir: dir, quiet: true, seed: SEED, services: [echoService] });
      try {
        expect(second.caPem).toBe(first.caPem);
        const res = await sapRequest(second, `https://${HOST}/`);
        expect(res.json().calls).toBe(2);
      } finally {
        await second.stop();
      }
      writeFileSync(path.join(dir, 'sandbox', 'state.json'), '{"not":"state"}');
      await expect(startSandbox({ port: 0, dataDir: dir, quiet: true, seed: SEED, services: [echoService] })).rejects.toThrow(/not a sandbox state file/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the real services with the default seed', () => {
  it('GET /state shows every service and no seeded secret', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sandbox-default-'));
    const real = await startSandbox({ port: 0, dataDir: dir, quiet: true, services: sandboxServices });
    try {
      const state = await adminRequest(real, '/state');
      expect(state.status).toBe(200);
      expect(Object.keys(state.json().services).sort()).toEqual(sandboxServices.map((s) => s.name).sort());
      const secrets: string[] = [];
      const collect = (v: unknown, key = ''): void => {
        if (typeof v === 'string' && /secret|password/i.test(key)) secrets.push(v);
        else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) collect(x, k);
      };
      collect(real.seed);
      expect(secrets.length).toBeGreaterThanOrEqual(4);
      for (const s of secrets) expect(state.text).not.toContain(s);
      const switched = await adminRequest(real, '/tenants/my100001/switches', { method: 'PUT', body: { rejectSigningCertificateField: true } });
      expect(switched.status).toBe(200);
      expect(JSON.stringify((await adminRequest(real, '/state')).json().services)).toContain('"rejectSigningCertificateField":true');
    } finally {
      await real.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
