/**
 * Where the pacing state of every subaccount lives, so that all runs, all workers and a restarted app
 * see the same budget. `change` is an atomic read-modify-write of one subaccount's state: the function
 * may run more than once (a concurrent writer won), so it must be pure.
 *
 * Memory (unit tests, REGISTRY_STORE=memory), a file under DATA_DIR (one app process, survives
 * restarts), or a table beside the registry (tablePacingLedger.ts: any number of instances).
 */
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
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
 * An append-only file for one app process (no storage account): each change appends the subaccount's
 * new state as one line, written before the request goes, so a process killed right after still left
 * it behind; a restarted process replays the file (the last line of a subaccount wins; a line torn by
 * the kill is skipped). No rename or rewrite per request: that cost more than the rest of the pacing.
 * When the file grows past `compactBytes` it is rewritten with only the current states.
 */
export function filePacingLedger(file: string, compactBytes = 1 << 20): PacingLedger {
  let states: Map<string, PacingState> | undefined;
  let fd: number | undefined;
  let size = 0;

  function open(): Map<string, PacingState> {
    if (states && fd !== undefined) return states;
    states = replay(file);
    mkdirSync(path.dirname(file), { recursive: true });
    fd = openSync(file, 'a');
    size = fstatSync(fd).size;
    // After a torn line the next one starts on a line of its own.
    if (size > 0 && !readFileSync(file, 'utf8').endsWith('\n')) size += writeSync(fd, '\n');
    return states;
  }

  function compact(): void {
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, [...states!].filter(([, s]) => s.sent.length > 0 || s.heldUntil !== undefined).map(([k, s]) => line(k, s)).join(''));
    closeSync(fd!);
    renameSync(tmp, file);
    fd = openSync(file, 'a');
    size = fstatSync(fd).size;
  }

  return {
    async change(key, fn) {
      const all = open();
      const { state, result } = fn(all.get(key) ?? EMPTY_PACING);
      all.set(key, state);
      const text = line(key, state);
      writeSync(fd!, text);
      size += Buffer.byteLength(text);
      if (size > compactBytes) compact();
      return result;
    },
  };
}

const line = (key: string, state: PacingState) => `${JSON.stringify({ key, state })}\n`;

function replay(file: string): Map<string, PacingState> {
  const states = new Map<string, PacingState>();
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return states;
  }
  for (const l of text.split('\n')) {
    try {
      const { key, state } = JSON.parse(l) as { key?: unknown; state?: unknown };
      if (typeof key === 'string') states.set(key, parsePacingState(state));
    } catch {
      // A line torn by a kill, or a blank one.
    }
  }
  return states;
}

export function parsePacingState(value: unknown): PacingState {
  if (!value || typeof value !== 'object') return EMPTY_PACING;
  const v = value as { sent?: unknown; heldUntil?: unknown };
  const sent = Array.isArray(v.sent) ? v.sent.filter((t): t is number => typeof t === 'number' && Number.isFinite(t)) : [];
  return typeof v.heldUntil === 'number' ? { sent, heldUntil: v.heldUntil } : { sent };
}
