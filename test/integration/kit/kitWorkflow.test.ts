/**
 * A second workflow declared with the kit (test/apps/kitWorkflow: a shelf is a directory, a label file and a
 * key in the secret store) runs under devhost as an app of its own, and the generic run API serves it over
 * real HTTP: start, follow, one run per key, plan, list, re-run, stop. Nothing outside its folder knows it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileSecretStore } from '../../../shared/secrets/fileSecretStore';
import { repoRoot, startDevhostProcess, type DevhostProcess } from '../devhost/devhostProcess';

const appEntry = path.join(repoRoot, 'dist/test/apps/kitWorkflow/index.js');
let devhost: DevhostProcess;
let dataDir: string;
let root: string;
/** Every body the API sent, to prove no secret value is among them. */
const bodies: string[] = [];

interface Answer {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function api(method: string, route: string, body?: unknown): Promise<Answer> {
  const url = route.startsWith('http') ? route : `${devhost.url}${route}`;
  const response = await fetch(url, {
    method,
    headers: { 'x-functions-key': devhost.keys.functionKeys.default, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  bodies.push(text);
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

/** GET the run until it answers 200 (ended); every answer before must be 202 with Retry-After. */
async function followUntilEnded(location: string, timeoutMs = 40_000): Promise<{ final: Answer; waited: Answer[] }> {
  const waited: Answer[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await api('GET', location);
    if (answer.status !== 202) return { final: answer, waited };
    waited.push(answer);
    if (Date.now() > deadline) throw new Error(`${location} still ${answer.body.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const outcomes = (view: { steps: { id: string; outcome?: string }[] }) => Object.fromEntries(view.steps.map((s) => [s.id, s.outcome]));
const secrets = () => fileSecretStore({ dir: path.join(dataDir, 'secrets') });

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kit-workflow-'));
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'kit-shelves-'));
  devhost = await startDevhostProcess(dataDir, { REGISTRY_STORE: 'memory', SECRET_STORE: 'file' }, appEntry);
}, 60_000);

afterAll(async () => {
  await devhost?.stop();
});

it('serves health and the second workflow\'s routes from its own app', async () => {
  expect((await api('GET', '/api/health')).status).toBe(200);
  expect((await api('GET', '/api/shelves')).body).toEqual({ items: [] });
  expect((await api('GET', '/api/onboardings')).status).toBe(404);
});

it('refuses a bad request with 400 naming every field, and starts nothing', async () => {
  const answer = await api('POST', '/api/shelves', { root: 'relative/dir', name: 'Not A Name', colour: 'red' });
  expect(answer.status).toBe(400);
  expect(answer.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['colour', 'label', 'name', 'root']);
  expect((await api('GET', '/api/shelves')).body.items).toEqual([]);
});

it('plans a new shelf with 200, every step "create", and writes nothing', async () => {
  const answer = await api('POST', '/api/shelves/plans', { root, name: 'planned', label: 'Only a plan' });
  expect(answer.status).toBe(200);
  expect(answer.body).toMatchObject({ kind: 'shelves', mode: 'plan', status: 'completed', name: 'planned' });
  expect(answer.body.id).toMatch(/^shelf-planned-plan-[0-9a-f]{8}$/);
  expect(answer.body.steps.map((s: { id: string; plan?: { action: string } }) => [s.id, s.plan?.action])).toEqual([
    ['folder', 'create'],
    ['label', 'create'],
    ['key', 'create'],
  ]);
  expect(answer.body.steps[2].plan.changes).toEqual([{ field: 'value', to: '(secret, not shown)' }]);
  expect(answer.body.result).toBeUndefined();
  expect(fs.existsSync(path.join(root, 'planned'))).toBe(false);
  expect(await secrets().exists('shelf-planned-key')).toBe(false);
});

describe('a run', () => {
  let mountPoint: string;
  let firstRunView: Answer['body'];

  it('starts with 202 and a Location, refuses a second start for the same key with 409 while it runs, and completes', async () => {
    mountPoint = path.join(root, 'not-mounted-yet');
    const request = { root: mountPoint, name: 'alpha', label: 'Alpha shelf' };
    const started = await api('POST', '/api/shelves', request);
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ id: 'shelf-alpha-r1', kind: 'shelves', mode: 'run', name: 'alpha' });
    const location = started.headers.get('location')!;
    expect(location).toBe(`${devhost.url}/api/shelves/shelf-alpha-r1`);

    // The root is missing: the folder step retries on durable timers, so the run stays running.
    const running = await api('GET', location);
    expect(running.status).toBe(202);
    expect(running.headers.get('retry-after')).toBe('2');
    expect(running.body.status).toMatch(/^(pending|running)$/);

    const again = await api('POST', '/api/shelves', request);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ id: 'shelf-alpha-r1', statusUrl: location });

    fs.mkdirSync(mountPoint);
    const { final } = await followUntilEnded(location);
    expect(final.status).toBe(200);
    expect(final.body.status).toBe('completed');
    expect(outcomes(final.body)).toEqual({ folder: 'created', label: 'created', key: 'created' });
    expect(final.body.result).toEqual({ dir: path.join(mountPoint, 'alpha'), labelFile: path.join(mountPoint, 'alpha', 'LABEL.txt'), keySecret: 'shelf-alpha-key' });
    expect(fs.readFileSync(path.join(mountPoint, 'alpha', 'LABEL.txt'), 'utf8')).toBe('Alpha shelf');
    expect(await secrets().exists('shelf-alpha-key')).toBe(true);
    firstRunView = final.body;
  });

  it('re-runs a completed shelf as r2 with every step unchanged, writing nothing', async () => {
    const label = path.join(mountPoint, 'alpha', 'LABEL.txt');
    const labelWritten = fs.statSync(label).mtimeMs;
    const key = await secrets().get('shelf-alpha-key');

    const started = await api('POST', '/api/shelves', { root: mountPoint, name: 'alpha', label: 'Alpha shelf' });
    expect(started.status).toBe(202);
    expect(started.body.id).toBe('shelf-alpha-r2');
    const { final } = await followUntilEnded(started.headers.get('location')!);
    expect(final.body.status).toBe('completed');
    expect(outcomes(final.body)).toEqual({ folder: 'unchanged', label: 'unchanged', key: 'unchanged' });
    expect(final.body.result).toEqual(firstRunView.result);
    expect(fs.statSync(label).mtimeMs).toBe(labelWritten);
    expect(await secrets().get('shelf-alpha-key')).toBe(key);
  });

  it('stops a running shelf with DELETE: terminated, and its later steps never run', async () => {
    const missing = path.join(root, 'never-mounted');
    const started = await api('POST', '/api/shelves', { root: missing, name: 'beta', label: 'Beta' });
    expect(started.status).toBe(202);
    const location = started.headers.get('location')!;
    expect((await api('GET', location)).status).toBe(202);

    const stopped = await api('DELETE', location);
    expect(stopped.status).toBe(202);
    expect(stopped.body).toEqual({ id: 'shelf-beta-r1', status: 'terminating' });
    const { final } = await followUntilEnded(location, 15_000);
    expect(final.status).toBe(200);
    expect(final.body.status).toBe('terminated');
    expect(outcomes(final.body)).toMatchObject({ label: undefined, key: undefined });
    expect(await secrets().exists('shelf-beta-key')).toBe(false);
    expect((await api('DELETE', location)).status).toBe(409);
  });

  it('lists the completed runs with ?status=completed, newest first, without plans or the stopped run', async () => {
    const answer = await api('GET', '/api/shelves?status=completed');
    expect(answer.status).toBe(200);
    expect(answer.body.items.map((v: { id: string }) => v.id)).toEqual(['shelf-alpha-r2', 'shelf-alpha-r1']);
    expect(answer.body.items.every((v: { status: string; name: string }) => v.status === 'completed' && v.name === 'alpha')).toBe(true);
    const all = await api('GET', '/api/shelves');
    expect(all.body.items.map((v: { id: string }) => v.id).sort()).toEqual(['shelf-alpha-r1', 'shelf-alpha-r2', 'shelf-beta-r1']);
    const bad = await api('GET', '/api/shelves?status=done');
    expect(bad.status).toBe(400);
    expect(bad.body.fields).toEqual([{ field: 'status', message: expect.stringMatching(/^unknown status "done"; one of pending, running/) }]);
  });

  it('never sends the generated key in any answer', async () => {
    const value = (await secrets().get('shelf-alpha-key'))!;
    expect(value.length).toBeGreaterThan(20);
    expect(bodies.some((b) => b.includes(value))).toBe(false);
  });
});
