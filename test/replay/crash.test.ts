/**
 * SIGKILL devhost while one orchestration waits on an activity and another on a timer; a restart on the same
 * DATA_DIR finishes both, completed activities are not run again, the interrupted one runs again.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnDevhost, type DevhostChild } from './support/devhostChild';
import { temporaryStateDir } from './support/replayApp';

const children: DevhostChild[] = [];
afterAll(async () => {
  for (const child of children) await child.kill();
});

async function api(host: DevhostChild, method: string, route: string, body?: unknown) {
  const separator = route.includes('?') ? '&' : '?';
  const response = await fetch(`${host.url}/runtime/webhooks/durabletask/${route}${separator}code=${host.masterKey}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

function counts(file: string): Map<string, number> {
  const result = new Map<string, number>();
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  for (const line of text.split('\n').filter(Boolean)) result.set(line, (result.get(line) ?? 0) + 1);
  return result;
}

async function until<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

it('resumes after SIGKILL: waiting activity re-runs, timer survives, completed activities run once', async () => {
  const dataDir = temporaryStateDir('crash');
  const counterFile = path.join(dataDir, 'counter.log');
  const first = await spawnDevhost(dataDir, counterFile);
  children.push(first);

  await api(first, 'POST', 'orchestrators/SlowMiddle/crash-activity', 'ca');
  await api(first, 'POST', 'orchestrators/Resumable/crash-timer', { key: 'ct', waitMs: 2500, useEvent: false });
  await until(() => (counts(counterFile).get('Sleep:ca') === 1 ? true : undefined), 'the slow activity to start');
  await until(async () => {
    const status = await api(first, 'GET', 'instances/crash-timer?showHistory=true');
    const events = (status.body?.historyEvents ?? []) as Array<{ EventType: string }>;
    return events.some((e) => e.EventType === 'TimerCreated') ? true : undefined;
  }, 'the timer to be created');
  await first.kill();

  const second = await spawnDevhost(dataDir, counterFile);
  children.push(second);
  const done = async (id: string) =>
    until(async () => {
      const status = await api(second, 'GET', `instances/${id}`);
      return status.body?.runtimeStatus === 'Completed' ? status.body : undefined;
    }, `${id} to complete`);
  const activityRun = await done('crash-activity');
  const timerRun = await done('crash-timer');
  expect(activityRun.output).toEqual(['Hello ca-before', 'slept ca', 'Hello ca-after']);
  expect(timerRun.output).toEqual(['Hello ct-before', 'timer', 'Hello ct-after']);

  const ran = counts(counterFile);
  expect(ran.get('SayHello:ca-before')).toBe(1);
  expect(ran.get('Sleep:ca')).toBe(2); // interrupted mid-flight: at-least-once
  expect(ran.get('SayHello:ca-after')).toBe(1);
  expect(ran.get('SayHello:ct-before')).toBe(1);
  expect(ran.get('SayHello:ct-after')).toBe(1);
  await second.stop();
});
