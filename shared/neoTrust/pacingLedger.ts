/**
 * Where the pacing state of every subaccount lives, so that all runs, all workers and a restarted app
 * see the same budget. `change` is an atomic read-modify-write of one subaccount's state: the function
 * may run more than once (a concurrent writer won), so it must be pure.
 *
 * Memory (unit tests, REGISTRY_STORE=memory), a JSON file under DATA_DIR (one app instance, survives
 * restarts), or a table beside the registry (tablePacingLedger.ts: any number of instances).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { EMPTY_PACING, type PacingState } from './pacingWindow';

export interface PacingLedger {
  change<T>(key: string, fn: (state: PacingState) => { state: PacingState; result: T }): Promise<T>;
}

export function memoryPacingLedger(): PacingLedger {
  const states = new Map<string, PacingState>();
  return {
    async change(key, fn) {
      const { state, result } = fn(states.get(key) ?? EMPTY_PACING);
      states.set(key, state);
      return result;
    },
  };
}

/**
 * One JSON file, read and written synchronously on each change, so the changes of one process never
 * interleave and a restarted process starts from what the last one wrote.
 */
export function filePacingLedger(file: string): PacingLedger {
  return {
    async change(key, fn) {
      const all = load(file);
      const { state, result } = fn(all[key] ?? EMPTY_PACING);
      all[key] = state;
      // States with nothing in them tell nothing: keep the file small.
      for (const [k, s] of Object.entries(all)) if (s.sent.length === 0 && s.heldUntil === undefined) delete all[k];
      mkdirSync(path.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(all));
      renameSync(tmp, file);
      return result;
    },
  };
}

export function parsePacingState(value: unknown): PacingState {
  if (!value || typeof value !== 'object') return EMPTY_PACING;
  const v = value as { sent?: unknown; heldUntil?: unknown };
  const sent = Array.isArray(v.sent) ? v.sent.filter((t): t is number => typeof t === 'number' && Number.isFinite(t)) : [];
  return typeof v.heldUntil === 'number' ? { sent, heldUntil: v.heldUntil } : { sent };
}

function load(file: string): Record<string, PacingState> {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (!parsed || typeof parsed !== 'object') return {};
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, parsePacingState(v)]));
  } catch {
    return {};
  }
}
