/**
 * The one authenticated SAP call, over a real local TLS server: the token is fetched once and
 * reused, a 401 renews it exactly once and repeats the call once, Basic is never renewed,
 * Retry-After reaches the error as retryAfterMs, and no secret reaches any error text or JSON.
 */
import { inspect } from 'node:util';
import { z } from 'zod';
import { adviceFor } from '../../../shared/sap/errorAdvice';
import { SapError, type SapApi } from '../../../shared/sap/errors';
import { createAuthenticatedApi, createSapHttp, destroySharedSapAgents, tokenCache, type AuthenticatedApi } from '../../../shared/sap/http';
import { reply, startTlsTestServer, type TlsTestServer } from './support/tlsTestServer';

const HOST = 'destination-configuration.cfapps.eu10.hana.ondemand.com';
const TOKEN_HOST = 'sub.authentication.eu10.hana.ondemand.com';
const CLIENT_SECRET = 'client-secret-value-that-must-never-leak-1234';
const PASSWORD = 'Basic-Password-That-Must-Never-Leak-5678';
const CREDENTIAL = 'btp-destination-key-sub';

let server: TlsTestServer;
let issued: string[];

const options = () => ({ connectTo: server.connectTo, extraCaPem: server.ca.certPem, timeoutMs: 2000 });

function http(api: SapApi = 'Destination', system = 'sub', credential: string | undefined = CREDENTIAL) {
  return createSapHttp({ api, system, options: options(), retry: { baseDelayMs: 1, maxDelayMs: 2 }, secrets: () => [CLIENT_SECRET, PASSWORD], ...(credential ? { credential } : {}) });
}

/** A real client-credentials token cache against the test server's /oauth/token. */
function bearerApi(): AuthenticatedApi {
  const tokenHttp = http('Xsuaa', TOKEN_HOST);
  const tokens = tokenCache(async () => {
    const res = await tokenHttp.request({
      operation: 'client credentials token',
      method: 'POST',
      url: `https://${TOKEN_HOST}/oauth/token`,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&client_secret=${CLIENT_SECRET}`,
      safeToRetry: true,
      schema: z.object({ access_token: z.string(), expires_in: z.number() }),
    });
    return { token: res.data.access_token, expiresInSeconds: res.data.expires_in };
  });
  return createAuthenticatedApi({ http: http(), baseUrl: `https://${HOST}/destination-configuration/v1`, auth: { bearer: { token: tokens.get, invalidate: tokens.invalidate } } });
}

/** The token endpoint issues token-1, token-2, ...; the API accepts only tokens in `tokensAccepted`. */
function serve(api: (req: { url: string; authorization: string | undefined }, res: Parameters<Parameters<TlsTestServer['handle']>[0]>[1]) => void) {
  server.handle((req, res) => {
    if (req.url === '/oauth/token') {
      const token = `token-${issued.length + 1}-secret-bearer-value`;
      issued.push(token);
      return reply(res, 200, { access_token: token, token_type: 'bearer', expires_in: 3600 });
    }
    api({ url: req.url, authorization: req.headers.authorization }, res);
  });
}

const apiCalls = () => server.requests.filter((r) => r.url !== '/oauth/token');

async function failure(p: Promise<unknown>): Promise<SapError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(SapError);
    return e as SapError;
  }
  throw new Error('expected the call to fail');
}

function expectNoSecret(err: SapError, ...more: string[]) {
  const texts = [err.message, JSON.stringify(err), inspect(err, { depth: 20, showHidden: true }), err.stack ?? '', adviceFor(err)];
  for (const text of texts) {
    for (const secret of [CLIENT_SECRET, PASSWORD, Buffer.from(`COMM_USER:${PASSWORD}`).toString('base64'), ...issued, ...more]) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/(S4|Destination|Xsuaa|Ias|Neo|Sap)Error\(/);
  }
}

beforeAll(async () => {
  server = await startTlsTestServer([HOST, TOKEN_HOST, 'my100001-api.s4hana.ondemand.com']);
});
afterAll(async () => {
  destroySharedSapAgents();
  await server.close();
});
beforeEach(() => {
  server.reset();
  issued = [];
});

describe('bearer token', () => {
  it('fetches the token once and sends it on every call', async () => {
    serve((req, res) => reply(res, req.authorization === `Bearer ${issued[0]}` ? 200 : 401, { ok: true }));
    const api = bearerApi();
    for (let i = 0; i < 3; i++) await api.call({ operation: 'subaccountDestinations list', method: 'GET', path: '/subaccountDestinations' });
    expect(issued).toHaveLength(1);
    expect(apiCalls().map((r) => [r.url, r.headers.authorization])).toEqual(Array(3).fill(['/destination-configuration/v1/subaccountDestinations', `Bearer ${issued[0]}`]));
  });

  it('renews the token exactly once on 401 and repeats the call once with the new token', async () => {
    // The first token the service issued has gone stale at the API (e.g. revoked); later ones work.
    serve((req, res) => reply(res, req.authorization === `Bearer ${issued[0]}` ? 401 : 200, { ok: true }));
    const res = await bearerApi().call({ operation: 'subaccountDestinations create', method: 'POST', path: '/subaccountDestinations', body: { Name: 'd' } });
    expect(res.status).toBe(200);
    expect(issued).toHaveLength(2);
    const calls = apiCalls();
    expect(calls.map((c) => [c.method, c.headers.authorization, c.body])).toEqual([
      ['POST', `Bearer ${issued[0]}`, JSON.stringify({ Name: 'd' })],
      ['POST', `Bearer ${issued[1]}`, JSON.stringify({ Name: 'd' })],
    ]);
  });

  it('answers a second 401 with Unauthorized naming the stored credential and BTP advice, after one renewal only', async () => {
    serve((_req, res) => reply(res, 401, { ErrorMessage: 'Unauthorized' }));
    const err = await failure(bearerApi().call({ operation: 'subaccountDestinations get', method: 'GET', path: '/subaccountDestinations/d' }));
    expect(err.kind).toBe('Unauthorized');
    expect(err.credential).toBe(CREDENTIAL);
    expect(issued).toHaveLength(2);
    expect(apiCalls()).toHaveLength(2);
    expect(err.message).toBe(
      `BTP Destination service of subaccount sub refused the Destination service key stored as ${CREDENTIAL} for subaccountDestinations get: "Unauthorized" (HTTP 401)`,
    );
    expect(adviceFor(err)).toMatch(/client secret .* rotated/);
    expect(adviceFor(err)).toContain(`PUT /api/credentials/${CREDENTIAL}`);
    expect(adviceFor(err)).not.toMatch(/locked/);
    expectNoSecret(err);
  });

  it('does not renew when the token request itself is refused', async () => {
    server.handle((req, res) => (req.url === '/oauth/token' ? reply(res, 401, { error: 'invalid_client', error_description: 'Bad credentials' }) : reply(res, 200, {})));
    const err = await failure(bearerApi().call({ operation: 'subaccountDestinations get', method: 'GET', path: '/x' }));
    expect(err.api).toBe('Xsuaa');
    expect(err.kind).toBe('Unauthorized');
    expect(server.requests.map((r) => r.url)).toEqual(['/oauth/token']);
    expectNoSecret(err);
  });
});

describe('Basic authentication (S/4 communication user)', () => {
  const s4 = () =>
    createAuthenticatedApi({
      http: http('S4', 'my100001', 's4-my100001-sap-com-0a48-user'),
      baseUrl: 'https://my100001-api.s4hana.ondemand.com/sap/opu/odata4/sap/aps_com_cu_a4c_odata/srvd_a2x/sap/aps_com_cu_a4c_odata/0001/',
      auth: { basic: { user: 'COMM_USER', password: PASSWORD } },
    });

  it('sends Basic on every call and never repeats a 401: the S/4 message names the stored user and S/4 advice', async () => {
    server.handle((_req, res) => reply(res, 401, '<html><head><title>Logon failed</title></head></html>', { 'content-type': 'text/html' }));
    const err = await failure(s4().call({ operation: 'CommunicationUsers find', method: 'GET', path: 'CommunicationUsers' }));
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0].headers.authorization).toBe(`Basic ${Buffer.from(`COMM_USER:${PASSWORD}`).toString('base64')}`);
    expect(err.message).toBe(
      'S/4HANA tenant my100001 refused the SAP_COM_0A48 user stored as s4-my100001-sap-com-0a48-user for CommunicationUsers find: "Logon failed" (HTTP 401)',
    );
    expect(adviceFor(err)).toMatch(/not be locked/);
    expect(adviceFor(err)).toContain('SAP_COM_0A48');
    expectNoSecret(err);
  });
});

describe('Retry-After reaches the error', () => {
  it('as retryAfterMs from delta-seconds, on a Transient error', async () => {
    serve((_req, res) => reply(res, 429, 'Too many requests', { 'retry-after': '120' }));
    const err = await failure(bearerApi().call({ operation: 'subaccountDestinations list', method: 'GET', path: '/x' }));
    expect(err.kind).toBe('Transient');
    expect(err.retryAfterMs).toBe(120_000);
    expect(err.toJSON().retryAfterMs).toBe(120_000);
    expect(apiCalls()).toHaveLength(1); // longer than the http layer waits: handed to the caller at once
    expect(adviceFor(err)).toContain('wait 120 s');
  });

  it('as retryAfterMs from an HTTP date', async () => {
    const at = new Date(Date.now() + 90_000).toUTCString();
    serve((_req, res) => reply(res, 503, { ErrorMessage: 'maintenance' }, { 'retry-after': at }));
    const err = await failure(bearerApi().call({ operation: 'subaccountDestinations list', method: 'GET', path: '/x' }));
    expect(err.kind).toBe('Transient');
    expect(err.retryAfterMs).toBeGreaterThan(85_000);
    expect(err.retryAfterMs).toBeLessThanOrEqual(90_000);
  });

  it('not on an error that is not Transient', async () => {
    serve((_req, res) => reply(res, 400, { ErrorMessage: 'bad' }, { 'retry-after': '5' }));
    const err = await failure(bearerApi().call({ operation: 'subaccountDestinations create', method: 'POST', path: '/x', body: {} }));
    expect(err.kind).toBe('Invalid');
    expect(err.retryAfterMs).toBeUndefined();
  });

  it('and a network failure keeps a sanitised cause, without secrets', async () => {
    serve((_req, res) => res.socket?.destroy());
    const api = createAuthenticatedApi({ http: createSapHttp({ api: 'Ias', system: 'x', options: options(), retry: { maxAttempts: 1 } }), baseUrl: `https://${HOST}/`, auth: { basic: { user: 'COMM_USER', password: PASSWORD } } });
    const err = await failure(api.call({ operation: 'Applications list', method: 'GET', path: '' }));
    expect(err.kind).toBe('Transient');
    expect(err.cause).toBeInstanceOf(Error);
    expect(err.message).toMatch(/^Identity Authentication tenant x could not be reached for Applications list/);
    expectNoSecret(err);
  });
});
