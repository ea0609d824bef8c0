/**
 * A StepDependencies lives for one activity: it reads each credential once (a batch of the certificate
 * check reaches hundreds of tenants with one SAP_COM_0A48 user), and the next activity reads it again,
 * so a credential stored meanwhile is used from then on.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resetSettingsCache } from '../../../shared/config/settings';
import { runtimeServices } from '../../../shared/config/runtimeServices';
import { stepDependencies } from '../../../shared/workflow/stepDependencies';

const SECRET = 's4-bootstrap';
const META = { contentType: 'application/json; purpose=s4-sap-com-0a48-user', tags: {} };
let dir: string;
const saved = { ...process.env };

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'step-deps-'));
  Object.assign(process.env, { DATA_DIR: dir, SECRET_STORE: 'file', REGISTRY_STORE: 'memory' });
  resetSettingsCache();
});
afterAll(() => {
  process.env = saved;
  resetSettingsCache();
  rmSync(dir, { recursive: true, force: true });
});

it('reads a credential once per activity, and again in the next activity', async () => {
  const { secrets } = runtimeServices();
  await secrets.set(SECRET, JSON.stringify({ user: 'SAP_COM_0A48_USER', password: 'first-Password-1234567890' }), META);
  const reads = jest.spyOn(secrets, 'get');

  const activity = await stepDependencies();
  const first = await activity.s4('my100001-api.s4hana.ondemand.com', SECRET);
  await activity.s4('my100002-api.s4hana.ondemand.com', SECRET);
  await activity.s4('my100001-api.s4hana.ondemand.com', SECRET);
  expect(reads).toHaveBeenCalledTimes(1);

  await secrets.set(SECRET, JSON.stringify({ user: 'SAP_COM_0A48_USER', password: 'second-Password-1234567890' }), META);
  const next = await stepDependencies();
  const again = await next.s4('my100001-api.s4hana.ondemand.com', SECRET);
  expect(reads).toHaveBeenCalledTimes(2);
  // A client is kept per host and credential value: the changed password gets a client of its own.
  expect(again).not.toBe(first);
  expect(await (await stepDependencies()).s4('my100001-api.s4hana.ondemand.com', SECRET)).toBe(again);
});

it('a credential stored after an activity found it missing is found by the next activity', async () => {
  const { secrets } = runtimeServices();
  const activity = await stepDependencies();
  await expect(activity.s4('my100003-api.s4hana.ondemand.com', 'not-stored-yet')).rejects.toThrow(/does not exist/);
  await secrets.set('not-stored-yet', JSON.stringify({ user: 'U', password: 'third-Password-1234567890' }), META);
  // Within the same activity the read is remembered (one read per activity), the next activity sees it.
  await expect((await stepDependencies()).s4('my100003-api.s4hana.ondemand.com', 'not-stored-yet')).resolves.toBeDefined();
});
