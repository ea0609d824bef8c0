/**
 * devhost's clock for durable timers and `context.df.currentUtcDateTime` (every history Timestamp comes from
 * it). Real time plus an offset that only grows: `POST /admin/clock` moves it forward so a test can let a
 * 7-day deadline pass in milliseconds. Dev and test only. The offset is kept in `<DATA_DIR>/clock.json`, so
 * a restarted devhost never sees time run backwards against the history it wrote.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { EngineClock } from './engineContract';

export interface DevhostClock extends EngineClock {
  /** How far devhost's clock runs ahead of real time. */
  offsetMs(): number;
  /** Moves the clock forward by `ms` (> 0) and tells every listener; returns the new time. */
  advance(ms: number): number;
}

export class ClockMovedBackwardsError extends Error {
  constructor(ms: number) {
    super(`devhost's clock only moves forward; advanceMs must be a positive number of milliseconds, got ${ms}`);
    this.name = 'ClockMovedBackwardsError';
  }
}

function readOffset(file: string | undefined): number {
  if (!file || !fs.existsSync(file)) return 0;
  const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as { offsetMs?: unknown };
  return typeof saved.offsetMs === 'number' && Number.isFinite(saved.offsetMs) && saved.offsetMs > 0 ? saved.offsetMs : 0;
}

/** A clock whose offset persists in `file` (none: in memory only, for in-process tests). */
export function adjustableClock(file?: string): DevhostClock {
  let offset = readOffset(file);
  const listeners = new Set<() => void>();
  return {
    now: () => Date.now() + offset,
    offsetMs: () => offset,
    advance(ms: number): number {
      if (!Number.isFinite(ms) || ms <= 0) throw new ClockMovedBackwardsError(ms);
      offset += ms;
      if (file) {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, JSON.stringify({ offsetMs: offset }));
      }
      for (const listener of listeners) listener();
      return Date.now() + offset;
    },
    onAdvance(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
