import { inspect } from 'node:util';
import { destroySharedSapAgents } from '../../../shared/sap/http';
import { createXsuaaTokenClient, parseDestinationServiceKey } from '../../../shared/sap/xsuaa';
import { reply, startTlsTestServer, type TlsTestServer } from './support/tlsTestServer';

const UAA = 'sub1.authentication.eu10.hana.ondemand.com';
const SECRET = 'client-secret-value-$%&-1234567890';
const KEY_JSON = JSON.stringify({
  clientid: 'sb-clone123!b1|destination-xsappname!b9',
  clientsecret: SECRET,
  url: `https://${UAA}`,
  uri: 'https://destination-configuration.cfapps.eu10.hana.ondemand.com',
  uaadomain: 'authentication.eu10.hana.ondemand.com',
  identityzone: 'sub1',
  tenantid: '11111111-2222-3333-4444-555555555555',
  instanceid: 'abc',
  'credential-type': 'binding-secret',
  verificationkey: '-----BEGIN PUBLIC KEY-----...',
});

let server: TlsTestServer;
beforeAll(async () => {
  server = await startTlsTestServer([UAA]);
});
afterAll(async () => {
  destroySharedSapAgents();
  await server.close();
});
beforeEach(() => server.reset());

function tokenServer(expiresIn = 43199) {
  let n = 0;
  server.handle((_req, res) => {
    n += 1;
    setTimeout(() => reply(res, 200, { access_token: `token-${n}`, token_type: 'bearer', expires_in: expiresIn, scope: 'uaa.resource', jti: 'x' }), 20);
  });
}

describe('Destination service key', () => {
  it('accepts the key exactly as BTP shows it, extra fields included', () => {
    const key = parseDestinationServiceKey(KEY_JSON);
    expect(key.clientid).toBe('sb-clone123!b1|destination-xsappname!b9');
    expect(key.verificationkey).toBe('-----BEGIN PUBLIC KEY-----...');
  });

  it('unwraps cf service-key output {"credentials": {...}}', () => {
    expect(parseDestinationServiceKey({ credentials: JSON.parse(KEY_JSON) }).identityzone).toBe('sub1');
  });

  it('names the missing fields without echoing any value', () => {
    const bad = { ...JSON.parse(KEY_JSON), clientid: undefined, url: 'not a url' };
    let message = '';
    try {
      parseDestinationServiceKey(bad);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/clientid/);
    expect(message).toMatch(/url/);
    expect(message).not.toContain(SECRET);
  });
});

describe('XSUAA client-credentials token', () => {
  const options = () => ({ connectTo: server.connectTo, extraCaPem: server.ca.certPem });

  it('posts client credentials as form fields to <url>/oauth/token', async () => {
    tokenServer();
    const client = createXsuaaTokenClient({ serviceKey: parseDestinationServiceKey(KEY_JSON), options: options() });
    expect(await client.getToken()).toBe('token-1');
    const req = server.requests[0];
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/oauth/token');
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const form = new URLSearchParams(req.body);
    expect(form.get('grant_type')).toBe('client_credentials');
    expect(form.get('client_secret')).toBe(SECRET);
  });

  it('caches the token until shortly before it expires', async () => {
    tokenServer(3600);
    let now = 1_000_000;
    const client = createXsuaaTokenClient({ serviceKey: parseDestinationServiceKey(KEY_JSON), options: options(), now: () => now });
    expect(await client.getToken()).toBe('token-1');
    now += 3_500_000;
    expect(await client.getToken()).toBe('token-1');
    now += 50_000; // within the last minute
    expect(await client.getToken()).toBe('token-2');
    expect(server.requests).toHaveLength(2);
  });

  it('lets concurrent callers share one token request', async () => {
    tokenServer();
    const client = createXsuaaTokenClient({ serviceKey: parseDestinationServiceKey(KEY_JSON), options: options() });
    const tokens = await Promise.all(Array.from({ length: 10 }, () => client.getToken()));
    expect(new Set(tokens)).toEqual(new Set(['token-1']));
    expect(server.requests).toHaveLength(1);
  });

  it('fetches a new token after invalidate()', async () => {
    tokenServer();
    const client = createXsuaaTokenClient({ serviceKey: parseDestinationServiceKey(KEY_JSON), options: options() });
    await client.getToken();
    client.invalidate();
    expect(await client.getToken()).toBe('token-2');
  });

  it('maps a UAA 401 to Unauthorized with SAP\'s description and no secret', async () => {
    server.handle((_req, res) => reply(res, 401, { error: 'unauthorized', error_description: `Bad credentials for ${SECRET}` }));
    const client = createXsuaaTokenClient({ serviceKey: parseDestinationServiceKey(KEY_JSON), options: options() });
    const err = await client.getToken().catch((e: unknown) => e as Error & { kind: string });
    expect(err).toMatchObject({ kind: 'Unauthorized', name: 'XsuaaError', system: UAA, sapCode: 'unauthorized' });
    expect(JSON.stringify(err) + inspect(err, { showHidden: true, depth: 10 }) + String((err as Error).stack)).not.toContain(SECRET);
  });

  it('retries a 503 of the token call (safe to repeat)', async () => {
    let n = 0;
    server.handle((_req, res) => {
      n += 1;
      if (n === 1) reply(res, 503, 'busy');
      else reply(res, 200, { access_token: 'after-retry', expires_in: 100 });
    });
    const client = createXsuaaTokenClient({ serviceKey: parseDestinationServiceKey(KEY_JSON), options: options() });
    expect(await client.getToken()).toBe('after-retry');
    expect(server.requests).toHaveLength(2);
  });
});
