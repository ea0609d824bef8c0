/**
 * Durable timers over 6 days on devhost, end to end over HTTP with devhost's clock moved forward through
 * `POST /admin/clock`: devhost sends the extension's Azure Storage timer settings, so the SDK's LongTimerTask
 * path runs, and devhost mirrors the extension's 3-day segment timers. No test waits for real days.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eventually, replayAppEntry, startDevhostProcess, type DevhostProcess } from './devhostProcess';

const DAY_MS = 86_400_000;

let dataDir: string;
let devhost: DevhostProcess;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'devhost-long-timers-'));
  devhost = await startDevhostProcess(dataDir, { REPLAY_COUNTER_FILE: path.join(dataDir, 'counter.log') }, replayAppEntry);
}, 40_000);

afterAll(async () => {
  await devhost?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

interface HistoryRow {
  EventType: string;
  FireAt?: string;
  Timestamp: string;
}

interface Status {
  runtimeStatus: string;
  output: unknown;
  historyEvents: HistoryRow[];
}

function call(pathAndQuery: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('x-functions-key', devhost.keys.masterKey);
  if (init.body !== undefined) headers.set('content-type', 'application/json');
  return fetch(`${devhost.url}${pathAndQuery}`, { ...init, headers });
}

async function clockNow(): Promise<number> {
  const response = await call('/admin/clock');
  return Date.parse(((await response.json()) as { now: string }).now);
}

async function advanceDays(days: number): Promise<void> {
  const response = await call('/admin/clock', { method: 'POST', body: JSON.stringify({ advanceMs: days * DAY_MS }) });
  expect(response.status).toBe(200);
}

async function start(orchestrator: string, deadlineDays: number): Promise<string> {
  const response = await call(`/runtime/webhooks/durabletask/orchestrators/${orchestrator}`, {
    method: 'POST',
    body: JSON.stringify({ deadlineDays }),
  });
  expect(response.status).toBe(202);
  return ((await response.json()) as { id: string }).id;
}

async function status(id: string): Promise<Status> {
  const response = await call(`/runtime/webhooks/durabletask/instances/${id}?showHistory=true`);
  return (await response.json()) as Status;
}

async function confirm(id: string, answer: 'uploaded' | 'not yet'): Promise<void> {
  const response = await call(`/runtime/webhooks/durabletask/instances/${id}/raiseEvent/confirmation`, {
    method: 'POST',
    body: JSON.stringify(answer),
  });
  expect(response.status).toBe(202);
}

const count = (s: Status, type: string) => s.historyEvents.filter((e) => e.EventType === type).length;
const fireTimes = (s: Status, type: string) => s.historyEvents.filter((e) => e.EventType === type).map((e) => Date.parse(e.FireAt!));

/** The orchestrator's first currentUtcDateTime: the episode that created the first timer. */
const firstEpisodeTime = (s: Status) => Date.parse(s.historyEvents.find((e) => e.EventType === 'TimerCreated')!.Timestamp);

/** Waits until the instance's history has `n` events of `type` (each clock move must land before the next). */
function historyWith(id: string, type: string, n: number): Promise<Status> {
  return eventually(async () => {
    const s = await status(id);
    return count(s, type) >= n ? s : undefined;
  }, 15_000, `${n} ${type} in ${id}`);
}

function ended(id: string): Promise<Status> {
  return eventually(async () => {
    const s = await status(id);
    return ['Completed', 'Failed', 'Terminated'].includes(s.runtimeStatus) ? s : undefined;
  }, 15_000, `${id} to end`);
}

it('runs a 7-day deadline as the extension does: 3-day segments, then it fires after 7 days', async () => {
  const id = await start('ManualStepDeadline', 7);
  const first = await historyWith(id, 'TimerCreated', 1);
  const startedAt = firstEpisodeTime(first);
  expect(fireTimes(first, 'TimerCreated')).toEqual([startedAt + 3 * DAY_MS]);

  await advanceDays(3);
  const second = await historyWith(id, 'TimerCreated', 2);
  const [, secondFireAt] = fireTimes(second, 'TimerCreated');
  expect(secondFireAt - startedAt).toBeGreaterThanOrEqual(6 * DAY_MS); // 3 days after the first segment fired
  expect(secondFireAt - startedAt).toBeLessThan(6 * DAY_MS + 60_000);

  await advanceDays(3);
  const third = await historyWith(id, 'TimerCreated', 3);
  expect(fireTimes(third, 'TimerCreated')[2]).toBe(startedAt + 7 * DAY_MS); // under 3 days left: the rest of the way
  expect(third.runtimeStatus).toBe('Running');

  await advanceDays(1);
  const done = await ended(id);
  expect(done.runtimeStatus).toBe('Completed');
  expect(done.output).toMatchObject({ outcome: 'deadline', rounds: 1 });
  expect(Date.parse((done.output as { at: string }).at)).toBeGreaterThanOrEqual(startedAt + 7 * DAY_MS);
  expect(count(done, 'TimerFired')).toBe(3);
});

it('lets a confirmation inside Task.any cancel the 7-day timer, and the run completes at once', async () => {
  const id = await start('ManualStepDeadline', 7);
  await historyWith(id, 'TimerCreated', 1);
  await advanceDays(1);
  await confirm(id, 'uploaded');
  const done = await ended(id);
  expect(done.runtimeStatus).toBe('Completed');
  expect(done.output).toMatchObject({ outcome: 'confirmed', rounds: 1, checked: 'Hello uploaded' });
  expect(count(done, 'TimerCreated')).toBe(1);
  expect(count(done, 'TimerFired')).toBe(0);
});

it('fails a run whose 7-day timer is cancelled after its first segment fired, as the Azure replay does', async () => {
  const id = await start('ManualStepDeadline', 7);
  await historyWith(id, 'TimerCreated', 1);
  await advanceDays(4);
  await historyWith(id, 'TimerCreated', 2); // the first segment fired on day 3
  await confirm(id, 'uploaded');
  const done = await ended(id);
  expect(done.runtimeStatus).toBe('Failed');
  expect(done.output).toMatch(/was cancelled after 1 of its 3-day segments had fired/);
  expect(done.output).toMatch(/Non-Deterministic workflow detected/);
  expect(done.output).toMatch(/at most 6 days/);
});

it("fails, instead of hanging, a run that schedules a task after a cancelled 7-day timer's segment fired", async () => {
  const id = await start('ManualStepDeadline', 7);
  await historyWith(id, 'TimerCreated', 1);
  await advanceDays(1);
  await confirm(id, 'not yet'); // round 2 waits again; round 1's cancelled timer stays armed, as on Azure
  await historyWith(id, 'TimerCreated', 2);
  await advanceDays(2.5);
  const afterSegment = await historyWith(id, 'TimerFired', 1);
  expect(afterSegment.runtimeStatus).toBe('Running'); // nothing scheduled since: no harm yet
  await confirm(id, 'uploaded');
  const done = await ended(id);
  expect(done.runtimeStatus).toBe('Failed');
  expect(done.output).toMatch(/LongTimerTask\) ignores the cancellation and takes a sequence id/);
  expect(done.output).toMatch(/where the orchestrator schedules its next task/);
});

it('waits out a 7-day deadline in rounds of at most 6 days, taking a confirmation on day 4', async () => {
  const id = await start('DeadlineInRounds', 7);
  const first = await historyWith(id, 'TimerCreated', 1);
  const startedAt = firstEpisodeTime(first);
  expect(fireTimes(first, 'TimerCreated')).toEqual([startedAt + 6 * DAY_MS]); // one short timer, no segments
  await advanceDays(4);
  await confirm(id, 'uploaded');
  const done = await ended(id);
  expect(done.runtimeStatus).toBe('Completed');
  expect(done.output).toMatchObject({ outcome: 'confirmed', rounds: 1 });
});

it('waits out a 7-day deadline in rounds of at most 6 days until it passes', async () => {
  const id = await start('DeadlineInRounds', 7);
  const first = await historyWith(id, 'TimerCreated', 1);
  const startedAt = firstEpisodeTime(first);
  await advanceDays(6);
  const second = await historyWith(id, 'TimerCreated', 2);
  expect(fireTimes(second, 'TimerCreated')[1]).toBe(startedAt + 7 * DAY_MS);
  await advanceDays(1);
  const done = await ended(id);
  expect(done.output).toMatchObject({ outcome: 'deadline', rounds: 2 });
});

describe('POST /admin/clock', () => {
  it('moves the Durable clock forward and answers the new time', async () => {
    const before = await clockNow();
    const response = await call('/admin/clock', { method: 'POST', body: JSON.stringify({ advanceMs: 60_000 }) });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { now: string; offsetMs: number };
    expect(Date.parse(body.now) - before).toBeGreaterThanOrEqual(60_000);
    expect(body.offsetMs).toBeGreaterThanOrEqual(60_000);
  });

  it('refuses to move the clock backwards and names the field', async () => {
    const response = await call('/admin/clock', { method: 'POST', body: JSON.stringify({ advanceMs: -1 }) });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(/advanceMs/);
  });

  it('needs the master key', async () => {
    const response = await fetch(`${devhost.url}/admin/clock`, {
      method: 'POST',
      headers: { 'x-functions-key': devhost.keys.functionKeys.default, 'content-type': 'application/json' },
      body: JSON.stringify({ advanceMs: 1 }),
    });
    expect(response.status).toBe(401);
  });
});
