/**
 * The real onboarding orchestrator (registerOrchestrator) on devhost's engine, with fake activities under
 * the real activity names: the order and the parallel branches, the manual-step loop and its deadline,
 * permanent and transient failures, and plan mode. The engine's adjustable clock lets days and retry
 * back-offs pass in milliseconds.
 */
import { adjustableClock, type DevhostClock } from '../../devhost/devhostClock';
import { createDurableEngine } from '../../devhost/engine';
import type { DurableEngine, HistoryEventView, InstanceStatus } from '../../devhost/engineContract';
import { onboarding } from '../../orchestrations/onboarding/workflow';
import type { WorkflowStatus } from '../../shared/workflow/workflowStatus';
import { callsOf, eventsOf, failPermanently, failTransiently, scriptRun, succeed, together, type Script } from '../apps/onboardingReplay/fakeActivities';
import { defaultOutputs, onboardingSpec, systemOutput } from '../apps/onboardingReplay/outputs';
import { loadReplayApp, temporaryStateDir } from './support/replayApp';

const DAY_MS = 86_400_000;
const registry = loadReplayApp('onboardingReplay');
let clock: DevhostClock;
let engine: DurableEngine;
let runNumber = 0;

beforeEach(async () => {
  clock = adjustableClock();
  engine = createDurableEngine({ registry, stateDir: temporaryStateDir('onboarding-replay'), clock });
  await engine.start();
});
afterEach(() => engine.stop());

async function start(scripts: Partial<Record<string, Script>>, options: { mode?: 'run' | 'plan'; deadlineDays?: number } = {}): Promise<string> {
  const id = `onboard-my100001-replay-r${++runNumber}`;
  scriptRun(id, scripts);
  const input = onboardingSpec(options.deadlineDays ? { manualStepDeadlineDays: options.deadlineDays } : {});
  await engine.startNew('onboarding', { instanceId: id, input: { mode: options.mode ?? 'run', input } });
  return id;
}

const finished = (id: string) => engine.waitForCompletion(id, 15_000);

async function status(id: string): Promise<InstanceStatus> {
  const found = await engine.getStatus(id, { showHistory: true, showHistoryOutput: true });
  if (!found) throw new Error(`no instance ${id}`);
  return found;
}

const custom = async (id: string) => (await status(id)).customStatus as WorkflowStatus;
const history = async (id: string): Promise<HistoryEventView[]> => (await status(id)).historyEvents ?? [];
const ofType = (events: HistoryEventView[], type: string) => events.filter((e) => e.EventType === type);
const stepOf = (s: WorkflowStatus, id: string) => s.steps.find((step) => step.id === id)!;
const at = (event: HistoryEventView, field: 'Timestamp' | 'FireAt' | 'ScheduledTime') => Date.parse(event[field] as string);

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const untilTimers = (id: string, n: number) => until(`${n} timers in ${id}`, async () => ofType(await history(id), 'TimerCreated').length >= n && ofType(await history(id), 'TimerCreated'));
const untilWaiting = (id: string, checks: number) =>
  until(`${id} waiting after ${checks} checks`, async () => {
    const s = await custom(id);
    return callsOf(id, 'communicationSystem').length === checks && s?.manualAction && stepOf(s, 'communicationSystem').outcome === 'waiting' && s;
  });
const confirm = (id: string) => engine.raiseEvent(id, 'manualStep:communicationSystem', { note: null });
const laterSteps = ['arrangement', 'destination', 'verify', 'record'];
const notMatching: Script = () => succeed(systemOutput(false), 'updated');

describe('order and parallel branches', () => {
  it('runs preflight first, certificate ∥ user, then the system, arrangement ∥ destination, verify and record', async () => {
    const id = await start({
      trustCertificate: together(['trustCertificate', 'communicationUser'], (s) => defaultOutputs[s]()),
      communicationUser: together(['trustCertificate', 'communicationUser'], (s) => defaultOutputs[s]()),
      arrangement: together(['arrangement', 'destination'], (s) => defaultOutputs[s]()),
      destination: together(['arrangement', 'destination'], (s) => defaultOutputs[s]()),
    });
    const done = await finished(id);
    expect(done.runtimeStatus).toBe('Completed');

    const events = eventsOf(id);
    const index = (event: string) => events.indexOf(event);
    expect(events[0]).toBe('start:preflight');
    expect(index('finish:preflight')).toBeLessThan(Math.min(index('start:trustCertificate'), index('start:communicationUser')));
    // Both started before either finished: scheduled together, not one after the other.
    expect(Math.max(index('start:trustCertificate'), index('start:communicationUser'))).toBeLessThan(Math.min(index('finish:trustCertificate'), index('finish:communicationUser')));
    expect(index('start:communicationSystem')).toBeGreaterThan(Math.max(index('finish:trustCertificate'), index('finish:communicationUser')));
    expect(Math.max(index('start:arrangement'), index('start:destination'))).toBeLessThan(Math.min(index('finish:arrangement'), index('finish:destination')));
    expect(Math.min(index('start:arrangement'), index('start:destination'))).toBeGreaterThan(index('finish:communicationSystem'));
    expect(index('start:verify')).toBeGreaterThan(Math.max(index('finish:arrangement'), index('finish:destination')));
    expect(events.slice(-2)).toEqual(['start:record', 'finish:record']);
    expect(events).toHaveLength(16); // eight steps, each once; oauthDetails has no activity
    // Each pair ran in one activity, so it held one of the host's activity slots, not two.
    const ran = ofType(await history(id), 'TaskCompleted').map((e) => e.FunctionName);
    expect(ran).toEqual(['onboarding_preflight', 'onboarding__together', 'onboarding_communicationSystem', 'onboarding__together', 'onboarding_verify', 'onboarding_record']);

    const steps = (done.customStatus as WorkflowStatus).steps;
    expect(Object.fromEntries(steps.map((s) => [s.id, s.outcome]))).toEqual({
      preflight: 'created',
      trustCertificate: 'created',
      communicationUser: 'created',
      communicationSystem: 'created',
      oauthDetails: 'checked',
      arrangement: 'created',
      destination: 'created',
      verify: 'created',
      record: 'created',
    });
    expect(done.output).toMatchObject({ destinationName: 'S4_MY100001', certificateFingerprint: 'AB:CD', tokenExchangeVerified: true });
  });

  it('hands each step what the earlier steps returned, in a run envelope with the run id', async () => {
    const id = await start({});
    await finished(id);
    const [system] = callsOf(id, 'communicationSystem');
    expect(system.envelope).toMatchObject({ mode: 'run', runId: id, input: { cert: defaultOutputs.trustCertificate(), user: defaultOutputs.communicationUser(), uploadCertificate: true } });
    const [destination] = callsOf(id, 'destination');
    // oauthDetails derived the client id inside the orchestrator from the system's inbound user.
    expect(destination.envelope.input).toMatchObject({ oauth: { clientId: 'CC0000000001' }, user: defaultOutputs.communicationUser() });
  });
});

describe('the manual step', () => {
  it('waits with the manual action when the system lacks the certificate, and finishes as "done by hand" once a confirmation checks out', async () => {
    const id = await start({ communicationSystem: ({ attempt }) => succeed(systemOutput(attempt >= 2), 'updated') });
    const waiting = await untilWaiting(id, 1);
    expect((await status(id)).runtimeStatus).toBe('Running');
    expect(waiting.manualAction).toMatchObject({ step: 'communicationSystem', attachments: [expect.objectContaining({ name: 'certificate' })] });
    expect(waiting.manualAction!.title).toMatch(/Upload the BTP trust certificate to communication system BTP_32FCEECC/);
    expect(waiting.manualAction!.lastVerification).toBeUndefined();
    expect(callsOf(id, 'arrangement')).toHaveLength(0);

    await confirm(id);
    const done = await finished(id);
    expect(done.runtimeStatus).toBe('Completed');
    expect(stepOf(done.customStatus as WorkflowStatus, 'communicationSystem')).toMatchObject({ outcome: 'done by hand', detail: expect.stringMatching(/^checked at /i) });
    expect((done.customStatus as WorkflowStatus).manualAction).toBeUndefined();
    const checks = callsOf(id, 'communicationSystem');
    expect(checks).toHaveLength(2);
    // The check after a confirmation never uploads: the person did.
    expect(checks[1].envelope.input).toMatchObject({ uploadCertificate: false });
    expect(laterSteps.map((s) => callsOf(id, s).length)).toEqual([1, 1, 1, 1]);
  });

  it('keeps waiting, with what the last check found, when a confirmation comes before the certificate is there', async () => {
    const id = await start({ communicationSystem: ({ attempt }) => succeed(systemOutput(attempt >= 3), 'updated') });
    await untilWaiting(id, 1);
    await confirm(id);
    const still = await until('the last verification', async () => {
      const s = await untilWaiting(id, 2);
      return s.manualAction?.lastVerification ? s : undefined;
    });
    expect(still.manualAction!.lastVerification).toMatch(/^checked at .*: system BTP_32FCEECC does not hold the certificate AB:CD .*\(the system has no signing certificate\)/i);
    expect((await status(id)).runtimeStatus).toBe('Running');
    expect(callsOf(id, 'arrangement')).toHaveLength(0);

    await confirm(id);
    const done = await finished(id);
    expect(done.runtimeStatus).toBe('Completed');
    expect(callsOf(id, 'communicationSystem')).toHaveLength(3);
  });

  it('fails a 7-day deadline after two rounds of timers (6 days, then 1) when nobody confirms', async () => {
    const id = await start({ communicationSystem: notMatching }, { deadlineDays: 7 });
    await untilWaiting(id, 1);
    const [first] = await untilTimers(id, 1);
    const started = at(ofType(await history(id), 'ExecutionStarted')[0], 'Timestamp');
    expect(at(first, 'FireAt') - started).toBeGreaterThanOrEqual(6 * DAY_MS);
    expect(at(first, 'FireAt') - started).toBeLessThan(6 * DAY_MS + 60_000);

    clock.advance(6 * DAY_MS);
    const timers = await untilTimers(id, 2);
    expect(at(timers[1], 'FireAt') - started).toBeGreaterThanOrEqual(7 * DAY_MS);
    expect(at(timers[1], 'FireAt') - started).toBeLessThan(7 * DAY_MS + 60_000);
    expect((await status(id)).runtimeStatus).toBe('Running');
    expect((await custom(id)).manualAction?.step).toBe('communicationSystem');

    clock.advance(DAY_MS);
    const done = await finished(id);
    expect(done.runtimeStatus).toBe('Failed');
    const error = (done.customStatus as WorkflowStatus).error!;
    expect(error).toMatchObject({ step: 'communicationSystem', system: 'my100001', kind: 'ManualStepDeadline' });
    expect(error.message).toMatch(/^nobody finished the manual step "Upload the BTP trust certificate.*" before the deadline .*; the last check found: system BTP_32FCEECC does not hold/);
    expect(ofType(done.historyEvents ?? (await history(id)), 'TimerCreated')).toHaveLength(2);
    expect(callsOf(id, 'communicationSystem')).toHaveLength(1);
    expect(laterSteps.flatMap((s) => callsOf(id, s))).toEqual([]);
  });

  it('finishes a 7-day manual step confirmed on day 4 within the first round', async () => {
    const id = await start({ communicationSystem: ({ attempt }) => succeed(systemOutput(attempt >= 2), 'updated') }, { deadlineDays: 7 });
    await untilWaiting(id, 1);
    await untilTimers(id, 1);
    const started = at(ofType(await history(id), 'ExecutionStarted')[0], 'Timestamp');
    clock.advance(4 * DAY_MS);
    await confirm(id);
    const done = await finished(id);
    expect(done.runtimeStatus).toBe('Completed');
    const step = stepOf(done.customStatus as WorkflowStatus, 'communicationSystem');
    expect(step.outcome).toBe('done by hand');
    const checkedAt = Date.parse(/^checked at (\S+)/i.exec(step.detail ?? '')![1]);
    expect(checkedAt - started).toBeGreaterThanOrEqual(4 * DAY_MS);
    expect(checkedAt - started).toBeLessThan(5 * DAY_MS);
    expect(ofType(await history(id), 'TimerCreated')).toHaveLength(1);
  });

  it('hears a confirmation in the second round of a 7-day deadline (day 6.5)', async () => {
    const id = await start({ communicationSystem: ({ attempt }) => succeed(systemOutput(attempt >= 2), 'updated') }, { deadlineDays: 7 });
    await untilWaiting(id, 1);
    await untilTimers(id, 1);
    clock.advance(6 * DAY_MS);
    await untilTimers(id, 2);
    clock.advance(DAY_MS / 2);
    await confirm(id);
    const done = await finished(id);
    expect(done.runtimeStatus).toBe('Completed');
    expect(stepOf(done.customStatus as WorkflowStatus, 'communicationSystem').outcome).toBe('done by hand');
  });
});

describe('failures', () => {
  it('fails the run with the step\'s own failure, and never calls the steps after it', async () => {
    const failure = { step: 'communicationSystem', system: 'my100001', kind: 'Forbidden', message: 'SAP_COM_0A48 may not change communication systems (HTTP 403)', fix: 'Add the communication system API to the arrangement.' };
    const id = await start({ communicationSystem: () => failPermanently(failure) });
    const done = await finished(id);
    expect(done.runtimeStatus).toBe('Failed');
    const custom = done.customStatus as WorkflowStatus;
    expect(custom.error).toEqual(failure);
    expect(stepOf(custom, 'communicationSystem')).toMatchObject({ outcome: 'failed', detail: failure.message });
    expect(callsOf(id, 'communicationSystem')).toHaveLength(1); // permanent: not retried
    expect(laterSteps.flatMap((s) => callsOf(id, s))).toEqual([]);
    expect(ofType(done.historyEvents ?? [], 'TimerCreated')).toHaveLength(0);
  });

  it('waits for SAP\'s Retry-After (3 s) on a durable timer before calling a transient step again', async () => {
    const id = await start({ preflight: ({ attempt }) => (attempt === 1 ? failTransiently('preflight', 3000) : succeed(defaultOutputs.preflight(), 'checked')) });
    const [timer] = await untilTimers(id, 1);
    const [firstAnswer] = ofType(await history(id), 'TaskCompleted');
    expect(firstAnswer.FunctionName).toBe('onboarding_preflight');
    // The back-off for attempt 1 alone is 1 s: the timer is SAP's 3 s.
    expect(at(timer, 'FireAt') - at(firstAnswer, 'Timestamp')).toBeGreaterThanOrEqual(3000);
    expect(at(timer, 'FireAt') - at(firstAnswer, 'Timestamp')).toBeLessThan(4000);
    expect(callsOf(id, 'preflight')).toHaveLength(1);
    expect((await custom(id)).message).toMatch(/HTTP 503 Service Unavailable; retrying in 3 s \(attempt 2 of 10\)/);

    clock.advance(3000);
    const done = await finished(id);
    expect(done.runtimeStatus).toBe('Completed');
    expect(callsOf(id, 'preflight')).toHaveLength(2);
    const second = ofType(done.historyEvents ?? (await history(id)), 'TaskCompleted').filter((e) => e.FunctionName === 'onboarding_preflight')[1];
    expect(at(second, 'ScheduledTime')).toBeGreaterThanOrEqual(at(timer, 'FireAt'));
  });

  it('retries a transient failure in a parallel branch without calling the other branch again', async () => {
    const id = await start({ communicationUser: ({ attempt }) => (attempt === 1 ? failTransiently('communicationUser', 3000) : succeed(defaultOutputs.communicationUser())) });
    await untilTimers(id, 1);
    clock.advance(3000);
    const done = await finished(id);
    expect(done.runtimeStatus).toBe('Completed');
    expect(callsOf(id, 'communicationUser')).toHaveLength(2);
    expect(callsOf(id, 'trustCertificate')).toHaveLength(1);
    expect(stepOf(done.customStatus as WorkflowStatus, 'communicationUser').outcome).toBe('created');
    // The pair ran in one activity; the retry is the failed step's own activity.
    const ran = ofType(await history(id), 'TaskCompleted').map((e) => e.FunctionName);
    expect(ran.slice(0, 3)).toEqual(['onboarding_preflight', 'onboarding__together', 'onboarding_communicationUser']);
  });

  it('fails clearly, naming the fix, when a run from before run.together replays one step\'s answer where the group\'s is due', async () => {
    const id = await start({ __replaced: () => succeed(defaultOutputs.trustCertificate()) });
    const done = await finished(id);
    expect(done.runtimeStatus).toBe('Failed');
    const failed = stepOf(done.customStatus as WorkflowStatus, 'trustCertificate');
    expect(failed.outcome).toBe('failed');
    expect(JSON.stringify(done.customStatus)).toMatch(/started by an earlier version of the app.*Start the run again with the same request/);
    expect(callsOf(id, 'communicationSystem')).toHaveLength(0);
  });

  it('gives up after ten transient failures, backing off 1, 2, 4, 8 and then 15 s', async () => {
    const id = await start({ verify: () => failTransiently('verify') });
    for (let n = 1; n <= 9; n++) {
      await untilTimers(id, n);
      clock.advance(15_000);
    }
    const done = await finished(id);
    expect(done.runtimeStatus).toBe('Failed');
    expect(callsOf(id, 'verify')).toHaveLength(10);
    const error = (done.customStatus as WorkflowStatus).error!;
    expect(error).toMatchObject({ step: 'verify', kind: 'Transient' });
    expect(error.message).toBe('still failing after 10 attempts: HTTP 503 Service Unavailable');
    expect(error.fix).toMatch(/^my100001 kept answering with temporary errors/);
    expect(callsOf(id, 'record')).toHaveLength(0);

    const events = await history(id);
    const answers = ofType(events, 'TaskCompleted').filter((e) => e.FunctionName === 'onboarding_verify');
    const delays = ofType(events, 'TimerCreated').map((timer, i) => Math.floor((at(timer, 'FireAt') - at(answers[i], 'Timestamp')) / 1000));
    expect(delays).toEqual([1, 2, 4, 8, 15, 15, 15, 15, 15]);
  });
});

describe('plan mode', () => {
  it('sends mode "plan" to every step, never waits for the manual step, and returns {plan: steps}', async () => {
    const id = await start({ communicationSystem: notMatching }, { mode: 'plan' });
    const done = await finished(id);
    expect(done.runtimeStatus).toBe('Completed');
    const calls = callsOf(id);
    expect(calls.map((c) => c.step).sort()).toEqual(['arrangement', 'communicationSystem', 'communicationUser', 'destination', 'preflight', 'record', 'trustCertificate', 'verify']);
    expect(calls.every((c) => c.envelope.mode === 'plan')).toBe(true);

    const output = done.output as { plan: WorkflowStatus['steps'] };
    expect(Object.keys(output)).toEqual(['plan']);
    expect(output.plan).toEqual((done.customStatus as WorkflowStatus).steps);
    expect(output.plan.map((s) => s.id)).toEqual(onboarding.steps.map((s) => s.id));
    expect(stepOf(done.customStatus as WorkflowStatus, 'communicationSystem').warnings).toEqual([expect.stringMatching(/^a person will do this by hand: Upload the BTP trust certificate/)]);
    expect(ofType(done.historyEvents ?? [], 'TimerCreated')).toHaveLength(0);
  });
});
