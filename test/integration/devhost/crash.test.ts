/**
 * SIGKILL devhost while one orchestration waits on a slow activity and another on a durable timer,
 * restart on the same DATA_DIR: both complete, and every activity that completed ran exactly once
 * (the interrupted slow activity runs again, at-least-once as in Azure, and completes once).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eventually, startDevhostProcess, type DevhostProcess } from './devhostProcess';

let dataDir: string;
let activityLog: string;
let devhost: DevhostProcess | undefined;

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'devhost-crash-'));
  activityLog = path.join(dataDir, 'activities.log');
});

afterAll(async () => {
  await devhost?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const env = () => ({ ACTIVITY_LOG: activityLog, SLOW_STEP_MS: '2500' });

function completedSteps(): { instance: string; step: string }[] {
  if (!fs.existsSync(activityLog)) return [];
  return fs
    .readFileSync(activityLog, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

async function post(url: string, key: string, body?: unknown): Promise<number> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'x-functions-key': key, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return response.status;
}

it('resumes both instances after SIGKILL without re-running completed activities', async () => {
  devhost = await startDevhostProcess(dataDir, env());
  const key = devhost.keys.masterKey;
  expect(await post(`${devhost.url}/durabletask/orchestrators/slowActivityFlow/crash-slow`, key)).toBe(202);
  expect(await post(`${devhost.url}/durabletask/orchestrators/timerFlow/crash-timer`, key, { delayMs: 3000 })).toBe(202);

  // The slow activity is in flight once 'before' completed; the timer is pending once 'before timer' completed.
  await eventually(async () => {
    const steps = completedSteps().map((s) => `${s.instance}/${s.step}`);
    return steps.includes('crash-slow/before') && steps.includes('crash-timer/before timer') ? true : undefined;
  });
  await new Promise((resolve) => setTimeout(resolve, 300));
  await devhost.kill();
  const atKill = completedSteps().map((s) => `${s.instance}/${s.step}`);
  expect(atKill).not.toContain('crash-slow/slow');
  expect(atKill).not.toContain('crash-timer/after timer');

  devhost = await startDevhostProcess(dataDir, env());
  const status = async (id: string) => {
    const response = await fetch(`${devhost!.url}/durabletask/instances/${id}`, { headers: { 'x-functions-key': devhost!.keys.masterKey } });
    return (await response.json()) as { runtimeStatus: string; output: unknown };
  };
  const slow = await eventually(async () => ((await status('crash-slow')).runtimeStatus === 'Completed' ? status('crash-slow') : undefined), 30000);
  const timer = await eventually(async () => ((await status('crash-timer')).runtimeStatus === 'Completed' ? status('crash-timer') : undefined), 30000);
  expect(slow.output).toEqual(['before done', 'slow done', 'after done']);
  expect(timer.output).toBe('after timer done');

  const counts = new Map<string, number>();
  for (const s of completedSteps()) counts.set(`${s.instance}/${s.step}`, (counts.get(`${s.instance}/${s.step}`) ?? 0) + 1);
  expect(Object.fromEntries(counts)).toEqual({
    'crash-slow/before': 1,
    'crash-slow/slow': 1,
    'crash-slow/after': 1,
    'crash-timer/before timer': 1,
    'crash-timer/after timer': 1,
  });
});
