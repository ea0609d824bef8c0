/**
 * bench/onboarding (issue 4): the whole product on loopback — devhost as a child process running the
 * compiled app, the SAP sandbox answering every SAP call after 50 ms.
 *   (a) one onboarding (the median of three, each on a new tenant): wall time ÷ the SAP latency on its
 *       critical path (see criticalPath.ts), and where the time above it went;
 *   (b) 100 tenants started together, activity concurrency 10 (host.json): wall ÷ (10 × one tenant);
 *   (c) devhost's peak RSS during (b), from /proc/<pid>/status VmHWM (reset just before (b)).
 *   (d) the floor of (b): with 10 activity slots, 100 onboardings need at least 100 × (one onboarding's
 *       activity slot time, from its durable history: activitySlots.ts) ÷ 10, so (b) cannot fall below
 *       that ÷ (10 × one).
 * Every run starts from a fresh temporary DATA_DIR, so each onboarding creates everything.
 * BENCH_CPU_PROF_DIR=<dir> profiles devhost; BENCH_SHOW_CALLS=1 prints the SAP calls of (a).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startSandbox } from '../../sandbox';
import { devhostKeysFile } from '../../cli/target';
import { activitySlotMs } from './activitySlots';
import { loadSeed } from '../../sandbox/core/seedFile';
import { OnboardingApi } from '../../cli/onboardingApi';
import { FINAL_STATUSES, type OnboardingView } from '../../cli/onboardingView';
import { prepareOnboarding, seededLandscape, type PreparedOnboarding, type SeededS4Tenant } from '../../cli/sandboxOnboarding';
import type { BenchFigure, BenchReport } from '../run';
import { criticalPath, type CriticalPath, type LoggedCall } from './criticalPath';
import { processCpuSeconds, spawnDevhost } from './devhostProcess';
import { bareInsertMs, tableWritesOnPath } from './storageFloor';
import { startAzuriteTable } from '../../devhost/azurite/azuriteTable';
import { machineCpuTimes, stolenShare } from '../stolenCpu';

const LATENCY_MS = 50;
const TENANTS = 100;
/** One onboarding is measured this many times, each on a new tenant; the figures are of the median run. */
const SINGLE_RUNS = 3;
const ACTIVITY_CONCURRENCY = 10;
const REPO_ROOT = resolve(__dirname, '../../..');

export async function runOnboardingBench(): Promise<BenchReport> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sap-trust-bench-'));
  const base = loadSeed(undefined);
  const landscape = seededLandscape(base);
  const template = landscape.s4Tenants[0];
  // Extra tenants for the warm-up and the single runs, then the hundred.
  const extra: SeededS4Tenant[] = Array.from({ length: 1 + SINGLE_RUNS + TENANTS }, (_, i) => ({
    tenant: `my${String(700000 + i)}`,
    bootstrapUser: { name: template.bootstrapUser.name, password: randomBytes(18).toString('base64url') },
  }));
  const seed = { ...base, s4Tenants: [...((base.s4Tenants as unknown[]) ?? []), ...extra] };

  // The sandbox's own RSA work is not SAP latency: 2048-bit keys keep it small next to the injected 50 ms.
  process.env.SANDBOX_CERT_KEY_BITS ??= '2048';
  // The bench's own Azurite (devhost uses one already listening), so it can read its CPU and time a bare insert.
  const azurite = await startAzuriteTable({ location: join(dataDir, 'azurite') });
  let sandbox: Awaited<ReturnType<typeof startSandbox>> | undefined;
  let devhost: Awaited<ReturnType<typeof spawnDevhost>> | undefined;
  try {
    sandbox = await startSandbox({ port: 0, dataDir, seed, quiet: true, latencyMs: 0 });
    devhost = await spawnDevhost({
      dataDir,
      repoRoot: REPO_ROOT,
      env: { SAP_CONNECT_TO: sandbox.connectTo, SAP_EXTRA_CA_FILE: sandbox.caFile, SECRET_STORE: 'file', AzureWebJobsStorage: azurite.connectionString },
      // BENCH_CPU_PROF_DIR: devhost writes a CPU profile there (as in bench/certificates).
      nodeArgs: process.env.BENCH_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`] : [],
    });
    const api = new OnboardingApi({ baseUrl: devhost.url, key: devhost.key });
    const prepared = extra.map((t) => prepareOnboarding(landscape.subaccounts[0], t));
    const stored = new Set<string>();
    for (const p of prepared) {
      for (const c of p.credentials) {
        if (stored.has(c.name)) continue;
        await api.putCredential(c.name, c.value, c.contentType);
        stored.add(c.name);
      }
    }
    await admin(sandbox.adminUrl, 'PUT', '/latency', { ms: LATENCY_MS });

    const [warmUp, ...rest] = prepared;
    const singles = rest.slice(0, SINGLE_RUNS);
    const many = rest.slice(SINGLE_RUNS);
    const cold = await onboardOne(api, warmUp);

    // (d) a plan of the first single onboarding before it runs: reads and diffs only.
    const planStarted = Date.now();
    const plan = await planOne(devhost.url, devhost.key, singles[0].request);
    const planWallMs = Date.now() - planStarted;

    // (a) one onboarding against its critical path, the median of a few: one run moves by ±30 ms.
    const runs: { one: Awaited<ReturnType<typeof onboardOne>>; entries: LoggedCall[] }[] = [];
    const singlesCpuBefore = machineCpuTimes();
    for (const single of singles) {
      await admin(sandbox.adminUrl, 'DELETE', '/requests');
      const one = await onboardOne(api, single);
      const { requests } = (await admin(sandbox.adminUrl, 'GET', '/requests')) as { requests: LoggedCall[] };
      runs.push({ one, entries: requests.filter((c) => Date.parse(c.at) >= one.startedAt) });
    }
    const singlesSteal = stolenShare(singlesCpuBefore, machineCpuTimes());
    runs.sort((a, b) => a.one.wallMs - b.one.wallMs);
    const { one, entries } = runs[Math.floor(runs.length / 2)];
    const singleWalls = runs.map((r) => r.one.wallMs).join(', ');
    const path = criticalPath(entries);
    if (process.env.BENCH_SHOW_CALLS) for (const c of entries) console.log(JSON.stringify(c));
    const pathMs = path.sequentialCalls * LATENCY_MS;
    const own = productTime(one, path);
    const tableWrites = tableWritesOnPath(one.view.steps);
    const insertMs = await bareInsertMs(azurite.connectionString);
    const floorMs = path.sapMs + (tableWrites.intents + tableWrites.rows) * insertMs;
    // Where the rest went: inside the steps (activity code, SAP processing beyond the injected
    // latency) or between them (orchestration hops, HTTP start, status polling).
    const inStepsMs = one.view.steps.reduce((sum, st) => sum + (st.durationMs ?? 0), 0);
    const slotMs = activitySlotMs(await historyOf(devhost.url, masterKey(dataDir), one.view.id));

    // (b) + (c) a hundred tenants at once.
    const peakReset = devhost.resetPeak();
    const devhostCpuBefore = devhost.cpuSeconds() ?? NaN;
    const azuriteCpuBefore = processCpuSeconds(azurite.pid!) ?? NaN;
    const benchCpuBefore = process.cpuUsage();
    const machineCpuBefore = machineCpuTimes();
    const started = Date.now();
    const views = await Promise.all(many.map((p) => api.startOnboarding(p.request)));
    const ids = new Set(views.map((v) => v.id));
    const { finals, endedAt } = await waitUntilFinal(api, ids);
    const manyWallMs = endedAt - started;
    const manySteal = stolenShare(machineCpuBefore, machineCpuTimes());
    const peakRss = devhost.peakRssMiB();
    const devhostCpu = (devhost.cpuSeconds() ?? NaN) - devhostCpuBefore;
    const azuriteCpu = (processCpuSeconds(azurite.pid!) ?? NaN) - azuriteCpuBefore;
    const benchCpu = process.cpuUsage(benchCpuBefore);
    const sandboxCpu = (benchCpu.user + benchCpu.system) / 1e6;
    const completed = [...finals.values()].filter((v) => v.status === 'completed').length;

    const figures: BenchFigure[] = [
      {
        workload: 'one onboarding',
        measure: 'wall ÷ critical path of SAP latency',
        value: one.wallMs / pathMs,
        aim: '≤ 1.10',
        note: `wall ${one.wallMs} ms (${one.view.status}), the median of ${SINGLE_RUNS} runs (${singleWalls} ms; hypervisor ${singlesSteal}), whose other figures follow; ${path.sequentialCalls} sequential of ${path.calls} SAP calls × ${LATENCY_MS} ms = ${pathMs} ms; its steps took ${inStepsMs} ms in all (parallel steps overlap); first (cold) onboarding ${cold.wallMs} ms`,
      },
      { workload: 'one onboarding', measure: 'wall time', value: one.wallMs, unit: 'ms', aim: 'report' },
      {
        workload: 'one onboarding',
        measure: 'wall ÷ SAP time on the critical path, as the simulator took it',
        value: one.wallMs / path.sapMs,
        aim: 'report',
        note: `the calls on the critical path took ${path.sapMs} ms: ${pathMs} ms of injected latency and ${path.sapMs - pathMs} ms of the simulator's own processing (most of it signing and checking the SAML assertion of find destination); the product's own ${one.wallMs - path.sapMs} ms: ${own.beforeMs} ms before the first SAP call (HTTP start, first step), ${own.betweenMs} ms between SAP calls (step hops, journal intents, stored password), ${own.afterMs} ms after the last (record, completion, the bench's 10 ms status poll)`,
      },
      {
        workload: 'one onboarding',
        measure: 'floor of wall ÷ critical path: SAP as the simulator took it, plus the table writes on the path',
        value: floorMs / pathMs,
        aim: 'report',
        note: `${path.sapMs} ms of SAP calls, plus ${tableWrites.intents} journal intents (issue 7; steps writing side by side share one) and ${tableWrites.rows} registry row at a bare Azurite insert's ${insertMs.toFixed(1)} ms (median of 30): ${Math.round(floorMs)} ms, with nothing else the product does (HTTP start, activity hops, reads of its own rows, completion)`,
      },
      { workload: 'one onboarding', measure: 'sequential SAP calls on the critical path', value: path.sequentialCalls, aim: '≤ 11', note: `of ${path.calls} SAP calls in all` },
      {
        workload: 'plan of one onboarding',
        measure: 'wall ÷ wall of a run that writes',
        value: planWallMs / one.wallMs,
        aim: 'report',
        note: `plan ${planWallMs} ms (${plan.status}, ${plan.steps.filter((st) => st.plan?.action === 'create').length} steps would create), run ${one.wallMs} ms`,
      },
      {
        workload: `${TENANTS} tenants together, activity concurrency ${ACTIVITY_CONCURRENCY}`,
        measure: `wall ÷ (${ACTIVITY_CONCURRENCY} × one tenant)`,
        value: manyWallMs / (ACTIVITY_CONCURRENCY * one.wallMs),
        aim: '≤ 1.3',
        note: `wall ${manyWallMs} ms, one tenant ${one.wallMs} ms, ${completed}/${TENANTS} completed; CPU during the run: devhost ${devhostCpu.toFixed(1)} s, Azurite ${azuriteCpu.toFixed(1)} s, sandbox + bench client ${sandboxCpu.toFixed(1)} s, machine load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores, hypervisor ${manySteal}`,
      },
      {
        workload: `${TENANTS} tenants together`,
        measure: `floor of wall ÷ (${ACTIVITY_CONCURRENCY} × one tenant) set by the activity slots`,
        value: slotMs / one.wallMs,
        aim: 'report',
        note: `one onboarding's activities hold a slot ${slotMs} ms in all (steps run together share one) against its wall of ${one.wallMs} ms`,
      },
      { workload: `${TENANTS} tenants together`, measure: 'onboardings completed', value: completed, aim: `${TENANTS}` },
      {
        workload: `${TENANTS} tenants together`,
        measure: `devhost peak RSS (VmHWM${peakReset ? ', reset before the run' : ', since start'})`,
        value: peakRss ?? NaN,
        unit: 'MiB',
        aim: 'report',
      },
    ];
    const failed = [...finals.values()].find((v) => v.status !== 'completed');
    if (failed) figures.push({ workload: 'first failure', measure: `${failed.id}: ${failed.error?.step ?? failed.status} ${failed.error?.message ?? ''}`.trim(), value: NaN });
    return { name: 'onboarding', figures };
  } finally {
    await devhost?.stop();
    await sandbox?.stop();
    await azurite.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Where one onboarding's wall time went outside the SAP calls of its critical path. */
function productTime(one: { startedAt: number; wallMs: number }, path: CriticalPath): { beforeMs: number; betweenMs: number; afterMs: number } {
  if (path.firstStart === undefined || path.lastEnd === undefined) return { beforeMs: NaN, betweenMs: NaN, afterMs: NaN };
  const beforeMs = path.firstStart - one.startedAt;
  const afterMs = one.startedAt + one.wallMs - path.lastEnd;
  return { beforeMs, afterMs, betweenMs: one.wallMs - path.sapMs - beforeMs - afterMs };
}

async function onboardOne(api: OnboardingApi, p: PreparedOnboarding): Promise<{ startedAt: number; wallMs: number; view: OnboardingView }> {
  const started = Date.now();
  let view = await api.startOnboarding(p.request);
  while (!FINAL_STATUSES.has(view.status)) {
    if (view.status === 'waiting for manual step') throw new Error(`${view.id} waits for a manual step; the bench needs API certificate upload`);
    await sleep(10);
    view = await api.getOnboarding(view.id);
  }
  const wallMs = Date.now() - started;
  if (view.status !== 'completed') throw new Error(`${view.id} ${view.status}: ${view.error?.step} ${view.error?.message}`);
  return { startedAt: started, wallMs, view };
}

/** POST /api/onboardings/plans answers 200 with the plan once it is done (within its own wait). */
/** The run's durable history from devhost's management API (the master key, as for Azure's). */
async function historyOf(baseUrl: string, key: string, id: string): Promise<Record<string, unknown>[]> {
  const res = await fetch(`${baseUrl}/runtime/webhooks/durabletask/instances/${encodeURIComponent(id)}?showHistory=true`, { headers: { 'x-functions-key': key } });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`history of ${id}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return (JSON.parse(text) as { historyEvents?: Record<string, unknown>[] }).historyEvents ?? [];
}

function masterKey(dataDir: string): string {
  return (JSON.parse(readFileSync(devhostKeysFile(dataDir), 'utf8')) as { masterKey: string }).masterKey;
}

async function planOne(baseUrl: string, key: string, request: unknown): Promise<OnboardingView> {
  const res = await fetch(`${baseUrl}/api/onboardings/plans`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-functions-key': key }, body: JSON.stringify(request) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`plan: HTTP ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as OnboardingView;
}

/** The runs' final views, and when the bench saw the last of them end (before it fetched those views). */
async function waitUntilFinal(api: OnboardingApi, ids: Set<string>): Promise<{ finals: Map<string, OnboardingView>; endedAt: number }> {
  const deadline = Date.now() + 15 * 60_000;
  // Only the runs still going are listed while waiting, so each poll shrinks as runs finish: the views
  // devhost builds and the bench parses for it are load on the two cores being measured.
  for (;;) {
    const going = (await api.listOnboardings([...STILL_GOING])).filter((v) => ids.has(v.id));
    if (going.length === 0) break;
    if (Date.now() > deadline) throw new Error(`${going.length} of ${ids.size} onboardings still running after 15 minutes`);
    // Coarse on purpose, for the same reason.
    await sleep(200);
  }
  const endedAt = Date.now();
  const mine = (await api.listOnboardings()).filter((v) => ids.has(v.id));
  return { finals: new Map(mine.map((v) => [v.id, v])), endedAt };
}

/** Still going: a run waiting for a person stops the wait too (the bench's runs need none), and the completed count shows it. */
const STILL_GOING = ['pending', 'running', 'suspended'] as const;

async function admin(adminUrl: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${adminUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`sandbox ${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
  return text ? JSON.parse(text) : undefined;
}
