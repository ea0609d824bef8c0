/**
 * Counts activity executions so tests can assert "ran exactly once". In-process tests read `calls`; a spawned
 * devhost appends one line per execution to $REPLAY_COUNTER_FILE.
 */
import fs from 'node:fs';

export const calls = new Map<string, number>();
export const attemptTimes = new Map<string, number[]>();

export function countCall(key: string): number {
  const n = (calls.get(key) ?? 0) + 1;
  calls.set(key, n);
  const times = attemptTimes.get(key) ?? [];
  times.push(Date.now());
  attemptTimes.set(key, times);
  const file = process.env.REPLAY_COUNTER_FILE;
  if (file) fs.appendFileSync(file, `${key}\n`);
  return n;
}

export function resetCounters(): void {
  calls.clear();
  attemptTimes.clear();
}

/** Activities that block until a test releases them (to stop an engine while an activity is in flight). */
export const gates = new Map<string, () => void>();
