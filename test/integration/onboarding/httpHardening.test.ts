/**
 * Issue 7, the HTTP edge, on devhost with the SAP sandbox: odd run ids and step ids, JSON bodies
 * that are too deep, too large, not UTF-8 or not JSON at all, credentials that do not hold what
 * their purpose says, field hints, and settings checked at start (503, never 500).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { destroySharedSapAgents } from '../../../shared/sap/http/agent';
import { FieldErrorsBody } from '../../../shared/schemas/onboardingApi';
import { SECRET_CONTENT_TYPES } from '../../../shared/secrets/secretNames';
import { httpCall, spawnDevhostChild, startOnboardingStack, type DevhostChild, type OnboardingStack, type OnboardingView } from '../../support/onboardingStack';

jest.setTimeout(180_000);

let stack: OnboardingStack;
let completed: OnboardingView;

beforeAll(async () => {
  stack = await startOnboardingStack({ landscapes: [{}, { trustCertificate: 'none' }] });
  completed = await stack.onboard(stack.landscapes[0].request());
});

afterAll(async () => {
  destroySharedSapAgents();
  await stack?.stop();
});

const keyed = (headers: Record<string, string> = {}) => ({ 'x-functions-key': stack.functionKey, ...headers });
const send = (method: string, route: string, body: Buffer | undefined, headers: Record<string, string>) => httpCall(`${stack.devhostUrl}${route}`, method, keyed(headers), body);
const credentialExists = async (name: string) => (await stack.api('GET', `/api/credentials/${name}`)).status === 200;
const uniqueName = (what: string) => `it-${what}-${randomBytes(4).toString('hex')}`;

describe('odd run ids', () => {
  const ODD_IDS = ['%00', '%20', '%09', '%3F', '%23', '%2F', '%5C', '%25', '%3FshowInput%3Dtrue'];
  const ROUTES: [string, (id: string) => string][] = [
    ['GET', (id) => `/api/onboardings/${id}`],
    ['DELETE', (id) => `/api/onboardings/${id}`],
    ['POST', (id) => `/api/onboardings/${id}/manual-steps/communicationSystem`],
    ['GET', (id) => `/api/onboardings/${id}/certificate`],
  ];
  const cases = ODD_IDS.flatMap((id) => ROUTES.map(([method, route]) => [method, route(id)] as const));
  let logBefore: number;

  beforeAll(() => {
    expect(completed.status).toBe('completed');
    logBefore = stack.devhostOutput().length;
  });

  it.each(cases)('%s %s answers 400 naming the id, never 500', async (method, route) => {
    const answer = await stack.api(method, route, method === 'POST' ? {} : undefined);
    expect(answer.status).toBe(400);
    expect(FieldErrorsBody.parse(answer.body).fields).toEqual([{ field: 'id', message: expect.stringMatching(/^must be a run id/) }]);
    expect(answer.text).not.toContain(completed.subaccountId);
  });

  it('after all of them, the devhost log holds no instance list and no run input', () => {
    const log = stack.devhostOutput().slice(logBefore);
    expect(log).not.toContain(completed.subaccountId);
    expect(log).not.toContain('runtimeStatus');
    expect(log).not.toContain('destinationServiceKeySecret');
    expect(log).not.toMatch(/"outcome":"Failed"/);
  });

  it.each(['%3F', '..%2Fterminate', '%00', 'a%20b'])('an odd step id %s in the manual-step route is 400 naming step', async (step) => {
    const answer = await stack.api('POST', `/api/onboardings/${completed.id}/manual-steps/${step}`, {});
    expect(answer.status).toBe(400);
    expect(FieldErrorsBody.parse(answer.body).fields).toEqual([{ field: 'step', message: expect.stringMatching(/^must be a step id/) }]);
  });

  it('a well-formed id that does not exist is still 404', async () => {
    const answer = await stack.api('GET', `/api/onboardings/onboard-my100001-nothing-here`);
    expect(answer.status).toBe(404);
  });

  it("devhost's Durable management API refuses an odd id with 400 instead of listing every instance", async () => {
    for (const id of ['%3FshowInput%3Dtrue', '%23', '%5C']) {
      const answer = await httpCall(`${stack.devhostUrl}/runtime/webhooks/durabletask/instances/${id}?code=${stack.masterKey}`, 'GET', {});
      expect(answer.status).toBe(400);
      expect(answer.text).not.toContain(completed.subaccountId);
    }
  });
});

describe('JSON bodies', () => {
  const nested = (depth: number) => `{"value":{"a":${'['.repeat(depth)}${']'.repeat(depth)}}}`;

  it('a credential nested 100,000 deep is 400 naming the body, not 500', async () => {
    const name = uniqueName('deep');
    const answer = await send('PUT', `/api/credentials/${name}`, Buffer.from(nested(100_000)), { 'content-type': 'application/json' });
    expect(answer.status).toBe(400);
    expect(FieldErrorsBody.parse(answer.body).fields).toEqual([{ field: '(body)', message: expect.stringMatching(/deeper than 32 levels/) }]);
    expect(await credentialExists(name)).toBe(false);
  });

  it('an onboarding request nested 100,000 deep is 400, not 500', async () => {
    const body = `{"btp":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const answer = await send('POST', '/api/onboardings', Buffer.from(body), { 'content-type': 'application/json' });
    expect(answer.status).toBe(400);
    expect(answer.body.fields[0].field).toBe('(body)');
  });

  it('a 10 MB credential value is 413 and nothing is stored', async () => {
    const name = uniqueName('huge');
    const answer = await stack.api('PUT', `/api/credentials/${name}`, { value: 'x'.repeat(10 * 1024 * 1024) });
    expect(answer.status).toBe(413);
    expect(answer.body.error).toMatch(/larger than 256 KB/);
    expect(await credentialExists(name)).toBe(false);
  });

  it("a credential value over Key Vault's 25 KB is 413 naming the limit; one of 25 KB is stored", async () => {
    const over = uniqueName('over');
    const answer = await stack.api('PUT', `/api/credentials/${over}`, { value: 'x'.repeat(25 * 1024 + 1) });
    expect(answer.status).toBe(413);
    expect(answer.body.error).toMatch(/Key Vault holds at most 25 KB/);
    expect(await credentialExists(over)).toBe(false);
    const at = uniqueName('at-limit');
    expect((await stack.api('PUT', `/api/credentials/${at}`, { value: 'x'.repeat(25 * 1024) })).status).toBe(204);
    expect(await credentialExists(at)).toBe(true);
  });

  it('an onboarding request over 256 KB is 413 and starts nothing', async () => {
    const before = (await stack.api('GET', '/api/onboardings')).body.items.length;
    const answer = await stack.api('POST', '/api/onboardings', { ...stack.landscapes[1].request(), padding: 'x'.repeat(300 * 1024) });
    expect(answer.status).toBe(413);
    expect((await stack.api('GET', '/api/onboardings')).body.items.length).toBe(before);
  });

  it('a credential that is not valid UTF-8 is 400 and not stored with U+FFFD', async () => {
    const name = uniqueName('latin1');
    const body = Buffer.concat([Buffer.from('{"value":"pass'), Buffer.from([0xe9, 0xff]), Buffer.from('word"}')]);
    const answer = await send('PUT', `/api/credentials/${name}`, body, { 'content-type': 'application/json' });
    expect(answer.status).toBe(400);
    expect(FieldErrorsBody.parse(answer.body).fields).toEqual([{ field: '(body)', message: expect.stringMatching(/not valid UTF-8/) }]);
    expect(await credentialExists(name)).toBe(false);
  });

  const NOT_JSON: [string, Record<string, string>][] = [
    ['text/plain', { 'content-type': 'text/plain' }],
    ['form-encoded', { 'content-type': 'application/x-www-form-urlencoded' }],
    ['multipart', { 'content-type': 'multipart/form-data; boundary=xyz' }],
    ['XML', { 'content-type': 'application/xml' }],
    ['no Content-Type', {}],
  ];
  const JSON_ROUTES: [string, string, () => unknown][] = [
    ['PUT', '/api/credentials/it-content-type', () => ({ value: 'secret-value' })],
    ['POST', '/api/onboardings', () => stack.landscapes[1].request()],
    ['POST', '/api/onboardings/onboard-my100001-nothing-here/manual-steps/communicationSystem', () => ({})],
  ];
  const contentTypeCases = JSON_ROUTES.flatMap(([method, route, body]) => NOT_JSON.map(([label, headers]) => [method, route, label, headers, body] as const));

  it.each(contentTypeCases)('%s %s with %s is 415 and changes nothing', async (method, route, _label, headers, body) => {
    const before = (await stack.api('GET', '/api/onboardings')).body.items.length;
    const answer = await send(method, route, Buffer.from(JSON.stringify(body())), headers);
    expect(answer.status).toBe(415);
    expect(answer.body.error).toMatch(/Content-Type: application\/json/);
    expect(await credentialExists('it-content-type')).toBe(false);
    expect((await stack.api('GET', '/api/onboardings')).body.items.length).toBe(before);
  });

  it.each(['application/json; charset=utf-8', 'application/vnd.sap-trust+json'])('a credential sent as %s is stored', async (contentType) => {
    const name = uniqueName('json-variant');
    const answer = await send('PUT', `/api/credentials/${name}`, Buffer.from(JSON.stringify({ value: 'secret-value' })), { 'content-type': contentType });
    expect(answer.status).toBe(204);
    expect(await credentialExists(name)).toBe(true);
  });
});

describe('credential purposes', () => {
  it('an SAP_COM_0A48 user stored as "USER:password" is 400 naming value, without echoing it, and not stored', async () => {
    const name = uniqueName('bootstrap');
    const password = `Pw-${randomBytes(8).toString('hex')}`;
    const answer = await stack.api('PUT', `/api/credentials/${name}`, { value: `COMM_MGMT_0A48:${password}`, contentType: SECRET_CONTENT_TYPES.bootstrapUser });
    expect(answer.status).toBe(400);
    expect(FieldErrorsBody.parse(answer.body).fields).toEqual([{ field: 'value', message: expect.stringMatching(/\{"user".*"password".*not a string/) }]);
    expect(answer.text).not.toContain(password);
    expect(await credentialExists(name)).toBe(false);
  });

  it('a service key with "username" instead of its fields is 400 naming every missing field', async () => {
    const name = uniqueName('service-key');
    const answer = await stack.api('PUT', `/api/credentials/${name}`, { value: { username: 'x', password: 'y' }, contentType: SECRET_CONTENT_TYPES.destinationServiceKey });
    expect(answer.status).toBe(400);
    expect(FieldErrorsBody.parse(answer.body).fields.map((f) => f.field).sort()).toEqual(['value.clientid', 'value.clientsecret', 'value.uri', 'value.url']);
    expect(await credentialExists(name)).toBe(false);
  });

  it('a raw service key sent without the value wrapper gets one line: wrap it in value', async () => {
    const name = uniqueName('unwrapped');
    const answer = await stack.api('PUT', `/api/credentials/${name}`, stack.landscapes[0].serviceKey);
    expect(answer.status).toBe(400);
    expect(FieldErrorsBody.parse(answer.body).fields).toEqual([{ field: 'body', message: expect.stringMatching(/^wrap the credential in "value"/) }]);
    expect(answer.text).not.toContain(stack.landscapes[0].serviceKey.clientsecret);
    expect(await credentialExists(name)).toBe(false);
  });

  it('a credential of an unknown purpose is 400 naming contentType', async () => {
    const answer = await stack.api('PUT', `/api/credentials/${uniqueName('purpose')}`, { value: { user: 'U', password: 'p' }, contentType: 'application/json; purpose=s4-user' });
    expect(answer.status).toBe(400);
    expect(FieldErrorsBody.parse(answer.body).fields).toEqual([{ field: 'contentType', message: expect.stringMatching(/unknown purpose "s4-user"/) }]);
  });
});

describe('where a field belongs', () => {
  it('allowCertificateGeneration at the top level says: did you mean btp.allowCertificateGeneration?', async () => {
    const { btp, ...rest } = stack.landscapes[1].request();
    const { allowCertificateGeneration, ...btpWithout } = btp;
    const answer = await stack.api('POST', '/api/onboardings', { ...rest, btp: btpWithout, allowCertificateGeneration });
    expect(answer.status).toBe(400);
    expect(FieldErrorsBody.parse(answer.body).fields).toEqual([
      { field: 'allowCertificateGeneration', message: 'unknown field allowCertificateGeneration: did you mean btp.allowCertificateGeneration?' },
    ]);
  });

  it('a subaccount without a trust certificate fails with a fix that names btp.allowCertificateGeneration', async () => {
    const request = stack.landscapes[1].request();
    const failed = await stack.onboard({ ...request, btp: { ...request.btp, allowCertificateGeneration: false } });
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatchObject({ step: 'trustCertificate', fix: expect.stringContaining('btp.allowCertificateGeneration') });
  });
});

describe('settings checked at start', () => {
  const started: { devhost: DevhostChild; root: string }[] = [];
  const startWith = async (env: Record<string, string>) => {
    const root = mkdtempSync(path.join(tmpdir(), 'settings-it-'));
    const devhost = await spawnDevhostChild(path.join(root, 'devhost'), { KEY_VAULT_URL: '', SECRET_STORE: '', REGISTRY_STORE: '', ...env });
    started.push({ devhost, root });
    const keys = JSON.parse(require('node:fs').readFileSync(path.join(root, 'devhost', 'host-keys.json'), 'utf8'));
    const call = (method: string, route: string, body?: unknown) => httpCall(`${devhost.url}${route}`, method, { 'x-functions-key': keys.functionKeys.default }, body);
    return { devhost, call };
  };

  afterAll(async () => {
    for (const { devhost, root } of started) {
      await devhost.stop();
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('with SECRET_STORE=keyvault and no KEY_VAULT_URL, health and every API route answer 503 naming KEY_VAULT_URL, never 500', async () => {
    const { devhost, call } = await startWith({ SECRET_STORE: 'keyvault' });
    const health = await call('GET', '/api/health');
    expect(health.status).toBe(503);
    expect(health.body.error).toMatch(/KEY_VAULT_URL is required when SECRET_STORE=keyvault/);
    expect(health.body.settings).toEqual([{ setting: 'KEY_VAULT_URL', message: 'is required when SECRET_STORE=keyvault' }]);
    const routes: [string, string, unknown?][] = [
      ['PUT', '/api/credentials/some-credential', { value: 'x' }],
      ['GET', '/api/credentials/some-credential'],
      ['POST', '/api/onboardings', stack.landscapes[0].request()],
      ['GET', '/api/onboardings'],
      ['GET', '/api/onboardings/onboard-my100001-x'],
      ['DELETE', '/api/onboardings/onboard-my100001-x'],
      ['POST', '/api/onboardings/onboard-my100001-x/manual-steps/communicationSystem', {}],
      ['GET', '/api/onboardings/onboard-my100001-x/certificate'],
      ['GET', '/api/openapi.json'],
    ];
    for (const [method, route, body] of routes) {
      const answer = await call(method, route, body);
      expect({ route: `${method} ${route}`, status: answer.status, body: answer.body }).toEqual({ route: `${method} ${route}`, status: 503, body: health.body });
    }
    expect(devhost.output()).toMatch(/Invalid settings[\s\S]*KEY_VAULT_URL: is required when SECRET_STORE=keyvault/);
  });

  it('in Azure (WEBSITE_INSTANCE_ID set), the file secret store and file registry make health 503 naming both', async () => {
    const { call } = await startWith({ WEBSITE_INSTANCE_ID: 'it-instance', REGISTRY_STORE: 'file' });
    const health = await call('GET', '/api/health');
    expect(health.status).toBe(503);
    expect(health.body.settings.map((s: { setting: string }) => s.setting)).toEqual(['SECRET_STORE', 'REGISTRY_STORE']);
    expect(health.body.error).toMatch(/read-only/);
  });

  it('with good settings, health is 200 ok', async () => {
    expect((await stack.api('GET', '/api/health', undefined, { key: null })).body).toEqual({ status: 'ok' });
  });
});
