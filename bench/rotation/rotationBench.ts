/**
 * bench/rotation (issue 9): the rotation of one subaccount with 200 tenants, every SAP call answered
 * after 50 ms. The 200 tenants are onboarded for real first (sandbox latency 0, so seeding stays short),
 * then the latency goes to 50 ms and the sandbox's timeline is cleared. Figures:
 *   - the longest outage window of any tenant: the sandbox timeline's longest closed mismatch (the time
 *     BTP signs with a certificate the tenant's system does not hold), aim ≤ 2 s (sequential ≈ 30 s);
 *   - the wall time of the rotation, from POST /api/rotations until every tenant is verified and recorded
 *     (the run then waits in its rollback window, which is not work);
 *   - token exchanges refused after the rotation (must be 0).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { adminRequest } from '../../test/support/sandboxClient';
import { startOnboardingStack, type OnboardingStack } from '../../test/support/onboardingStack';
import type { BenchReport } from '../run';

const TENANTS = 200;
const LATENCY_MS = 50;
/** Onboardings started together while seeding; devhost bounds activities to 10 anyway. */
const SEED_PARALLEL = 25;

export async function runRotationBench(): Promise<BenchReport> {
  const seedStarted = Date.now();
  const stack = await startOnboardingStack({ landscapes: 1, extraTenants: TENANTS - 1, sandboxPersistDebounceMs: 5_000 });
  try {
    const requests = [stack.landscapes[0].request(), ...stack.extraTenants.map((t) => t.request())];
    for (let i = 0; i < requests.length; i += SEED_PARALLEL) {
      const views = await Promise.all(requests.slice(i, i + SEED_PARALLEL).map((r) => stack.onboard(r, 600_000))).catch((e: Error) => {
        throw new Error(`${e.message}\ndevhost said:\n${stack.devhostOutput().slice(-2000)}`);
      });
      const failed = views.filter((v) => v.status !== 'completed');
      if (failed.length) throw new Error(`seeding: onboarding ${failed[0].id} ${failed[0].status}`);
    }
    const seedSeconds = (Date.now() - seedStarted) / 1000;
    const tenants = [stack.landscapes[0].tenant, ...stack.extraTenants.map((t) => t.tenant)];
    const deniedBefore = await deniedTokenExchanges(stack, tenants);

    await stack.setLatency(LATENCY_MS);
    await adminRequest(stack.sandbox, '/timeline', { method: 'DELETE' });
    const started = Date.now();
    const answer = await stack.api('POST', '/api/rotations', { subaccountId: stack.landscapes[0].subaccountId, rollbackWindowDays: 1 });
    if (answer.status !== 202) throw new Error(`POST /api/rotations: ${answer.status} ${answer.text}`);
    const id = answer.body.id as string;
    for (;;) {
      const view = (await stack.api('GET', `/api/rotations/${id}`)).body;
      if (view.current?.step === 'rollbackWindow') break;
      if (['failed', 'completed', 'terminated'].includes(view.status)) throw new Error(`rotation ${id} ended ${view.status}: ${JSON.stringify(view.error)}`);
      if (Date.now() - started > 600_000) throw new Error(`rotation ${id} did not reach its rollback window in 10 minutes`);
      await sleep(100);
    }
    const wallSeconds = (Date.now() - started) / 1000;
    await stack.setLatency(0);

    const timeline = (await adminRequest(stack.sandbox, '/timeline')).json<{ tenants: Record<string, { mismatched: boolean; longestClosedMismatchMs: number | null; mismatches: Array<{ start: string; end: string | null }> }> }>().tenants;
    // Where the window goes: the pushes' spread (first to last PATCH) and the rotation after the last push.
    const starts = tenants.flatMap((t) => timeline[t]?.mismatches.map((m) => Date.parse(m.start)) ?? []);
    const ends = tenants.flatMap((t) => timeline[t]?.mismatches.map((m) => (m.end ? Date.parse(m.end) : NaN)) ?? []).filter((x) => !Number.isNaN(x));
    const pushSpreadMs = Math.max(...starts) - Math.min(...starts);
    const rotateLagMs = Math.max(...ends) - Math.max(...starts);
    const windows = tenants.map((t) => timeline[t]?.longestClosedMismatchMs ?? 0);
    const stillMismatched = tenants.filter((t) => timeline[t]?.mismatched).length;
    const longest = Math.max(...windows);
    const median = [...windows].sort((a, b) => a - b)[Math.floor(windows.length / 2)];
    const deniedAfter = (await deniedTokenExchanges(stack, tenants)) - deniedBefore;
    return {
      name: 'rotation',
      figures: [
        { workload: `rotation, ${TENANTS} tenants, ${LATENCY_MS} ms per SAP call`, measure: 'longest outage window of any tenant (sandbox timeline)', value: longest / 1000, unit: 's', aim: '≤ 2', note: `median ${(median / 1000).toFixed(2)} s; pushes spread over ${(pushSpreadMs / 1000).toFixed(2)} s, rotation ${(rotateLagMs / 1000).toFixed(2)} s after the last push; ${stillMismatched} tenant(s) still mismatched at the end` },
        { workload: 'the same', measure: 'wall time of the rotation (POST → every tenant verified and recorded)', value: wallSeconds, unit: 's', aim: 'report', note: `seeding ${TENANTS} real onboardings took ${seedSeconds.toFixed(0)} s` },
        { workload: 'the same', measure: 'token exchanges refused during and after the rotation', value: deniedAfter, aim: '0', note: 'the verify step runs one exchange per tenant after the cut-over' },
      ],
    };
  } finally {
    await stack.stop();
  }
}

async function deniedTokenExchanges(stack: OnboardingStack, tenants: string[]): Promise<number> {
  const state = await stack.sandboxState();
  return tenants.reduce((n, t) => n + (state.services.s4.tenants[t].tokenLog as Array<{ outcome: string }>).filter((e) => e.outcome === 'denied').length, 0);
}
