/**
 * Issue 7 items 2 and 12, over real HTTP on devhost and the SAP sandbox: a Destination service key
 * is used only for the subaccount and region it belongs to, and its secret goes only to that
 * region's XSUAA and Destination service. Refused at request time (422, nothing sent, no run) and
 * again in the activity, for a key that changed after the run started.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { destroySharedSapAgents } from '../../../shared/sap/http/agent';
import { FieldErrorsBody } from '../../../shared/schemas/onboardingApi';
import { sandboxObjects, startOnboardingStack, type Landscape, type OnboardingStack, type OnboardingView } from '../../support/onboardingStack';

jest.setTimeout(180_000);

const EVIL_APP = 'evil-app.cfapps.eu10.hana.ondemand.com';

let stack: OnboardingStack;

beforeAll(async () => {
  stack = await startOnboardingStack({ landscapes: 4 });
});

afterAll(async () => {
  destroySharedSapAgents();
  await stack?.stop();
});

const instanceId = (tenant: string, subaccountId: string) => `onboard-${tenant}-${subaccountId}`;

async function onboardingIds(): Promise<string[]> {
  const list = await stack.api('GET', '/api/onboardings');
  expect(list.status).toBe(200);
  return list.body.items.map((v: OnboardingView) => v.id).sort();
}

/** Stores `key` under a name of its own, so the landscape's real key stays as it is. */
async function storeKey(name: string, key: Record<string, unknown>): Promise<void> {
  const answer = await stack.api('PUT', `/api/credentials/${name}`, { value: key });
  expect(answer.status).toBe(204);
}

function registryFiles(): Record<string, string> {
  const dir = path.join(stack.dataDir, 'registry');
  if (!existsSync(dir)) return {};
  return Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]));
}

/** POSTs a request; returns the answer and what reached the sandbox meanwhile. */
async function post(body: unknown) {
  const before = await onboardingIds();
  await stack.clearSandboxRequests();
  const answer = await stack.api('POST', '/api/onboardings', body);
  const sapCalls = await stack.sandboxRequests();
  const after = await onboardingIds();
  return { answer, sapCalls, before, after };
}

function keyField(answer: { status: number; body: unknown }): string {
  expect(answer.status).toBe(422);
  const { fields } = FieldErrorsBody.parse(answer.body);
  expect(fields.map((f) => f.field)).toEqual(['btp.destinationServiceKeySecret']);
  return fields[0].message;
}

describe('at request time', () => {
  let l: Landscape;
  beforeAll(() => {
    l = stack.landscapes[0];
  });

  it('a service key whose url is a Cloud Foundry app route gets 422; nothing reaches that host and no run is created', async () => {
    await storeKey('btp-key-app-route-url', { ...l.serviceKey, url: `https://${EVIL_APP}` });
    const request = l.request();
    const { answer, sapCalls, before, after } = await post({ ...request, btp: { ...request.btp, destinationServiceKeySecret: 'btp-key-app-route-url' } });
    const message = keyField(answer);
    expect(message).toContain('credential "btp-key-app-route-url"');
    expect(message).toContain(`url holds ${EVIL_APP}, expected <subdomain>.authentication.eu10.hana.ondemand.com`);
    expect(message).toContain(`Store the Destination service key of subaccount ${l.subaccountId} in region eu10`);
    expect(answer.text).not.toContain(l.serviceKey.clientsecret);
    expect(sapCalls).toEqual([]);
    expect(after).toEqual(before);
    expect((await stack.api('GET', `/api/onboardings/${instanceId(l.tenant, l.subaccountId)}`)).status).toBe(404);
  });

  it('a service key whose uri is not the Destination service gets 422', async () => {
    const foreign = 'destination-configuration.cfapps.eu10.hana.ondemand.com.evil.com';
    await storeKey('btp-key-foreign-uri', { ...l.serviceKey, uri: `https://${foreign}` });
    const request = l.request();
    const { answer, sapCalls, before, after } = await post({ ...request, btp: { ...request.btp, destinationServiceKeySecret: 'btp-key-foreign-uri' } });
    expect(keyField(answer)).toContain(`uri holds ${foreign}, expected destination-configuration.cfapps.eu10.hana.ondemand.com`);
    expect(sapCalls).toEqual([]);
    expect(after).toEqual(before);
  });

  it('a us10 service key for a request that says eu10 gets 422 suggesting btp.region us10', async () => {
    await storeKey('btp-key-us10', {
      ...l.serviceKey,
      url: `https://${l.subdomain}.authentication.us10.hana.ondemand.com`,
      uri: 'https://destination-configuration.cfapps.us10.hana.ondemand.com',
      uaadomain: 'authentication.us10.hana.ondemand.com',
    });
    const request = l.request();
    const { answer, sapCalls, before, after } = await post({ ...request, btp: { ...request.btp, destinationServiceKeySecret: 'btp-key-us10' } });
    const message = keyField(answer);
    expect(message).toContain(`url holds ${l.subdomain}.authentication.us10.hana.ondemand.com (region us10), expected ${l.subdomain}.authentication.eu10.hana.ondemand.com`);
    expect(message).toContain('uri holds destination-configuration.cfapps.us10.hana.ondemand.com (region us10)');
    expect(message).toContain('Correct btp.region to us10');
    expect(sapCalls).toEqual([]);
    expect(after).toEqual(before);
  });

  it('region us21 with the eu10 key of the subaccount gets 422 and the registry records nothing', async () => {
    const registryBefore = registryFiles();
    const request = l.request();
    const { answer, sapCalls, before, after } = await post({ ...request, btp: { ...request.btp, region: 'us21' } });
    const message = keyField(answer);
    expect(message).toContain(`is not the Destination service key of subaccount ${l.subaccountId} in region us21`);
    expect(message).toContain('Correct btp.region to eu10');
    expect(sapCalls).toEqual([]);
    expect(after).toEqual(before);
    expect(registryFiles()).toEqual(registryBefore);
  });
});

describe('a wrong subaccount ID against a working tenant', () => {
  it('gets 422 naming both GUIDs, and the existing destination and registry record stay as they are', async () => {
    const l = stack.landscapes[1];
    const completed = await stack.onboard(l.request());
    expect(completed.status).toBe('completed');
    const stateBefore = sandboxObjects(await stack.sandboxState());
    const registryBefore = registryFiles();

    const wrong = '11111111-1111-4111-8111-111111111111';
    const request = l.request();
    const { answer, sapCalls, before, after } = await post({ ...request, btp: { ...request.btp, subaccountId: wrong } });
    const message = keyField(answer);
    expect(message).toContain(`tenantid holds ${l.subaccountId}, expected ${wrong}`);
    expect(message).toContain(`or correct btp.subaccountId if subaccount ${l.subaccountId} is the one to connect`);
    expect(sapCalls).toEqual([]);
    expect(after).toEqual(before);
    expect((await stack.api('GET', `/api/onboardings/${instanceId(l.tenant, wrong)}`)).status).toBe(404);
    expect(sandboxObjects(await stack.sandboxState())).toEqual(stateBefore);
    expect(registryFiles()).toEqual(registryBefore);
  });
});

describe('in the activity', () => {
  const OTHER_SUBACCOUNT = '22222222-2222-4222-8222-222222222222';
  const cases: [string, number, (l: Landscape) => Record<string, unknown>, string, (l: Landscape) => string][] = [
    ['a foreign host', 2, (l) => ({ ...l.serviceKey, url: `https://${EVIL_APP}` }), 'ServiceHostNotPinned', () => `url holds ${EVIL_APP}`],
    ['the key of another subaccount', 3, (l) => ({ ...l.serviceKey, tenantid: OTHER_SUBACCOUNT }), 'ServiceKeyOfOtherSubaccount', (l) => `tenantid holds ${OTHER_SUBACCOUNT}, expected ${l.subaccountId}`],
  ];

  it.each(cases)('a key changed to %s after the start fails the run at its first BTP step, with the pin as kind and nothing sent', async (_what, index, changed, kind, names) => {
    const l = stack.landscapes[index];
    const keyName = l.request().btp.destinationServiceKeySecret;
    // XSUAA answers 503 for a while: the preflight activity is retried, and each attempt reads the key anew.
    await stack.setFaults([{ host: `^${l.subdomain}\\.authentication\\.`, path: '/oauth/token', errorRate: 1, status: 503 }]);
    await stack.clearSandboxRequests();
    const started = await stack.start(l.request());
    for (let i = 0; ; i++) {
      const seen = await stack.sandboxRequests();
      if (seen.some((r) => r.host.startsWith(`${l.subdomain}.authentication.`) && r.status === 503)) break;
      if (i > 200) throw new Error('the run never asked XSUAA for a token');
      await new Promise((r) => setTimeout(r, 50));
    }
    await storeKey(keyName, changed(l));

    // The fault stays: the attempt under way keeps failing, and the next one must stop at the key.
    const failed = await stack.waitFor(started.id);
    await stack.clearFaults();
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatchObject({ step: 'preflight', system: `subaccount ${l.subaccountId}` });
    expect(failed.error!.message).toContain(`the credential "${keyName}" is not the Destination service key of subaccount ${l.subaccountId} in region eu10`);
    expect(failed.error!.message).toContain(names(l));
    expect(failed.error!.message).toContain('nothing was sent to the hosts it names');
    expect(failed.error!.fix).toContain(`PUT /api/credentials/${keyName}`);
    for (const later of ['trustCertificate', 'communicationUser', 'destination']) expect(failed.steps.find((s) => s.id === later)!.outcome).toBeUndefined();

    const status = await stack.api('GET', `/runtime/webhooks/durabletask/instances/${encodeURIComponent(started.id)}`, undefined, { key: stack.masterKey });
    expect(status.body.customStatus.error.kind).toBe(kind);

    const requests = await stack.sandboxRequests();
    expect(requests.filter((r) => r.host.toLowerCase().includes('evil-app'))).toEqual([]);
    expect(requests.filter((r) => r.method !== 'GET' && !/\/oauth\/token$/.test(r.path))).toEqual([]);
    expect(JSON.stringify(failed)).not.toContain(l.serviceKey.clientsecret);
  });
});
