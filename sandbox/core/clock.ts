/**
 * The sandbox's one clock: every time-dependent part of every simulated service reads it
 * (certificate validity, assertion NotBefore/NotOnOrAfter, token lifetimes, generated certificates,
 * timestamps). An offset moves it forward or back so tests can let certificates expire without
 * waiting; `PUT /__sandbox/clock {"offsetSeconds": n}` sets it, reset puts it back to 0.
 */
import { z } from 'zod';

/** ±10 years: enough to outlive any 2-year trust certificate, small enough to stay a valid Date. */
const MAX_OFFSET_SECONDS = 10 * 366 * 24 * 3600;

export const ClockSetting = z
  .object({ offsetSeconds: z.number().finite().min(-MAX_OFFSET_SECONDS).max(MAX_OFFSET_SECONDS) })
  .strict();

export class SandboxClock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  setOffsetSeconds(seconds: number): void {
    this.offsetMs = Math.round(seconds * 1000);
  }

  describe(): { offsetSeconds: number; now: string } {
    return { offsetSeconds: this.offsetMs / 1000, now: this.now().toISOString() };
  }
}
