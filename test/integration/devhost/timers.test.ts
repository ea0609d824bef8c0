/** Timer triggers across restarts: isPastDue after downtime, and the appTerminate hook on a clean stop. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eventually, startDevhostProcess, type DevhostProcess } from './devhostProcess';

let dataDir: string;
let devhost: DevhostProcess | undefined;

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'devhost-timers-'));
});

afterAll(async () => {
  await devhost?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const readLines = (file: string): unknown[] =>
  fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];

it('fires a past-due timer at once with isPastDue after devhost was down over an occurrence', async () => {
  const timerLog = path.join(dataDir, 'timer.log');
  const hookLog = path.join(dataDir, 'hooks.log');
  // Minute 0 of every hour: not due while the first devhost runs a few seconds.
  const env = { TIMER_LOG: timerLog, HOOK_LOG: hookLog, TICK_SCHEDULE: '0 0 * * * *' };
  devhost = await startDevhostProcess(dataDir, env);
  const code = await devhost.stop();
  expect(code).toBe(0);
  expect(readLines(hookLog)).toEqual(['appStart', 'appTerminate']);
  expect(readLines(timerLog)).toEqual([]);

  // Pretend devhost went down before the last occurrence: the recorded next run is now in the past.
  const statusFile = path.join(dataDir, 'timers', 'tick.json');
  const status = JSON.parse(fs.readFileSync(statusFile, 'utf8'));
  expect(new Date(status.next).getTime()).toBeGreaterThan(Date.now());
  fs.writeFileSync(statusFile, JSON.stringify({ ...status, next: new Date(Date.now() - 60_000).toISOString() }));

  devhost = await startDevhostProcess(dataDir, env);
  const lines = await eventually(async () => (readLines(timerLog).length > 0 ? readLines(timerLog) : undefined));
  expect(lines).toEqual([{ function: 'tick', isPastDue: true }]);
  const updated = await eventually(async () => {
    const now = JSON.parse(fs.readFileSync(statusFile, 'utf8'));
    return new Date(now.next).getTime() > Date.now() ? now : undefined;
  });
  expect(new Date(updated.last).getTime()).toBeGreaterThan(new Date(status.last).getTime());
});

it('runs a schedule on time without isPastDue', async () => {
  await devhost?.stop();
  const timerLog = path.join(dataDir, 'every-second.log');
  devhost = await startDevhostProcess(dataDir, { TIMER_LOG: timerLog, TICK_SCHEDULE: '* * * * * *' });
  const lines = await eventually(async () => (readLines(timerLog).length >= 2 ? readLines(timerLog) : undefined), 10000);
  // The schedule changed since the last recorded run, which lies in the past: the first run may be past due.
  expect(lines.slice(1).every((l) => (l as { isPastDue: boolean }).isPastDue === false)).toBe(true);
});
