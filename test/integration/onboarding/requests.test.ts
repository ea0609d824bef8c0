/**
 * Issue 4, the HTTP API's guard rails, on devhost with the SAP sandbox: bad input is refused with
 * every field named before anything reaches SAP; duplicate requests for one tenant and subaccount
 * start one run; routes need the function key except health; DELETE stops a run.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { destroySharedSapAgents } from '../../../shared/sap/http/agent';
import { ConflictBody, FieldErrorsBody } from '../../../shared/schemas/onboardingApi';
import {
  s4Tenant,
  sapWrites,
  startOnboardingStack,
  subaccount,
  type ApiAnswer,
  type Landscape,
  type OnboardingStack,
  type OnboardingView,
} from '../../support/onboardingStack';
import { adminDestinations, otherCertificate } from './adminActions';

jest.setTimeout(180_000);

let stack: OnboardingStack;

beforeAll(async () => {
  stack = await startOnboardingStack({ landscapes: 3 });
});

afterAll(async () => {
  destroySharedSapAgents();
  await stack?.stop();
});

/** The first run of a tenant and subaccount; each later run gets the next number. */
const instanceId = (l: Landscape, run = 1) => `onboard-${l.tenant}-${l.subaccountId}-r${run}`;

async function onboardingIds(): Promise<string[]> {
  const list = await stack.api('GET', '/api/onboardings');
  expect(list.status).toBe(200);
  return list.body.items.map((v: OnboardingView) => v.id).sort();
}

/** POSTs a request and records what reached SAP meanwhile and which onboardings exist before and after. */
async function post(body: unknown, opts: { key?: string | null } = {}) {
  const before = await onboardingIds();
  await stack.clearSandboxRequests();
  const answer = await stack.api('POST', '/api/onboardings', body, opts);
  const sapCalls = await stack.sandboxRequests();
  const after = await onboardingIds();
  return { answer, sapCalls, before, after };
}

type Body = ReturnType<Landscape['request']> & Record<string, any>;

describe('bad input', () => {
  let landscape: Landscape;
  let validPem: string;
  beforeAll(async () => {
    landscape = stack.landscapes[0];
    validPem = otherCertificate('cfapps.eu10.hana.ondemand.com/not-truncated').pem;
  });

  const truncated = () => {
    const body = validPem.replace(/-----[^-]+-----|\s/g, '');
    return `-----BEGIN CERTIFICATE-----\n${body.slice(0, Math.floor(body.length / 2))}\n-----END CERTIFICATE-----\n`;
  };

  const withS4 = (patch: Record<string, unknown>) => (b: Body) => ({ ...b, s4: { ...b.s4, ...patch } });
  const withBtp = (patch: Record<string, unknown>) => (b: Body) => ({ ...b, btp: { ...b.btp, ...patch } });
  const error = (field: string, message: RegExp) => [{ field, message }];
  const notAllowed = /not an allowed S\/4HANA Cloud host/;
  const unusable = /is not a usable certificate/;

  const cases: [string, 400 | 422, (b: Body) => unknown, { field: string; message: RegExp }[]][] = [
    ['an unknown top-level field', 400, (b) => ({ ...b, dryRun: true }), error('dryRun', /^unknown field$/)],
    ['a misspelt field inside s4', 400, withS4({ scenarioID: 'SAP_COM_0501' }), error('s4.scenarioID', /^unknown field$/)],
    ['an S/4 host given as a URL', 400, withS4({ host: 'https://my100001-api.s4hana.ondemand.com/' }), error('s4.host', /must be a host name/)],
    ['an S/4 host with a port', 400, withS4({ host: 'my100001-api.s4hana.ondemand.com:443' }), error('s4.host', /must be a host name/)],
    ['the S/4 UI host instead of the API host', 400, withS4({ host: 'my100001.s4hana.ondemand.com' }), error('s4.host', /-api suffix/)],
    ['an S/4 host outside the allowlist', 400, withS4({ host: 'my100001-api.s4hana.example.com' }), error('s4.host', notAllowed)],
    // Any Cloud Foundry app can have a host name there, and the S/4 host gets the bootstrap password.
    ['an SAP host that is not S/4HANA Cloud', 400, withS4({ host: 'my100001-api.cfapps.eu10.hana.ondemand.com' }), error('s4.host', notAllowed)],
    ['a trust certificate that is not PEM', 400, withBtp({ trustCertificatePem: 'paste the certificate here' }), error('btp.trustCertificatePem', unusable)],
    ['a truncated trust certificate', 400, (b) => withBtp({ trustCertificatePem: truncated() })(b), error('btp.trustCertificatePem', unusable)],
    [
      'a Destination service key secret that is not stored',
      422,
      withBtp({ destinationServiceKeySecret: 'btp-nowhere-destination-service-key' }),
      error('btp.destinationServiceKeySecret', /no credential named "btp-nowhere-destination-service-key" is stored/),
    ],
    [
      'a bootstrap user secret that is not stored',
      422,
      withS4({ bootstrapUserSecret: 's4-my100001-typo' }),
      error('s4.bootstrapUserSecret', /no credential named "s4-my100001-typo" is stored/),
    ],
    [
      'the service key secret named where the SAP_COM_0A48 user belongs',
      422,
      (b) => withS4({ bootstrapUserSecret: b.btp.destinationServiceKeySecret })(b),
      error('s4.bootstrapUserSecret', /is not an SAP_COM_0A48 user/),
    ],
    ['a scenario ID with three digits', 400, withS4({ scenarioId: 'SAP_COM_501' }), error('s4.scenarioId', /must be a communication scenario ID/)],
    ['a scenario ID in lower case', 400, withS4({ scenarioId: 'sap_com_0501' }), error('s4.scenarioId', /must be a communication scenario ID/)],
  ];

  it.each(cases)('%s gets %i naming the field and the reason, before any SAP call', async (_name, status, mutate, fields) => {
    const { answer, sapCalls, before, after } = await post(mutate(landscape.request()));
    expect(answer.status).toBe(status);
    const body = FieldErrorsBody.parse(answer.body);
    expect(body.fields).toEqual(fields.map((f) => ({ field: f.field, message: expect.stringMatching(f.message) })));
    expect(sapWrites(sapCalls)).toEqual([]);
    expect(sapCalls).toEqual([]);
    expect(after).toEqual(before);
    expect((await stack.api('GET', `/api/onboardings/${instanceId(landscape)}`)).status).toBe(404);
  });

  it('a request with several errors lists every field error at once', async () => {
    const request = landscape.request() as Body;
    const bad = {
      ...request,
      dryRun: true,
      btp: { ...request.btp, subaccountId: 'not-a-guid', region: 'Europe', trustCertificatePem: truncated() },
      s4: { ...request.s4, host: 'my100001-api.example.com', scenarioId: 'SAP_COM_501', userIdMappingMode: 'email' },
    };
    const { answer, sapCalls, before, after } = await post(bad);
    expect(answer.status).toBe(400);
    const body = FieldErrorsBody.parse(answer.body);
    expect(body.fields.map((f) => f.field).sort()).toEqual(
      ['dryRun', 'btp.subaccountId', 'btp.region', 'btp.trustCertificatePem', 's4.host', 's4.scenarioId', 's4.userIdMappingMode'].sort(),
    );
    for (const f of body.fields) expect(f.message.length).toBeGreaterThan(5);
    expect(sapWrites(sapCalls)).toEqual([]);
    expect(sapCalls).toEqual([]);
    expect(after).toEqual(before);
  });

  it('a request naming two missing credentials gets one 422 listing both', async () => {
    const request = landscape.request() as Body;
    const { answer, sapCalls, after, before } = await post({
      ...request,
      btp: { ...request.btp, destinationServiceKeySecret: 'missing-service-key' },
      s4: { ...request.s4, bootstrapUserSecret: 'missing-bootstrap-user' },
    });
    expect(answer.status).toBe(422);
    expect(FieldErrorsBody.parse(answer.body).fields.map((f) => f.field).sort()).toEqual(['btp.destinationServiceKeySecret', 's4.bootstrapUserSecret']);
    expect(sapCalls).toEqual([]);
    expect(after).toEqual(before);
  });

  it('a credential value given where its name belongs is refused without echoing the value', async () => {
    const request = landscape.request() as Body;
    const password = `Pw-${randomBytes(12).toString('hex')}`;
    const { answer, sapCalls, after, before } = await post({ ...request, s4: { ...request.s4, bootstrapUserSecret: `{"user":"X","password":"${password}"}` } });
    expect(answer.status).toBe(400);
    expect(FieldErrorsBody.parse(answer.body).fields).toEqual([{ field: 's4.bootstrapUserSecret', message: expect.stringMatching(/must be the NAME of a stored credential/) }]);
    expect(answer.text).not.toContain(password);
    expect(sapCalls).toEqual([]);
    expect(after).toEqual(before);
  });

  it('a body that is not JSON gets 400', async () => {
    const { answer, sapCalls, after, before } = await post('{"btp": ');
    expect(answer.status).toBe(400);
    expect(FieldErrorsBody.parse(answer.body).fields).toEqual([{ field: '(body)', message: expect.stringMatching(/not valid JSON/) }]);
    expect(sapCalls).toEqual([]);
    expect(after).toEqual(before);
  });
});

describe('the function key', () => {
  it('POST /api/onboardings without a key, or with a wrong one, is 401 and starts nothing', async () => {
    const landscape = stack.landscapes[0];
    for (const key of [null, `wrong-${randomBytes(8).toString('hex')}`]) {
      const { answer, sapCalls, before, after } = await post(landscape.request(), { key });
      expect(answer.status).toBe(401);
      expect(sapCalls).toEqual([]);
      expect(after).toEqual(before);
    }
    expect((await stack.api('GET', `/api/onboardings/${instanceId(landscape)}`)).status).toBe(404);
  });

  it.each([
    ['GET', '/api/onboardings'],
    ['GET', '/api/onboardings/onboard-my100001-00000000-0000-0000-0000-000000000000'],
    ['DELETE', '/api/onboardings/onboard-my100001-00000000-0000-0000-0000-000000000000'],
    ['POST', '/api/onboardings/onboard-my100001-00000000-0000-0000-0000-000000000000/manual-steps/communicationSystem'],
    ['GET', '/api/openapi.json'],
    ['PUT', '/api/credentials/some-credential'],
  ])('%s %s without a key is 401', async (method, route) => {
    const answer = await stack.api(method, route, method === 'GET' || method === 'DELETE' ? undefined : { value: 'x' }, { key: null });
    expect(answer.status).toBe(401);
  });

  it('GET /api/health answers without a key', async () => {
    const answer = await stack.api('GET', '/api/health', undefined, { key: null });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ status: 'ok' });
  });

  it('GET /api/openapi.json describes the onboarding routes, at URLs that answer', async () => {
    const answer = await stack.api('GET', '/api/openapi.json');
    expect(answer.status).toBe(200);
    const doc = answer.body;
    expect(doc.openapi).toMatch(/^3\./);
    const routes = Object.entries<Record<string, unknown>>(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    expect(routes).toEqual(
      expect.arrayContaining([
        'POST /api/onboardings',
        'GET /api/onboardings',
        'GET /api/onboardings/{id}',
        'DELETE /api/onboardings/{id}',
        'POST /api/onboardings/{id}/manual-steps/{step}',
        'GET /api/health',
      ]),
    );
    expect(Object.keys(doc.paths['/api/onboardings'].post.responses)).toEqual(expect.arrayContaining(['202', '400', '401', '409', '422']));
    // A client joins the server URL and a path: that must be a route of this API.
    const server = doc.servers?.[0]?.url ?? stack.devhostUrl;
    const health = await stack.api('GET', `${server.replace(/\/$/, '')}/api/health`, undefined, { key: null });
    expect(health.status).toBe(200);
    const list = await stack.api('GET', `${server.replace(/\/$/, '')}/api/onboardings`);
    expect(list.status).toBe(200);
  });
});

describe('concurrent duplicate requests for one tenant and subaccount', () => {
  const COPIES = 4;
  let landscape: Landscape;
  let answers: ApiAnswer[];

  beforeAll(async () => {
    landscape = stack.landscapes[1];
    // A slow tenant keeps the first run busy while the copies arrive.
    await stack.setFaults([{ host: `^${landscape.tenant}-api\\.`, latencyMs: 150 }]);
    await stack.clearSandboxRequests();
    answers = await Promise.all(Array.from({ length: COPIES }, () => stack.api('POST', '/api/onboardings', landscape.request())));
  });

  afterAll(async () => {
    await stack.clearFaults();
  });

  it('exactly one gets 202; every other gets 409 with the running instance and its status URL', async () => {
    expect(answers.map((a) => a.status).sort()).toEqual([202, ...Array(COPIES - 1).fill(409)]);
    const accepted = answers.find((a) => a.status === 202)!;
    const statusUrl = `${stack.devhostUrl}/api/onboardings/${instanceId(landscape)}`;
    expect(accepted.headers.location).toBe(statusUrl);
    for (const conflict of answers.filter((a) => a.status === 409)) {
      expect(ConflictBody.parse(conflict.body)).toEqual({ error: expect.stringMatching(/still running/), id: instanceId(landscape), statusUrl });
    }
    const followed = await stack.api('GET', statusUrl);
    expect([200, 202]).toContain(followed.status);
    expect(followed.body.id).toBe(instanceId(landscape));
  });

  it('the run completes once, leaving one communication user, system, arrangement and destination', async () => {
    const done = await stack.waitFor(instanceId(landscape));
    expect(done.error).toBeUndefined();
    expect(done.status).toBe('completed');
    expect(done.steps.find((s) => s.id === 'communicationUser')!.outcome).toBe('created');

    const creates = sapWrites(await stack.sandboxRequests())
      .filter((r) => r.method === 'POST')
      .map((r) => r.path.replace(/^.*\//, ''))
      .sort();
    expect(creates).toEqual(['CommunicationArrangements', 'CommunicationSystems', 'CommunicationUsers', 'InboundUsers', 'subaccountDestinations']);

    const state = await stack.sandboxState();
    const tenant = s4Tenant(state, landscape.tenant);
    const sub8 = landscape.subaccountId.slice(0, 8).toUpperCase();
    expect(tenant.communicationUsers.filter((u: any) => u.Name === `COM0501_${sub8}`)).toHaveLength(1);
    const systems = tenant.communicationSystems.filter((s: any) => s.ID === `BTP_${sub8}`);
    expect(systems).toHaveLength(1);
    expect(tenant.inboundUsers.filter((u: any) => u.CommunicationSystemUUID === systems[0].UUID)).toHaveLength(1);
    expect(tenant.communicationArrangements.filter((a: any) => a.CommunicationSystemID === `BTP_${sub8}`)).toHaveLength(1);
    const destinations = subaccount(state, landscape.subaccountId).destinations;
    expect(destinations.map((d: any) => d.Name)).toEqual([done.result!.destinationName]);
    expect((await adminDestinations(stack, landscape).findDestination(done.result!.destinationName)).tokenExchange.ok).toBe(true);
  });
});

describe('DELETE /api/onboardings/{id}', () => {
  let landscape: Landscape;
  let waiting: OnboardingView;

  beforeAll(async () => {
    landscape = stack.landscapes[2];
    await stack.setSwitches(landscape.tenant, { rejectSigningCertificateField: true });
    waiting = await stack.onboard(landscape.request());
  });

  it('terminates a run paused at the manual step; its status becomes terminated', async () => {
    expect(waiting.status).toBe('waiting for manual step');
    const answer = await stack.api('DELETE', `/api/onboardings/${waiting.id}`);
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ id: waiting.id });
    const stopped = await stack.waitFor(waiting.id, (v) => v.status !== 'waiting for manual step', 60_000);
    expect(stopped.status).toBe('terminated');
    expect(stopped.manualAction).toBeUndefined();
    expect(stopped.result).toBeUndefined();
    const listed = await stack.api('GET', '/api/onboardings?status=terminated');
    expect(listed.body.items.map((v: OnboardingView) => v.id)).toContain(waiting.id);
  });

  it('a terminated run takes no confirmation and cannot be terminated again', async () => {
    expect((await stack.api('POST', `/api/onboardings/${waiting.id}/manual-steps/communicationSystem`, {})).status).toBe(409);
    const again = await stack.api('DELETE', `/api/onboardings/${waiting.id}`);
    expect(again.status).toBe(409);
    expect(again.body.error).toMatch(/not running/);
    expect((await stack.get(waiting.id)).status).toBe('terminated');
  });

  it('a terminated run does not block a new request for the same tenant and subaccount', async () => {
    const restarted = await stack.onboard(landscape.request());
    // A new run with its own record; the terminated one keeps its history.
    expect(restarted.id).toBe(waiting.id.replace(/-r(\d+)$/, (_m, n: string) => `-r${Number(n) + 1}`));
    expect((await stack.get(waiting.id)).status).toBe('terminated');
    expect(restarted.status).toBe('waiting for manual step');
    expect((await stack.api('DELETE', `/api/onboardings/${restarted.id}`)).status).toBe(202);
    expect((await stack.waitFor(restarted.id, (v) => v.status !== 'waiting for manual step', 60_000)).status).toBe('terminated');
  });

  it('an unknown id is 404', async () => {
    const answer = await stack.api('DELETE', `/api/onboardings/onboard-my100001-${randomUUID()}`);
    expect(answer.status).toBe(404);
    expect(answer.body.error).toMatch(/not found/);
  });
});
