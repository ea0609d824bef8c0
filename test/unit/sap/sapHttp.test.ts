import { inspect } from 'node:util';
import { z } from 'zod';
import { HostNotAllowedError, SapError } from '../../../shared/sap/errors';
import { createSapHttp, destroySharedSapAgents, type SapHttp } from '../../../shared/sap/http';
import { createTestCa, reply, startTlsTestServer, type TlsTestServer } from './support/tlsTestServer';

const HOST = 'my100001-api.s4hana.ondemand.com';
const BASE = `https://${HOST}`;

let server: TlsTestServer;
let http: SapHttp;

function client(overrides: Partial<Parameters<typeof createSapHttp>[0]> = {}): SapHttp {
  return createSapHttp({
    api: 'S4',
    system: 'my100001',
    options: { connectTo: server.connectTo, extraCaPem: server.ca.certPem, timeoutMs: 2000 },
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
    ...overrides,
  });
}

async function failure(p: Promise<unknown>): Promise<SapError> {
  try {
    await p;
  } catch (e) {
    return e as SapError;
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  server = await startTlsTestServer([HOST, 'destination-configuration.cfapps.eu10.hana.ondemand.com']);
});
afterAll(async () => {
  destroySharedSapAgents();
  await server.close();
});
beforeEach(() => {
  server.reset();
  http = client();
});

describe('allowlist', () => {
  it('refuses a host outside the allowlist before opening any connection, naming host and allowlist', async () => {
    const err = await failure(http.request({ operation: 'probe', method: 'GET', url: 'https://evil.example.com/x' }));
    expect(err).toBeInstanceOf(HostNotAllowedError);
    expect(err.kind).toBe('Invalid');
    expect(err.message).toContain('evil.example.com');
    expect(err.message).toContain('*.s4hana.ondemand.com');
    expect(server.connections).toBe(0);
  });

  it('refuses look-alike hosts that only contain an allowlisted suffix', async () => {
    const err = await failure(http.request({ operation: 'probe', method: 'GET', url: 'https://s4hana.ondemand.com.evil.test/x' }));
    expect(err).toBeInstanceOf(HostNotAllowedError);
    expect(server.connections).toBe(0);
  });

  it('refuses plain http even on an allowlisted host, before I/O', async () => {
    const err = await failure(http.request({ operation: 'probe', method: 'GET', url: `http://${HOST}/x` }));
    expect(err.kind).toBe('Invalid');
    expect(err.sapMessage).toContain('https');
    expect(server.connections).toBe(0);
  });

  it('accepts a host added through allowlistExtra', async () => {
    const extra = createSapHttp({ system: 'x', options: { connectTo: server.connectTo, extraCaPem: server.ca.certPem, allowlistExtra: ['*.example.test'] } });
    // the test server's certificate does not name this host, so TLS must fail — but only after the allowlist let it through
    const err = await failure(extra.request({ operation: 'probe', method: 'GET', url: 'https://tenant.example.test/x' }));
    expect(err).not.toBeInstanceOf(HostNotAllowedError);
    expect(server.connections).toBe(1);
  });
});

describe('connect-to agent', () => {
  it('connects to connectTo while keeping the real host name in SNI and the Host header', async () => {
    server.handle((_req, res) => reply(res, 200, { ok: true }));
    const res = await http.request({ operation: 'ping', method: 'GET', url: `${BASE}/ping`, schema: z.object({ ok: z.boolean() }) });
    expect(res.data).toEqual({ ok: true });
    expect(server.requests[0].servername).toBe(HOST);
    expect(server.requests[0].host).toBe(HOST);
  });

  it('rejects a server whose certificate comes from a CA we were not told to trust', async () => {
    const other = createSapHttp({ system: 'x', options: { connectTo: server.connectTo, extraCaPem: createTestCa('Other CA').certPem }, retry: { maxAttempts: 1 } });
    const err = await failure(other.request({ operation: 'ping', method: 'GET', url: `${BASE}/ping` }));
    expect(err).toBeInstanceOf(SapError);
    expect(err.kind).toBe('Invalid');
    expect(err.networkCode).toMatch(/CERT|SIGNATURE|SELF_SIGNED|UNABLE/);
    expect(server.requests).toHaveLength(0);
  });

  it('rejects a certificate that does not name the requested host', async () => {
    const err = await failure(http.request({ operation: 'ping', method: 'GET', url: 'https://my999999-api.s4hana.ondemand.com/ping' }));
    expect(err.networkCode).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    expect(server.requests).toHaveLength(0);
  });
});

describe('error mapping', () => {
  const cases: [string, number, unknown, Record<string, string>, Partial<SapError>][] = [
    ['Destination 404 ErrorMessage', 404, { ErrorMessage: 'Keypair for subaccount - X does not exist' }, {}, { kind: 'NotFound', sapMessage: 'Keypair for subaccount - X does not exist' }],
    ['Destination 409 plain string', 409, 'Duplicate key', {}, { kind: 'Conflict', sapMessage: 'Duplicate key' }],
    ['412 precondition failed', 412, { ErrorMessage: 'ETag mismatch' }, {}, { kind: 'Conflict', status: 412 }],
    ['S/4 401 HTML logon page', 401, '<html><head><title>Logon failed</title></head><body>...</body></html>', { 'content-type': 'text/html' }, { kind: 'Unauthorized', sapMessage: 'Logon failed' }],
    ['403', 403, { error: { code: 'FORBIDDEN', message: 'No authorization' } }, {}, { kind: 'Forbidden', sapCode: 'FORBIDDEN' }],
    ['OData V4 400 with code', 400, { error: { code: 'CM_APS_CS/025', message: 'host name is missing' } }, {}, { kind: 'Invalid', sapCode: 'CM_APS_CS/025', sapMessage: 'host name is missing' }],
    ['OData V2 message value', 400, { error: { code: 'X/1', message: { lang: 'en', value: 'V2 text' } } }, {}, { kind: 'Invalid', sapMessage: 'V2 text' }],
    ['UAA error_description', 401, { error: 'invalid_client', error_description: 'Bad credentials' }, {}, { kind: 'Unauthorized', sapMessage: 'Bad credentials', sapCode: 'invalid_client' }],
    ['429 with Retry-After', 429, 'Too many requests', { 'retry-after': '120' }, { kind: 'Transient', retryAfterMs: 120_000 }],
    ['500 empty body', 500, undefined, {}, { kind: 'Transient', status: 500 }],
  ];
  it.each(cases)('%s', async (_name, status, body, headers, expected) => {
    server.handle((_req, res) => reply(res, status, body, headers));
    const err = await failure(http.request({ operation: 'CommunicationUsers create', method: 'POST', url: `${BASE}/x`, body: {} }));
    expect(err).toBeInstanceOf(SapError);
    expect(err).toMatchObject({ system: 'my100001', operation: 'CommunicationUsers create', status, ...expected });
    expect(err.name).toBe('S4Error');
    expect(err.message).toMatch(/^S\/4HANA tenant my100001 .*CommunicationUsers create/);
    expect(err.message).toContain(`${JSON.stringify(err.sapMessage)} (HTTP ${status})`);
    expect(err.message).not.toMatch(/S4Error|SapError|\((NotFound|Conflict|Unauthorized|Forbidden|Transient|Invalid)\)/);
  });

  it('returns accepted non-2xx statuses instead of throwing', async () => {
    server.handle((_req, res) => reply(res, 404, { ErrorMessage: 'nope' }));
    const res = await http.request({ operation: 'get', method: 'GET', url: `${BASE}/x`, acceptStatus: [404] });
    expect(res.status).toBe(404);
  });

  it('fails loudly when a 2xx body does not match the schema', async () => {
    server.handle((_req, res) => reply(res, 200, { certificate: 42 }));
    const err = await failure(http.request({ operation: 'get', method: 'GET', url: `${BASE}/x`, schema: z.object({ certificate: z.string() }) }));
    expect(err.kind).toBe('Invalid');
    expect(err.sapMessage).toContain('certificate');
  });

  it('treats a redirect as unexpected rather than following it', async () => {
    server.handle((_req, res) => reply(res, 302, undefined, { location: 'https://evil.example.com/' }));
    const err = await failure(http.request({ operation: 'get', method: 'GET', url: `${BASE}/x` }));
    expect(err.kind).toBe('Invalid');
    expect(server.requests).toHaveLength(1);
  });
});

describe('retry policy', () => {
  function failTimes(n: number, status: number, headers: Record<string, string> = {}) {
    let calls = 0;
    server.handle((_req, res) => {
      calls += 1;
      if (calls <= n) reply(res, status, { error: { message: 'busy' } }, headers);
      else reply(res, 200, { ok: true });
    });
  }

  it('retries a Transient failure of a GET and succeeds', async () => {
    failTimes(2, 503);
    const res = await http.request({ operation: 'get', method: 'GET', url: `${BASE}/x` });
    expect(res.status).toBe(200);
    expect(server.requests).toHaveLength(3);
  });

  it('never repeats a POST create by default', async () => {
    failTimes(1, 503);
    const err = await failure(http.request({ operation: 'create', method: 'POST', url: `${BASE}/x`, body: { a: 1 } }));
    expect(err.kind).toBe('Transient');
    expect(server.requests).toHaveLength(1);
  });

  it('repeats a POST when the caller marks it safe (token calls)', async () => {
    failTimes(1, 502);
    const res = await http.request({ operation: 'token', method: 'POST', url: `${BASE}/x`, body: 'a=b', safeToRetry: true });
    expect(res.status).toBe(200);
    expect(server.requests).toHaveLength(2);
  });

  it('does not retry non-transient errors', async () => {
    failTimes(1, 400);
    await failure(http.request({ operation: 'get', method: 'GET', url: `${BASE}/x` }));
    expect(server.requests).toHaveLength(1);
  });

  it('gives up after maxAttempts', async () => {
    failTimes(10, 500);
    const err = await failure(client({ retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 } }).request({ operation: 'get', method: 'GET', url: `${BASE}/x` }));
    expect(err.kind).toBe('Transient');
    expect(server.requests).toHaveLength(3);
  });

  it('waits as long as Retry-After says before retrying', async () => {
    failTimes(1, 429, { 'retry-after': '1' });
    const started = Date.now();
    await http.request({ operation: 'get', method: 'GET', url: `${BASE}/x` });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(server.requests).toHaveLength(2);
  });

  it('hands a long Retry-After to the caller instead of sleeping', async () => {
    failTimes(1, 429, { 'retry-after': '3600' });
    const err = await failure(http.request({ operation: 'get', method: 'GET', url: `${BASE}/x` }));
    expect(err.retryAfterMs).toBe(3_600_000);
    expect(server.requests).toHaveLength(1);
  });

  it('times out a hanging call as Transient and retries it when safe', async () => {
    server.handle(() => {
      /* never answers */
    });
    const quick = client({ options: { connectTo: server.connectTo, extraCaPem: server.ca.certPem, timeoutMs: 150 }, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 } });
    const err = await failure(quick.request({ operation: 'get', method: 'GET', url: `${BASE}/x` }));
    expect(err.kind).toBe('Transient');
    expect(err.sapMessage).toContain('150 ms');
    expect(server.requests).toHaveLength(2);
  });

  it('maps a connection reset to Transient', async () => {
    server.handle((req, res) => res.socket?.destroy());
    const err = await failure(client({ retry: { maxAttempts: 1 } }).request({ operation: 'get', method: 'GET', url: `${BASE}/x` }));
    expect(err.kind).toBe('Transient');
    expect(err.networkCode).toBeDefined();
  });
});

describe('no secrets in errors', () => {
  const PASSWORD = 'S3cretPassw0rd-xyz-123456789';
  const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.secret-token-payload';

  function assertClean(err: unknown) {
    const texts = [JSON.stringify(err), inspect(err, { depth: 20, showHidden: true }), String(err), (err as Error).stack ?? ''];
    for (const t of texts) {
      expect(t).not.toContain(PASSWORD);
      expect(t).not.toContain(TOKEN);
      expect(t).not.toContain(Buffer.from(`user:${PASSWORD}`).toString('base64'));
    }
  }

  it('an HTTP error carries neither headers nor body nor SAP echoing the secret', async () => {
    server.handle((req, res) => reply(res, 400, { error: { code: 'X', message: `password ${PASSWORD} rejected` } }));
    const c = client({ secrets: () => [PASSWORD] });
    const err = await failure(
      c.request({
        operation: 'CommunicationUsers create',
        method: 'POST',
        url: `${BASE}/x`,
        headers: { Authorization: `Basic ${Buffer.from(`user:${PASSWORD}`).toString('base64')}`, 'X-Token': TOKEN },
        body: { Password: PASSWORD },
        secrets: [TOKEN],
      }),
    );
    expect(err.sapMessage).toContain('***');
    assertClean(err);
  });

  it('a network error carries no axios config', async () => {
    server.handle((req, res) => res.socket?.destroy());
    const c = client({ retry: { maxAttempts: 1 } });
    const err = await failure(
      c.request({ operation: 'token', method: 'POST', url: `${BASE}/x`, headers: { Authorization: `Bearer ${TOKEN}` }, body: `client_secret=${PASSWORD}` }),
    );
    expect(err).toBeInstanceOf(SapError);
    expect((err as unknown as { config?: unknown }).config).toBeUndefined();
    // The cause is kept, as a fresh Error with the failure's code: never the axios error and its request config.
    const cause = err.cause as Error & { code?: string; config?: unknown };
    expect(cause).toBeInstanceOf(Error);
    expect(cause.config).toBeUndefined();
    expect(cause.code).toBe(err.networkCode);
    assertClean(err);
  });

  it('a timeout error carries no axios config', async () => {
    server.handle(() => undefined);
    const c = client({ options: { connectTo: server.connectTo, extraCaPem: server.ca.certPem, timeoutMs: 100 }, retry: { maxAttempts: 1 } });
    const err = await failure(c.request({ operation: 'get', method: 'GET', url: `${BASE}/x`, headers: { Authorization: `Bearer ${TOKEN}` } }));
    assertClean(err);
  });
});
