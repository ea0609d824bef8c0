/**
 * `npm run bench`: runs every benchmark module under bench/<area>/ (each exports one or more
 * `run…Bench()` functions), prints their figures as one table and writes bench/results/latest.json.
 * Figures are reported, never asserted. `npm run bench -- onboarding` runs only matching modules.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, relative, resolve } from 'node:path';

export interface BenchFigure {
  workload: string;
  /** What is measured, e.g. "wall ÷ critical path". */
  measure: string;
  value: number;
  unit?: string;
  /** The aim, as text (e.g. "≤ 1.10"), or "report". */
  aim?: string;
  /** How the number came about (inputs of the ratio). */
  note?: string;
}

export interface BenchReport {
  name: string;
  figures: BenchFigure[];
}

interface ModuleResult {
  module: string;
  bench: string;
  ok: boolean;
  figures: BenchFigure[];
  raw?: unknown;
  error?: string;
  seconds: number;
}

const BENCH_FUNCTION = /^run[A-Z]\w*Bench$/;
/** How tsc's CommonJS output exports one; files without it (bench apps, helpers) are never loaded. */
const COMPILED_BENCH_EXPORT = /\bexports\.run[A-Z]\w*Bench\s*=/;

export function findBenchModules(distBench: string): string[] {
  const found: string[] = [];
  for (const area of readdirSync(distBench).sort()) {
    const dir = join(distBench, area);
    if (!statSync(dir).isDirectory() || area === 'results') continue;
    for (const file of readdirSync(dir).sort()) {
      if (file.endsWith('.js') && COMPILED_BENCH_EXPORT.test(readFileSync(join(dir, file), 'utf8'))) found.push(join(dir, file));
    }
  }
  return found;
}

/**
 * Accepts a BenchReport, a list of figures, or a flat record of named numbers
 * (`{"fan-out 100 (ms)": 16.1}`); anything else is kept raw in the JSON.
 */
export function figuresOf(result: unknown): BenchFigure[] | undefined {
  const list = Array.isArray(result) ? result : (result as { figures?: unknown })?.figures;
  if (!Array.isArray(list)) {
    if (!result || typeof result !== 'object') return undefined;
    const entries = Object.entries(result as Record<string, unknown>);
    if (!entries.length || !entries.every(([, v]) => typeof v === 'number')) return undefined;
    return entries.map(([measure, value]) => ({ workload: '', measure, value: value as number }));
  }
  const ok = list.every((f) => f && typeof f === 'object' && typeof f.value === 'number' && (typeof f.measure === 'string' || typeof f.workload === 'string'));
  return ok ? (list as BenchFigure[]) : undefined;
}

function formatValue(f: BenchFigure): string {
  const v = Math.abs(f.value) >= 100 ? f.value.toFixed(0) : Math.abs(f.value) >= 10 ? f.value.toFixed(1) : f.value.toFixed(3);
  return f.unit ? `${v} ${f.unit}` : v;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => (cell ?? '').padEnd(widths[c])).join('  ').trimEnd()).join('\n');
}

async function main(filters: string[]): Promise<void> {
  const distBench = __dirname;
  const repoRoot = resolve(distBench, '../..');
  const results: ModuleResult[] = [];
  for (const file of findBenchModules(distBench)) {
    const name = relative(distBench, file).replace(/\.js$/, '');
    if (filters.length && !filters.some((f) => name.includes(f))) continue;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported = require(file) as Record<string, unknown>;
    for (const [bench, fn] of Object.entries(exported)) {
      if (!BENCH_FUNCTION.test(bench) || typeof fn !== 'function') continue;
      process.stderr.write(`bench: ${name} ${bench}…\n`);
      const started = Date.now();
      try {
        const raw: unknown = await fn();
        const figures = figuresOf(raw);
        results.push({ module: name, bench, ok: true, figures: figures ?? [], raw: figures ? undefined : raw, seconds: (Date.now() - started) / 1000 });
      } catch (e) {
        const error = e instanceof Error ? e.message : String(e);
        process.stderr.write(`bench: ${name} ${bench} failed: ${error}\n`);
        results.push({ module: name, bench, ok: false, figures: [], error, seconds: (Date.now() - started) / 1000 });
      }
    }
  }

  const rows = [['module', 'workload', 'measure', 'value', 'aim']];
  for (const r of results) {
    if (!r.ok) rows.push([r.module, '(failed)', r.error ?? '', '', '']);
    else if (!r.figures.length) rows.push([r.module, '(raw result, see latest.json)', '', '', '']);
    for (const f of r.figures) rows.push([r.module, f.workload, f.measure, formatValue(f), f.aim ?? '']);
  }
  process.stdout.write(`${table(rows)}\n`);
  const notes = results.flatMap((r) => r.figures.filter((f) => f.note).map((f) => `  ${r.module} · ${f.workload} · ${f.measure}: ${f.note}`));
  if (notes.length) process.stdout.write(`\nnotes:\n${notes.join('\n')}\n`);

  const out = join(repoRoot, 'bench', 'results');
  mkdirSync(out, { recursive: true });
  const file = join(out, 'latest.json');
  const machine = { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGiB: +(totalmem() / 2 ** 30).toFixed(1) };
  writeFileSync(file, `${JSON.stringify({ at: new Date().toISOString(), machine, results }, null, 2)}\n`);
  process.stdout.write(`\nwritten to ${relative(process.cwd(), file) || file}\n`);
  if (results.some((r) => !r.ok)) process.exitCode = 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`bench: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 1;
  });
}
