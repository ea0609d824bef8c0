import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { adjustableClock, ClockMovedBackwardsError } from '../../../devhost/devhostClock';

const DAY_MS = 86_400_000;

it('runs ahead of real time by what it was advanced', () => {
  const clock = adjustableClock();
  const advanced = clock.advance(7 * DAY_MS);
  expect(advanced - Date.now()).toBeGreaterThan(7 * DAY_MS - 1000);
  expect(clock.now() - Date.now()).toBeGreaterThan(7 * DAY_MS - 1000);
  expect(clock.offsetMs()).toBe(7 * DAY_MS);
});

it('keeps its offset in the file, so a restarted devhost does not go back in time', () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'devhost-clock-')), 'clock.json');
  adjustableClock(file).advance(3 * DAY_MS);
  expect(adjustableClock(file).offsetMs()).toBe(3 * DAY_MS);
});

it('only moves forward', () => {
  const clock = adjustableClock();
  expect(() => clock.advance(-1)).toThrow(ClockMovedBackwardsError);
  expect(() => clock.advance(0)).toThrow(ClockMovedBackwardsError);
  expect(() => clock.advance(Number.NaN)).toThrow(ClockMovedBackwardsError);
  expect(clock.offsetMs()).toBe(0);
});

it('tells its listeners after each move until they unsubscribe', () => {
  const clock = adjustableClock();
  let told = 0;
  const unsubscribe = clock.onAdvance!(() => told++);
  clock.advance(1);
  unsubscribe();
  clock.advance(1);
  expect(told).toBe(1);
});
