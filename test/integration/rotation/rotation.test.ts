/**
 * The rotation on devhost + sandbox + Azurite: three tenants of one subaccount, onboarded for real.
 * Order matters: each test starts from the state the previous one left (all tenants on the active certificate).
 */
import { rotationDoors } from '../../support/rotationStack';
import { xsuaaToken } from '../../support/sandboxClient';
import { sapWrites, startOnboardingStack, type OnboardingStack } from '../../support/onboardingStack';

jest.setTimeout(240_000);

let stack: OnboardingStack;
let doors: ReturnType<typeof rotationDoors>;
let subaccountId: string;
const tenants = () => [stack.landscapes[0].tenant, ...stack.extraTenants.map((t) => t.tenant)];
const SHORT_WINDOW_DAYS = 3 / 86_400;

beforeAll(async () => {
  stack = await startOnboardingStack({ landscapes: 1, extraTenants: 2 });
  doors = rotationDoors(stack);
  subaccountId = stack.landscapes[0].subaccountId;
  const views = await Promise.all([stack.landscapes[0].request(), ...stack.extraTenants.map((t) => t.request())].map((r) => stack.onboard(r)));
  for (const v of views) expect(v.status).toBe('completed');
}, 240_000);

afterAll(async () => {
  await stack?.stop();
});

async function everyTenantMatchesBtp(): Promise<boolean> {
  const timeline = await doors.timeline();
  return tenants().every((t) => timeline[t] && timeline[t].mismatched === false);
}

async function tokenExchangesFail(): Promise<number> {
  const state = await stack.sandboxState();
  return tenants().reduce((n, t) => n + (state.services.s4.tenants[t].tokenLog as Array<{ outcome: string }>).filter((e) => e.outcome === 'denied').length, 0);
}

describe('bad input', () => {
  it('an unknown subaccount is a 422 naming it, a malformed body a 400 naming each field, and nothing starts', async () => {
    const unknown = await stack.api('POST', '/api/rotations', { subaccountId: '00000000-0000-0000-0000-000000000000' });
    expect(unknown.status).toBe(422);
    expect(unknown.text).toContain('00000000-0000-0000-0000-000000000000');
    const bad = await stack.api('POST', '/api/rotations', { subaccountId: 'x', rollbackWindowDays: -1, extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['extra', 'rollbackWindowDays', 'subaccountId']);
    expect((await stack.api('GET', '/api/rotations')).body.items).toEqual([]);
  });

  it('a rollback of a rotation that does not exist is a 404', async () => {
    expect((await stack.api('POST', '/api/rotations/rotate-nope-r1/rollback')).status).toBe(404);
  });
});

describe('plan', () => {
  it('lists the tenants and the certificate it would push, with the expected window, and writes nothing', async () => {
    await stack.clearSandboxRequests();
    const answer = await stack.api('POST', '/api/rotations/plans', { subaccountId });
    expect(answer.status).toBe(200);
    const cut = answer.body.steps.find((s: { id: string }) => s.id === 'cutOver');
    expect(cut.plan.action).toBe('update');
    const changed = cut.plan.changes.map((c: { field: string }) => c.field);
    expect(changed).toEqual(expect.arrayContaining([expect.stringContaining(stack.extraTenants[1].tenant), 'BTP active certificate']));
    expect(answer.body.steps.find((s: { id: string }) => s.id === 'expectedWindow').detail).toMatch(/about \d+\.\d s per tenant \(3 tenants pushed/);
    expect(sapWrites(await stack.sandboxRequests())).toEqual([]);
  });
});

describe('preflight', () => {
  it('a tenant whose credentials fail stops the rotation before any change, with a report per tenant', async () => {
    const victim = stack.extraTenants[0];
    const secret = victim.prepared.credentials[1];
    await stack.api('PUT', `/api/credentials/${secret.name}`, { value: { user: 'SAP_COM_0A48_BOOTSTRAP', password: 'wrong-password-123' }, contentType: secret.contentType });
    await stack.clearSandboxRequests();
    try {
      const started = await doors.start({ subaccountId });
      const done = await doors.waitFor(started.id);
      expect(done.status).toBe('failed');
      expect(done.error?.step).toBe('tenantPreflight');
      expect(done.error?.message).toContain(`${victim.s4Host}:`);
      expect(done.error?.message).toContain('nothing was changed');
      expect(sapWrites(await stack.sandboxRequests()).filter((r) => !r.path.includes('/oauth'))).toEqual([]);
    } finally {
      await stack.api('PUT', `/api/credentials/${secret.name}`, { value: secret.value, contentType: secret.contentType });
    }
  });
});

describe('cut-over rolled back', () => {
  it('a tenant that refuses the update puts every tenant back on the old certificate and BTP is not rotated', async () => {
    const before = await doors.certificates(subaccountId);
    await stack.setSwitches(stack.extraTenants[1].tenant, { refuseSigningCertificateUpdate: true });
    try {
      const started = await doors.start({ subaccountId });
      const done = await doors.waitFor(started.id);
      expect(done.status).toBe('failed');
      expect(done.error?.kind).toBe('CutOverRolledBack');
      expect(done.error?.message).toContain(stack.extraTenants[1].s4Host);
      const after = await doors.certificates(subaccountId);
      expect(after.active?.fingerprint256).toBe(before.active?.fingerprint256);
      expect(await everyTenantMatchesBtp()).toBe(true);
      const row = await stack.registry.get(stack.extraTenants[0].s4Host, subaccountId);
      expect(row?.lastRotation?.outcome).toBe('rolled back');
    } finally {
      await stack.setSwitches(stack.extraTenants[1].tenant, { refuseSigningCertificateUpdate: false });
    }
  });
});

describe('full rotation, singleton, rollback after success', () => {
  let rotationId: string;
  let before: Awaited<ReturnType<typeof doors.certificates>>;

  it('rotates every tenant with zero failed token exchanges afterwards, and the timeline measures a short window', async () => {
    before = await doors.certificates(subaccountId);
    await doors.resetTimeline();
    await stack.clearSandboxRequests();
    const started = await doors.start({ subaccountId, rollbackWindowDays: 1 });
    rotationId = started.id;
    const view = await doors.waitFor(rotationId, doors.inWindow);
    expect(view.status).toBe('running');
    expect(view.current?.step).toBe('rollbackWindow');
    const after = await doors.certificates(subaccountId);
    expect(after.active?.fingerprint256).not.toBe(before.active?.fingerprint256);
    expect(after.passive?.fingerprint256).toBe(before.active?.fingerprint256);
    expect(await everyTenantMatchesBtp()).toBe(true);
    const timeline = await doors.timeline();
    const longest = Math.max(...tenants().map((t) => timeline[t].longestClosedMismatchMs ?? 0));
    expect(longest).toBeGreaterThan(0);
    expect(longest).toBeLessThan(5_000);
    // Inside the window SAP sees nothing but one bare PATCH per tenant, then the rotation: every read,
    // credential, CSRF token and connection was prepared before the first push.
    const byArrival = [...(await stack.sandboxRequests())].sort((a, b) => a.at.localeCompare(b.at));
    const firstPush = byArrival.findIndex((r) => r.method === 'PATCH');
    const rotate = byArrival.findIndex((r) => r.path.endsWith('/saml2Metadata/rotateCertificate'));
    expect(firstPush).toBeGreaterThanOrEqual(0);
    expect(byArrival.slice(firstPush, rotate + 1).map((r) => `${r.method} ${r.path.replace(/\(.*\)$/, '(…)')} ${r.status}`)).toEqual([
      ...tenants().map(() => 'PATCH /sap/opu/odata4/sap/aps_com_cs_a4c_odata/srvd_a2x/sap/aps_com_cs_a4c_odata/0001/CommunicationSystems(…) 204'),
      'POST /destination-configuration/v1/saml2Metadata/rotateCertificate 200',
    ]);
    const failedBefore = await tokenExchangesFail();
    const verify = view.steps.find((s) => s.id === 'verifyTokenExchange');
    expect(verify?.outcome).toBe('verified');
    expect(await tokenExchangesFail()).toBe(failedBefore);
    const row = await stack.registry.get(stack.landscapes[0].s4Host, subaccountId);
    expect(row?.trustCertificate.fingerprintSha256).toBe(after.active?.fingerprint256);
    expect(row?.lastRotation).toMatchObject({ rotationId, outcome: 'completed' });
  });

  it('a second rotation of the same subaccount gets a 409 naming the running one', async () => {
    const second = await stack.api('POST', '/api/rotations', { subaccountId });
    expect(second.status).toBe(409);
    expect(second.body.id).toBe(rotationId);
  });

  it('rollback inside the window brings the old certificate back on BTP and every tenant', async () => {
    const answer = await stack.api('POST', `/api/rotations/${rotationId}/rollback`);
    expect(answer.status).toBe(202);
    const done = await doors.waitFor(rotationId);
    expect(done.status).toBe('completed');
    expect(done.result.outcome).toBe('rolled back');
    expect((await doors.certificates(subaccountId)).active?.fingerprint256).toBe(before.active?.fingerprint256);
    expect(await everyTenantMatchesBtp()).toBe(true);
    expect(done.result.tenants.every((t: { verified: boolean }) => t.verified)).toBe(true);
  });
});

describe('rollback window end', () => {
  it('after the window the old certificate is deleted and a rollback is a 409 that says the window ended', async () => {
    const started = await doors.start({ subaccountId, rollbackWindowDays: SHORT_WINDOW_DAYS });
    const done = await doors.waitFor(started.id);
    expect(done.status).toBe('completed');
    expect(done.result.outcome).toBe('rotated');
    expect((await doors.certificates(subaccountId)).passive).toBeNull();
    const late = await stack.api('POST', `/api/rotations/${started.id}/rollback`);
    expect(late.status).toBe(409);
    expect(late.body.error).toMatch(/rollback window .* ended/);
  });
});

describe('repair', () => {
  it('repairs a mismatch after a rotation made through the Destination API', async () => {
    const key = stack.landscapes[0].serviceKey;
    const bearer = { authorization: `Bearer ${await xsuaaToken(stack.sandbox, key)}` };
    const base = `${key.uri}/destination-configuration/v1/saml2Metadata`;
    expect((await stack.sap(`${base}/certificate/passive`, { method: 'POST', headers: bearer })).status).toBeLessThan(300);
    expect((await stack.sap(`${base}/rotateCertificate`, { method: 'POST', headers: bearer })).status).toBeLessThan(300);
    expect(await everyTenantMatchesBtp()).toBe(false);
    for (const t of [stack.landscapes[0].s4Host, ...stack.extraTenants.map((e) => e.s4Host)]) {
      await stack.registry.recordCheck(t, subaccountId, { at: new Date().toISOString(), status: 'mismatch' });
    }
    const answer = await stack.api('POST', '/api/repairs/mismatched', { subaccountId });
    expect(answer.status).toBe(202);
    expect(answer.body.repairs).toHaveLength(3);
    for (const r of answer.body.repairs) {
      const done = await doors.waitFor(r.started, undefined, 120_000, 'repairs');
      expect(done.status).toBe('completed');
      expect(done.result.tokenExchangeVerified).toBe(true);
    }
    expect(await everyTenantMatchesBtp()).toBe(true);
  });
});

describe('manual tenants', () => {
  it('pauses with the PEM and the instructions, and cuts over the API tenants once a person confirms', async () => {
    const manual = stack.extraTenants[0];
    await stack.setSwitches(manual.tenant, { rejectSigningCertificateField: true });
    try {
      const started = await doors.start({ subaccountId, rollbackWindowDays: SHORT_WINDOW_DAYS });
      const waiting = await doors.waitFor(started.id, (v) => v.status === 'waiting for manual step' || v.status === 'failed');
      expect(waiting.status).toBe('waiting for manual step');
      expect(waiting.manualAction!.attachments.map((a) => a.name)).toEqual(['certificate']);
      const pem = (await stack.api('GET', `/api/rotations/${started.id}/attachments/certificate`)).text;
      expect(pem).toContain('BEGIN CERTIFICATE');
      // Until the person confirms, nothing else moved: BTP still signs with the old certificate.
      expect(await everyTenantMatchesBtp()).toBe(true);
      // An onboarding to a subaccount that is cutting over would read the certificate about to be replaced: 409.
      const onboarding = await stack.api('POST', '/api/onboardings', stack.landscapes[0].request());
      expect(onboarding.status).toBe(409);
      expect(onboarding.body.id).toBe(started.id);
      const systemId = `BTP_${subaccountId.slice(0, 8).toUpperCase()}`;
      const upload = await stack.sap(`https://${manual.s4Host}/__sandbox/manual/communication-systems/${systemId}/signing-certificate`, { method: 'POST', body: { certificate: pem } });
      expect(upload.status).toBe(200);
      expect((await stack.api('POST', `/api/rotations/${started.id}/manual-steps/manualUpload`, {})).status).toBe(202);
      const done = await doors.waitFor(started.id);
      expect(done.status).toBe('completed');
      expect(done.result.outcome).toBe('rotated');
      expect(done.result.tenants.find((t: { tenantHost: string }) => t.tenantHost === manual.s4Host).outcome).toBe('rotated by hand');
      expect(done.result.window).toContain('updated by hand');
      expect(await everyTenantMatchesBtp()).toBe(true);
    } finally {
      await stack.setSwitches(manual.tenant, { rejectSigningCertificateField: false });
    }
  });
});
