/**
 * Issue 4: the manual step's deadline. devhost runs with a deadline of a few seconds
 * (ONBOARDING_MANUAL_STEP_DEADLINE_DAYS takes fractions), the tenants refuse the certificate field,
 * and nobody uploads: each run fails at the communication system step with the deadline, what was
 * last found, and how to go on.
 */
import { destroySharedSapAgents } from '../../../shared/sap/http/agent';
import { startOnboardingStack, type OnboardingStack, type OnboardingView } from '../../support/onboardingStack';

jest.setTimeout(120_000);

const DEADLINE_SECONDS = 4;

let stack: OnboardingStack;
let silent: OnboardingView;
let checkedTooEarly: OnboardingView;
let waitingSince: number;

beforeAll(async () => {
  stack = await startOnboardingStack({ landscapes: 2, devhostEnv: { ONBOARDING_MANUAL_STEP_DEADLINE_DAYS: String(DEADLINE_SECONDS / 86_400) } });
  for (const l of stack.landscapes) await stack.setSwitches(l.tenant, { rejectSigningCertificateField: true });
  const [first, second] = await Promise.all(stack.landscapes.map((l) => stack.onboard(l.request())));
  waitingSince = Date.now();
  expect([first.status, second.status]).toEqual(['waiting for manual step', 'waiting for manual step']);
  // Someone confirms on the second run without having uploaded anything.
  const confirmed = await stack.api('POST', `/api/onboardings/${second.id}/manual-steps/communicationSystem`, {});
  expect(confirmed.status).toBe(202);
  [silent, checkedTooEarly] = await Promise.all([stack.waitFor(first.id), stack.waitFor(second.id)]);
});

afterAll(async () => {
  destroySharedSapAgents();
  await stack?.stop();
});

describe('a manual step nobody completes before the deadline', () => {
  it('fails the run at the communication system step, not before the deadline', () => {
    for (const view of [silent, checkedTooEarly]) {
      expect({ status: view.status, step: view.error?.step }).toEqual({ status: 'failed', step: 'communicationSystem' });
      expect(view.manualAction).toBeUndefined();
      expect(view.steps.find((s) => s.id === 'communicationSystem')!.outcome).toBe('failed');
      expect(view.steps.find((s) => s.id === 'arrangement')!.outcome).toBeUndefined();
    }
    // updatedAt comes from the Durable status, which keeps whole seconds: compare at that precision.
    const notBefore = waitingSince + (DEADLINE_SECONDS - 1) * 1000;
    expect(Date.parse(silent.updatedAt)).toBeGreaterThanOrEqual(Math.floor(notBefore / 1000) * 1000);
  });

  it('says the deadline passed, names the tenant, and how to go on', () => {
    expect(silent.error!.system).toBe(silent.tenant);
    expect(silent.error!.message).toMatch(/^nobody finished the manual step "Upload the BTP trust certificate .*" before the deadline \d{4}-\d\d-\d\dT/);
    expect(silent.error!.fix).toMatch(/Fiori app Communication Systems .*start the onboarding again/);
  });

  it('tells what the last check found when someone confirmed without uploading', () => {
    expect(checkedTooEarly.error!.message).toMatch(/before the deadline .*the last check found: .*does not hold the certificate/);
  });

  it('refuses a confirmation after the run failed', async () => {
    const late = await stack.api('POST', `/api/onboardings/${silent.id}/manual-steps/communicationSystem`, {});
    expect(late.status).toBe(409);
  });
});
