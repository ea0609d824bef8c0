/**
 * How much of the machine's CPU the hypervisor gave to others while a workload ran ("steal" in
 * /proc/stat). On a shared virtual machine it moved from a few percent to a third between runs of
 * the same code, and CPU-bound figures move with it; each bench names it beside the figures it affects.
 */
import { readFileSync } from 'node:fs';

export interface CpuTimes {
  total: number;
  steal: number;
}

/** The machine's CPU times so far (all cores), or undefined where /proc/stat is not there. */
export function machineCpuTimes(read: (file: string) => string = (f) => readFileSync(f, 'utf8')): CpuTimes | undefined {
  try {
    const fields = read('/proc/stat').split('\n')[0].trim().split(/\s+/);
    if (fields[0] !== 'cpu') return undefined;
    const ticks = fields.slice(1, 9).map(Number); // user nice system idle iowait irq softirq steal
    if (ticks.length < 8 || ticks.some((n) => !Number.isFinite(n))) return undefined;
    return { total: ticks.reduce((a, b) => a + b, 0), steal: ticks[7] };
  } catch {
    return undefined;
  }
}

/** The share of the machine's CPU time stolen between two readings, as text for a note ("steal 4%"). */
export function stolenShare(before: CpuTimes | undefined, after: CpuTimes | undefined): string {
  if (!before || !after || after.total <= before.total) return 'steal unknown';
  return `steal ${Math.round((100 * (after.steal - before.steal)) / (after.total - before.total))}%`;
}
