/**
 * A StepDependencies lives for one activity: it reads each credential once (a batch of the certificate
 * check reaches hundreds of tenants with one SAP_COM_0A48 user), and the next activity reads it again,
 * so a credential stored meanwhile is used from then on. It parses each credential once per activity too.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resetSettingsCache } from '../../../shared/config/settings';
import { runtimeServices } from '../../../shared/config/runtimeServices';
import { BootstrapUser } from '../../../shared/workflow/bootstrapUser';
import { stepDependencies } from '../../../shared/workflow/stepDependencies';
import { PermanentStepError } from '../../../shared/workflow/stepOutcome';

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

it('parses a SAP_COM_0A48 credential once per activity, and again when the next activity reads a changed one', async () => {
  const { secrets } = runtimeServices();
  await secrets.set('s4-parse-once', JSON.stringify({ user: 'SAP_COM_0A48_USER', password: 'fourth-Password-1234567890' }), META);
  const parses = jest.spyOn(BootstrapUser, 'safeParse');
  try {
    const activity = await stepDependencies();
    const clients = await Promise.all(['my200001', 'my200002', 'my200003'].map((t) => activity.s4(`${t}-api.s4hana.ondemand.com`, 's4-parse-once')));
    expect(new Set(clients).size).toBe(3);
    expect(parses).toHaveBeenCalledTimes(1);

    await secrets.set('s4-parse-once', JSON.stringify({ user: 'SAP_COM_0A48_USER', password: 'fifth-Password-1234567890' }), META);
    const next = await stepDependencies();
    const changed = await next.s4('my200001-api.s4hana.ondemand.com', 's4-parse-once');
    await next.s4('my200002-api.s4hana.ondemand.com', 's4-parse-once');
    expect(parses).toHaveBeenCalledTimes(2);
    // The changed password is a client of its own, not the one built with the first password.
    expect(changed).not.toBe(clients[0]);
  } finally {
    parses.mockRestore();
  }
});

it('refuses a stored value that is not a SAP_COM_0A48 user for every tenant of the activity, naming each host and no value', async () => {
  const { secrets } = runtimeServices();
  await secrets.set('s4-not-a-user', JSON.stringify({ user: 'SAP_COM_0A48_USER', pass: 'sixth-Password-1234567890' }), META);
  const activity = await stepDependencies();
  for (const host of ['my300001-api.s4hana.ondemand.com', 'my300002-api.s4hana.ondemand.com']) {
    const refused = await activity.s4(host, 's4-not-a-user').then(
      () => undefined,
      (e: unknown) => e as PermanentStepError,
    );
    expect(refused).toBeInstanceOf(PermanentStepError);
    expect(refused!.failure).toMatchObject({ system: host, kind: 'InvalidCredential' });
    expect(JSON.stringify(refused!.failure)).not.toContain('sixth-Password');
  }
});
