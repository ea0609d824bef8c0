/**
 * Cold start: how long the app entry takes to load in a fresh process, against a bare
 * `@azure/functions` + `durable-functions` load (the least any Durable Functions app loads), each in
 * its own process (loadProbe.js), alternating, median of several. The entry load is measured with
 * telemetry off and on (APPLICATIONINSIGHTS_CONNECTION_STRING set, as in Azure); the Azure Monitor
 * distro then starts in the appStart hook, after the load and before the first invocation: that start
 * is reported on its own. Also reports the deployment package (scripts/packageApp.js): its zip
 * size and file count.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BenchFigure } from '../run';

const ROUNDS = 9;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

interface LoadTime {
  wallMs: number;
  cpuMs: number;
}

function probe(mode: 'bare' | 'app' | 'telemetry', entry: string, env: NodeJS.ProcessEnv): LoadTime {
  const out = execFileSync(process.execPath, [join(__dirname, 'loadProbe.js'), mode, entry], { env, encoding: 'utf8' });
  const [wallMs, cpuMs] = out.trim().split(/\s+/).map(Number);
  if (!Number.isFinite(wallMs) || !Number.isFinite(cpuMs)) throw new Error(`loadProbe ${mode} printed ${JSON.stringify(out)}`);
  return { wallMs, cpuMs };
}

export async function runColdStartBench(): Promise<BenchFigure[]> {
  const repoRoot = resolve(__dirname, '../../..');
  const entry = join(repoRoot, 'dist/functions/index.js');
  const quiet = { ...process.env, APPLICATIONINSIGHTS_CONNECTION_STRING: '' };
  const withTelemetry = {
    ...process.env,
    APPLICATIONINSIGHTS_CONNECTION_STRING: 'InstrumentationKey=00000000-0000-4000-8000-000000000000;IngestionEndpoint=https://127.0.0.1:9/',
    APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true',
  };
  const bare: LoadTime[] = [];
  const app: LoadTime[] = [];
  const appWithTelemetry: LoadTime[] = [];
  const telemetryStart: LoadTime[] = [];
  probe('bare', entry, quiet); // warm the file system cache once
  for (let i = 0; i < ROUNDS; i++) {
    bare.push(probe('bare', entry, quiet));
    app.push(probe('app', entry, quiet));
    appWithTelemetry.push(probe('app', entry, withTelemetry));
    telemetryStart.push(probe('telemetry', entry, withTelemetry));
  }
  const wall = (xs: LoadTime[]) => median(xs.map((x) => x.wallMs));
  const cpu = (xs: LoadTime[]) => median(xs.map((x) => x.cpuMs));
  const [b, a, t, s] = [wall(bare), wall(app), wall(appWithTelemetry), wall(telemetryStart)];
  const [bc, ac] = [cpu(bare), cpu(app)];

  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { packageApp } = require(join(repoRoot, 'scripts/packageApp.js')) as { packageApp(o: { outDir: string }): { files: string[]; zipBytes: number; unpackedBytes: number } };
  const outDir = mkdtempSync(join(tmpdir(), 'bench-package-'));
  let pkg: { files: string[]; zipBytes: number; unpackedBytes: number };
  try {
    pkg = packageApp({ outDir });
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
  const mib = (n: number) => n / 2 ** 20;
  return [
    { workload: 'app entry load, telemetry off', measure: 'app ÷ bare SDK load (wall)', value: a / b, aim: '≤ 1.5', note: `median of ${ROUNDS}: app ${a.toFixed(0)} ms, bare @azure/functions + durable-functions ${b.toFixed(0)} ms` },
    { workload: 'app entry load, telemetry off', measure: 'app ÷ bare SDK load (CPU)', value: ac / bc, aim: '≤ 1.5', note: `median of ${ROUNDS}: app ${ac.toFixed(0)} ms, bare ${bc.toFixed(0)} ms of CPU time (steadier than wall time on a shared machine)` },
    { workload: 'app entry load, telemetry on', measure: 'app ÷ bare SDK load (wall)', value: t / b, aim: '≤ 1.5', note: `median of ${ROUNDS}: ${t.toFixed(0)} ms` },
    { workload: 'telemetry start (appStart hook, Azure only)', measure: 'time', value: s, unit: 'ms', aim: 'report', note: `median of ${ROUNDS}: the Azure Monitor distro, once per instance, before the first invocation; ${(s / b).toFixed(2)} × the bare SDK load` },
    { workload: 'deployment package', measure: 'zip size', value: mib(pkg.zipBytes), unit: 'MiB', aim: 'report', note: `${pkg.files.length} files, ${mib(pkg.unpackedBytes).toFixed(1)} MiB unpacked` },
  ];
}
