/**
 * Issue 9, reliability: whatever happens to devhost or to SAP's answers, a rotation ends in one of two
 * states — fully rotated with every tenant verified, or rolled back with every tenant on the old
 * certificate — and no tenant is left on a certificate BTP does not sign with.
 *   1. kill -9 devhost at a random moment of a rotation, restart it on the same DATA_DIR and Azurite
 *      (KILL_RUNS times; the moments are spread over the whole run, rollback window and deletion included);
 *   2. 20 % transient errors and 5 % lost answers (hangs and answers lost after SAP committed) on every
 *      SAP endpoint: S/4, XSUAA, the Destination service.
 */
import { rotationDoors, type RotationView } from '../../support/rotationStack';
import { startOnboardingStack, type OnboardingStack } from '../../support/onboardingStack';

const KILL_RUNS = Number(process.env.ROTATION_KILL_RUNS ?? 20);
const LATENCY_MS = 40;
/** The rollback window of these rotations: long enough to kill inside it, short enough to end. */
const WINDOW_DAYS = 1.5 / 86_400;
const SAP_HTTP_TIMEOUT_MS = 1500;

jest.setTimeout(30 * 60_000);

let stack: OnboardingStack;
let doors: ReturnType<typeof rotationDoors>;
let subaccountId: string;
const tenants = () => [stack.landscapes[0].tenant, ...stack.extraTenants.map((t) => t.tenant)];

beforeAll(async () => {
  stack = await startOnboardingStack({ landscapes: 1, extraTenants: 3, devhostEnv: { SAP_HTTP_TIMEOUT_MS: String(SAP_HTTP_TIMEOUT_MS) } });
  doors = rotationDoors(stack);
  subaccountId = stack.landscapes[0].subaccountId;
  const views = await Promise.all([stack.landscapes[0].request(), ...stack.extraTenants.map((t) => t.request())].map((r) => stack.onboard(r)));
  for (const v of views) expect(v.status).toBe('completed');
}, 300_000);

afterAll(async () => {
  await stack?.stop();
});

type EndState = 'rotated' | 'rolled back';

/** Which of the two end states the landscape is in; throws when it is in neither. */
async function endState(view: RotationView, oldFingerprint: string): Promise<EndState> {
  const timeline = await doors.timeline();
  const broken = tenants().filter((t) => timeline[t]?.mismatched !== false);
  if (broken.length) throw new Error(`${view.id} ended ${view.status} with tenants on another certificate than BTP's: ${broken.join(', ')} (${JSON.stringify(view.error ?? view.result)})`);
  const active = (await doors.certificates(subaccountId)).active?.fingerprint256;
  if (active === oldFingerprint) return 'rolled back';
  if (view.status !== 'completed' || view.result?.outcome !== 'rotated') throw new Error(`${view.id}: BTP rotated but the run ended ${view.status} ${JSON.stringify(view.error ?? view.result)}`);
  const unverified = (view.result.tenants as Array<{ tenantHost: string; verified: boolean }>).filter((t) => !t.verified);
  if (unverified.length) throw new Error(`${view.id}: rotated, but not verified on ${unverified.map((t) => t.tenantHost).join(', ')}`);
  return 'rotated';
}

describe('kill -9 devhost at random moments of a rotation', () => {
  it(`every one of ${KILL_RUNS} runs ends fully rotated and verified, or rolled back`, async () => {
    await stack.setLatency(LATENCY_MS);
    const killedAt: string[] = [];
    const ends: EndState[] = [];
    // Spread the kills: a rotation of 4 tenants at 40 ms takes about 2-4 s to its window, plus the 1.5 s window.
    const spread = (run: number) => 50 + ((run * 2654435761) % 1000) / 1000 * 3200;
    for (let run = 0; run < KILL_RUNS; run++) {
      const old = (await doors.certificates(subaccountId)).active!.fingerprint256;
      const started = await doors.start({ subaccountId, rollbackWindowDays: WINDOW_DAYS });
      await new Promise((r) => setTimeout(r, spread(run)));
      const before = await doors.get(started.id);
      killedAt.push(before.status === 'completed' ? 'after the end' : (before.current?.step ?? 'start'));
      await stack.crashAndRestartDevhost();
      const done = await doors.waitFor(started.id, undefined, 300_000);
      ends.push(await endState(done, old));
    }
    const byStep = killedAt.reduce<Record<string, number>>((m, s) => ({ ...m, [s]: (m[s] ?? 0) + 1 }), {});
    console.log(`rotation kill runs: killed during ${JSON.stringify(byStep)}; ended ${ends.filter((e) => e === 'rotated').length} rotated, ${ends.filter((e) => e === 'rolled back').length} rolled back`);
    expect(ends).toHaveLength(KILL_RUNS);
    // Where the kills land depends on how fast this machine runs the rotation (Node 20 spread them over 4-6
    // steps, Node 22 once over 3); the log above reports it. The end states are the assertion.
    expect(Object.keys(byStep).length).toBeGreaterThanOrEqual(2);
    await stack.setLatency(0);
  });
});

describe('20 % transient errors and 5 % lost answers on every SAP endpoint', () => {
  it('rotations end fully rotated and verified, or rolled back, with no tenant left broken', async () => {
    const ends: EndState[] = [];
    const faults = { errorRate: 0.2 / 0.95, hangRate: 0.025, lostResponseRate: 0.025 / 0.975 };
    for (let run = 0; run < 3; run++) {
      const old = (await doors.certificates(subaccountId)).active!.fingerprint256;
      await stack.setFaults([
        { host: 's4hana\\.ondemand\\.com$', status: 503, ...faults },
        { host: '.', status: 429, retryAfterSeconds: 1, ...faults },
      ]);
      let done: RotationView;
      let started: RotationView | undefined;
      try {
        // The start itself reads only the registry: no SAP call, no fault.
        started = await doors.start({ subaccountId, rollbackWindowDays: WINDOW_DAYS });
        done = await doors.waitFor(started.id, undefined, 600_000);
      } finally {
        await stack.clearFaults();
      }
      ends.push(await endState(done, old));
    }
    console.log(`rotations under faults ended: ${ends.join(', ')}`);
    expect(ends).toHaveLength(3);
  });
});
