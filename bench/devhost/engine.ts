/**
 * devhost engine benchmark: per-hop overhead of sequential activities (durable journal included), fan-out
 * scaling, and throughput/latency of many concurrent instances. Ratios within one run; nothing is asserted.
 * Run alone: `node dist/bench/devhost/engine.js`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDurableEngine } from '../../devhost/engine';
import type { DurableEngine, FunctionRegistry } from '../../devhost/engineContract';
import { loadApp } from '../../devhost/host/appLoader';

function loadBenchApp(): FunctionRegistry {
  const compiled = path.join(__dirname, 'benchApp.js');
  if (!fs.existsSync(compiled)) throw new Error(`${compiled} is missing: run the build first`);
  return loadApp([compiled]).registrations;
}

async function withEngine<T>(
  registry: FunctionRegistry,
  label: string,
  body: (engine: DurableEngine) => Promise<T>,
  maxCompletionsPerEpisode?: number,
): Promise<T> {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), `devhost-bench-${label}-`));
  const engine = createDurableEngine({ registry, stateDir, maxCompletionsPerEpisode });
  await engine.start();
  try {
    return await body(engine);
  } finally {
    await engine.stop();
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
}

async function timeInstance(engine: DurableEngine, name: string, input: unknown): Promise<number> {
  const started = performance.now();
  const id = await engine.startNew(name, { input });
  const status = await engine.waitForCompletion(id, 600_000);
  if (status.runtimeStatus !== 'Completed') throw new Error(`${name} ended ${status.runtimeStatus}: ${String(status.output)}`);
  return performance.now() - started;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const round = (value: number, digits = 3): number => Number(value.toFixed(digits));

export async function runDevhostBench(): Promise<Record<string, number | string>> {
  const registry = loadBenchApp();
  const results: Record<string, number | string> = {};

  await withEngine(registry, 'sequence', async (engine) => {
    for (let i = 0; i < 3; i++) await timeInstance(engine, 'BenchSequence', 10); // warm-up
    const runs: number[] = [];
    for (let i = 0; i < 15; i++) runs.push(await timeInstance(engine, 'BenchSequence', 10));
    results['sequential hop overhead (ms, 10 no-op activities, durable)'] = round(median(runs) / 10);
  });

  await withEngine(registry, 'fanout', async (engine) => {
    await timeInstance(engine, 'BenchFanOut', 100); // warm-up
    await timeInstance(engine, 'BenchFanOut', 500);
    // Interleaved, so that GC and machine noise fall on both sizes alike; t(100) is only a few ms.
    const runs100: number[] = [];
    const runs500: number[] = [];
    for (let i = 0; i < 15; i++) {
      runs100.push(await timeInstance(engine, 'BenchFanOut', 100));
      runs500.push(await timeInstance(engine, 'BenchFanOut', 500));
    }
    const t100 = median(runs100);
    const t500 = median(runs500);
    results['fan-out 100 (ms)'] = round(t100, 1);
    results['fan-out 500 (ms)'] = round(t500, 1);
    results['fan-out ratio t(500) / (5 x t(100))'] = round(t500 / (5 * t100), 2);
  });

  await withEngine(
    registry,
    'fanout-single',
    async (engine) => {
      const t100 = median(await sequentially(2, () => timeInstance(engine, 'BenchFanOut', 100)));
      const t500 = await timeInstance(engine, 'BenchFanOut', 500);
      results['one-per-episode fan-out ratio (for comparison)'] = round(t500 / (5 * t100), 2);
    },
    1,
  );

  await withEngine(registry, 'throughput', async (engine) => {
    const count = 200;
    const started = performance.now();
    const latencies = await Promise.all(Array.from({ length: count }, () => timeInstance(engine, 'BenchSequence', 3)));
    const elapsed = performance.now() - started;
    results['instances/s (200 concurrent 3-activity sequences)'] = round((count / elapsed) * 1000, 1);
    // A burst: the FIFO activity pool moves all instances in lockstep, so p50 ≈ p99 ≈ the whole burst.
    results['burst latency p50 (ms)'] = round(percentile(latencies, 50), 1);
    results['burst latency p99 (ms)'] = round(percentile(latencies, 99), 1);
  });

  await withEngine(registry, 'latency', async (engine) => {
    // Open loop: one new instance every 2 ms, the latency a caller sees under steady load.
    const running: Promise<number>[] = [];
    for (let i = 0; i < 200; i++) {
      running.push(timeInstance(engine, 'BenchSequence', 3));
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const latencies = await Promise.all(running);
    results['instance latency p50 (ms, 3-activity sequence, 1 start / 2 ms)'] = round(percentile(latencies, 50), 2);
    results['instance latency p99 (ms, 3-activity sequence, 1 start / 2 ms)'] = round(percentile(latencies, 99), 2);
  });
  return results;
}

async function sequentially<T>(times: number, run: () => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < times; i++) out.push(await run());
  return out;
}

if (require.main === module) {
  runDevhostBench()
    .then((results) => {
      const width = Math.max(...Object.keys(results).map((k) => k.length));
      console.log('devhost engine benchmark');
      for (const [key, value] of Object.entries(results)) console.log(`  ${key.padEnd(width)}  ${value}`);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
