/**
 * The Durable management API and HTTP triggers of a spawned devhost, exercised through the real
 * DurableClient (df.getClient inside the test app, and one built here from the binding payload) and
 * through raw HTTP for the error cases.
 */
import { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { durableClientBindingPayload } from '../../../devhost/host/durableClientBinding';
import { eventually, startDevhostProcess, type DevhostProcess } from './devhostProcess';

let devhost: DevhostProcess;
let dataDir: string;
let hookLog: string;
let timerLog: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'devhost-mgmt-'));
  hookLog = path.join(dataDir, 'hooks.log');
  timerLog = path.join(dataDir, 'timer.log');
  devhost = await startDevhostProcess(dataDir, { HOOK_LOG: hookLog, TIMER_LOG: timerLog });
});

afterAll(async () => {
  await devhost?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const functionKey = () => devhost.keys.functionKeys.default;
const masterKey = () => devhost.keys.masterKey;

/** One DurableClient call made by df.getClient inside the app (rpcBaseUrl mode). */
async function appClient(operation: string, args: Record<string, unknown>): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(`${devhost.url}/api/client/${operation}`, {
    method: 'POST',
    headers: { 'x-functions-key': functionKey(), 'content-type': 'application/json' },
    body: JSON.stringify(args),
  });
  return { status: response.status, body: await response.json(), headers: response.headers };
}

async function waitForStatus(instanceId: string, wanted: string): Promise<any> {
  return eventually(
    async () => {
      const { body } = await appClient('getStatus', { instanceId });
      return body.runtimeStatus === wanted ? body : undefined;
    },
    20000,
    `${instanceId} to be ${wanted}`,
  );
}

const json = (response: Response): Promise<any> => response.json();

function raw(pathAndQuery: string, init: RequestInit & { key?: string | null } = {}): Promise<Response> {
  const key = init.key === undefined ? masterKey() : init.key;
  const headers = new Headers(init.headers);
  if (key) headers.set('x-functions-key', key);
  return fetch(`${devhost.url}${pathAndQuery}`, { ...init, headers });
}

describe('through the DurableClient inside the app (rpcBaseUrl)', () => {
  it('startNew then getStatus returns the orchestration output', async () => {
    const { body } = await appClient('startNew', { name: 'helloSequence', input: ['Lima', 'Oslo'] });
    expect(typeof body.id).toBe('string');
    const done = await waitForStatus(body.id, 'Completed');
    expect(done.output).toEqual(['Hello Lima!', 'Hello Oslo!']);
    expect(done.input).toEqual(['Lima', 'Oslo']);
    expect(done.name).toBe('helloSequence');
  });

  it('raiseEvent completes a waiting orchestration, and custom status is visible while it waits', async () => {
    const instanceId = `approval-${Date.now()}`;
    await appClient('startNew', { name: 'waitForApproval', instanceId });
    const waiting = await eventually(async () => {
      const { body } = await appClient('getStatus', { instanceId });
      return body.customStatus === 'waiting for approval' ? body : undefined;
    });
    expect(waiting.runtimeStatus).toBe('Running');
    expect((await appClient('raiseEvent', { instanceId, eventName: 'Approval', data: 'alice' })).body).toEqual({ raised: true });
    const done = await waitForStatus(instanceId, 'Completed');
    expect(done.output).toEqual({ approvedBy: 'alice' });
  });

  it('refuses to start a second instance with the id of a running one', async () => {
    const instanceId = `single-${Date.now()}`;
    await appClient('startNew', { name: 'waitForApproval', instanceId });
    const second = await appClient('startNew', { name: 'waitForApproval', instanceId });
    expect(second.status).toBe(502);
    expect(second.body.clientError).toMatch(/409|already/i);
    await appClient('terminate', { instanceId, reason: 'cleanup' });
  });

  it('terminate ends a running instance with the reason as output', async () => {
    const instanceId = `terminate-${Date.now()}`;
    await appClient('startNew', { name: 'waitForApproval', instanceId });
    await waitForStatus(instanceId, 'Running');
    expect((await appClient('terminate', { instanceId, reason: 'no longer needed' })).body).toEqual({ terminated: true });
    const done = await waitForStatus(instanceId, 'Terminated');
    expect(JSON.stringify(done.output)).toContain('no longer needed');
    const again = await raw(`/runtime/webhooks/durabletask/instances/${instanceId}/terminate?reason=again`, { method: 'POST' });
    expect(again.status).toBe(410);
  });

  it('getStatusBy filters by runtime status and creation time', async () => {
    const from = new Date(Date.now() - 1000).toISOString();
    const { body: started } = await appClient('startNew', { name: 'helloSequence', input: ['Rome'] });
    await waitForStatus(started.id, 'Completed');
    const { body: completed } = await appClient('getStatusBy', { runtimeStatus: ['Completed'], createdTimeFrom: from });
    expect(completed.map((s: { instanceId: string }) => s.instanceId)).toContain(started.id);
    expect(completed.every((s: { runtimeStatus: string }) => s.runtimeStatus === 'Completed')).toBe(true);
    const { body: running } = await appClient('getStatusBy', { runtimeStatus: ['Running'], createdTimeFrom: from });
    expect(running.map((s: { instanceId: string }) => s.instanceId)).not.toContain(started.id);
  });

  it('purgeInstanceHistory removes a finished instance; getStatus then reports it unknown', async () => {
    const { body: started } = await appClient('startNew', { name: 'helloSequence', input: ['Bern'] });
    await waitForStatus(started.id, 'Completed');
    expect((await appClient('purge', { instanceId: started.id })).body).toEqual({ instancesDeleted: 1 });
    const gone = await appClient('getStatus', { instanceId: started.id });
    expect(gone.status).toBe(502);
    expect(gone.body.clientError).toMatch(/404/);
    expect((await appClient('purge', { instanceId: started.id })).body).toEqual({ instancesDeleted: 0 });
  });

  it('createCheckStatusResponse gives working management URLs on devhost, keyed with the system key', async () => {
    const { body: started } = await appClient('startNew', { name: 'helloSequence', input: ['Kyiv'] });
    const check = await appClient('checkStatus', { instanceId: started.id });
    expect(check.status).toBe(202);
    const statusUrl = check.headers.get('location')!;
    expect(statusUrl).toBe(check.body.statusQueryGetUri);
    expect(statusUrl.startsWith(`${devhost.url}/runtime/webhooks/durabletask/instances/${started.id}?`)).toBe(true);
    expect(statusUrl).toContain(`code=${devhost.keys.systemKeys.durabletask_extension}`);
    expect(statusUrl).not.toContain(masterKey());
    await waitForStatus(started.id, 'Completed');
    const followed = await fetch(statusUrl);
    expect(followed.status).toBe(200);
    expect((await json(followed)).output).toEqual(['Hello Kyiv!']);
  });
});

describe('through a DurableClient built from the binding payload (legacy management URLs)', () => {
  it('starts, reads, raises and purges over the keyed public routes', async () => {
    const input = df.input.durableClient();
    const context = new InvocationContext({ functionName: 'test', options: { extraInputs: [input] } });
    context.extraInputs.set(
      input,
      durableClientBindingPayload({ origin: devhost.url, hubName: 'SapTrustOnboarding', systemKey: devhost.keys.systemKeys.durabletask_extension }),
    );
    const saved = process.env.WEBSITE_HOSTNAME;
    process.env.WEBSITE_HOSTNAME = new URL(devhost.url).host;
    try {
      const client = df.getClient(context);
      const instanceId = await client.startNew('waitForApproval', { instanceId: `legacy-${Date.now()}` });
      await eventually(async () => ((await client.getStatus(instanceId)).customStatus ? true : undefined));
      await client.raiseEvent(instanceId, 'Approval', { by: 'bob' });
      await eventually(async () => ((await client.getStatus(instanceId)).runtimeStatus === 'Completed' ? true : undefined));
      expect((await client.getStatus(instanceId)).output).toEqual({ approvedBy: { by: 'bob' } });
      expect((await client.purgeInstanceHistory(instanceId)).instancesDeleted).toBe(1);
    } finally {
      if (saved === undefined) delete process.env.WEBSITE_HOSTNAME;
      else process.env.WEBSITE_HOSTNAME = saved;
    }
  });
});

describe('management API over raw HTTP', () => {
  it('answers a running instance with 202 + Location and a finished one with 200', async () => {
    const start = await raw('/runtime/webhooks/durabletask/orchestrators/waitForApproval', { method: 'POST' });
    expect(start.status).toBe(202);
    const { id } = await json(start);
    const running = await raw(`/runtime/webhooks/durabletask/instances/${id}`);
    expect(running.status).toBe(202);
    expect(running.headers.get('location')).toContain(`/instances/${id}`);
    await raw(`/runtime/webhooks/durabletask/instances/${id}/raiseEvent/Approval`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '"carol"',
    });
    const done = await eventually(async () => {
      const r = await raw(`/durabletask/instances/${id}?showHistory=true&showHistoryOutput=true`);
      return r.status === 200 ? json(r) : undefined;
    });
    expect(done.output).toEqual({ approvedBy: 'carol' });
    expect(Array.isArray(done.historyEvents)).toBe(true);
    expect(done.createdTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const late = await raw(`/runtime/webhooks/durabletask/instances/${id}/raiseEvent/Approval`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '"dave"',
    });
    expect(late.status).toBe(410);
  });

  it('omits the input when showInput=false', async () => {
    const start = await raw('/durabletask/orchestrators/helloSequence', { method: 'POST', body: '["Quito"]' });
    const { id } = await json(start);
    const status = await json(await raw(`/durabletask/instances/${id}?showInput=false`));
    expect(status.input).toBeNull();
  });

  it('pages a list with top and the x-ms-continuation-token header', async () => {
    const prefix = `page-${Date.now()}-`;
    for (const n of [1, 2, 3]) await raw(`/durabletask/orchestrators/helloSequence/${prefix}${n}`, { method: 'POST', body: '["X"]' });
    const seen: string[] = [];
    let token: string | null = null;
    do {
      const response: Response = await raw(`/durabletask/instances/?top=2&instanceIdPrefix=${prefix}`, {
        headers: token ? { 'x-ms-continuation-token': token } : {},
      });
      expect(response.status).toBe(200);
      const page = (await response.json()) as { instanceId: string }[];
      expect(page.length).toBeLessThanOrEqual(2);
      seen.push(...page.map((s) => s.instanceId));
      token = response.headers.get('x-ms-continuation-token');
    } while (token);
    expect(seen.sort()).toEqual([`${prefix}1`, `${prefix}2`, `${prefix}3`]);
  });

  it('purges by filter and answers 404 when nothing matched', async () => {
    const from = new Date().toISOString();
    const start = await raw('/durabletask/orchestrators/helloSequence', { method: 'POST', body: '["Y"]' });
    const { id } = await json(start);
    await eventually(async () => ((await raw(`/durabletask/instances/${id}`)).status === 200 ? true : undefined));
    const purged = await raw(`/durabletask/instances/?createdTimeFrom=${from}&runtimeStatus=Completed`, { method: 'DELETE' });
    expect(purged.status).toBe(200);
    expect((await json(purged)).instancesDeleted).toBeGreaterThanOrEqual(1);
    expect((await raw(`/durabletask/instances/${id}`)).status).toBe(404);
    const none = await raw(`/durabletask/instances/?createdTimeFrom=2999-01-01T00:00:00Z`, { method: 'DELETE' });
    expect(none.status).toBe(404);
  });

  it.each([
    ['a start body that is not JSON', '/durabletask/orchestrators/helloSequence', { method: 'POST', body: '{oops' }, /JSON/],
    ['an unknown runtimeStatus', '/durabletask/instances/?runtimeStatus=Running,Sleeping', {}, /Sleeping/],
    ['a bad top', '/durabletask/instances/?top=-1', {}, /top/],
    ['a bad createdTimeFrom', '/durabletask/instances/?createdTimeFrom=yesterday', {}, /createdTimeFrom/],
    ['a bad showHistory flag', '/durabletask/instances/x?showHistory=maybe', {}, /showHistory/],
    ['an instance id with a #', '/durabletask/orchestrators/helloSequence/a%23b', { method: 'POST' }, /instanceId/],
    ['an unknown orchestrator', '/durabletask/orchestrators/noSuchFlow', { method: 'POST' }, /noSuchFlow/],
    ['purge by filter without createdTimeFrom', '/durabletask/instances/', { method: 'DELETE' }, /createdTimeFrom/],
    ['a bad continuation token', '/durabletask/instances/', { headers: { 'x-ms-continuation-token': 'garbage' } }, /continuation/i],
  ] as [string, string, RequestInit, RegExp][])('answers 400 naming the problem for %s', async (_what, url, init, message) => {
    const response = await raw(url, init);
    expect(response.status).toBe(400);
    expect((await json(response)).error).toMatch(message);
  });

  it('answers 400 for event data that is not sent as JSON', async () => {
    const start = await raw('/durabletask/orchestrators/waitForApproval', { method: 'POST' });
    const { id } = await json(start);
    const response = await raw(`/durabletask/instances/${id}/raiseEvent/Approval`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(response.status).toBe(400);
    await raw(`/durabletask/instances/${id}/terminate?reason=cleanup`, { method: 'POST' });
  });

  it('answers 404 for unknown instances and unknown routes', async () => {
    expect((await raw('/runtime/webhooks/durabletask/instances/does-not-exist')).status).toBe(404);
    expect((await raw('/durabletask/instances/does-not-exist/raiseEvent/E', { method: 'POST' })).status).toBe(404);
    expect((await raw('/durabletask/instances/does-not-exist/terminate', { method: 'POST' })).status).toBe(404);
    expect((await raw('/durabletask/instances/does-not-exist', { method: 'DELETE' })).status).toBe(404);
    expect((await raw('/runtime/webhooks/durabletask/nothing-here')).status).toBe(404);
    expect((await raw('/api/nothing-here', { key: null })).status).toBe(404);
  });

  it('answers 401 without a key, with a wrong key, and with the function key', async () => {
    expect((await raw('/runtime/webhooks/durabletask/instances/', { key: null })).status).toBe(401);
    expect((await raw('/durabletask/instances/', { key: 'wrong' })).status).toBe(401);
    expect((await raw('/durabletask/instances/', { key: functionKey() })).status).toBe(401);
    expect((await raw(`/durabletask/instances/?code=${devhost.keys.systemKeys.durabletask_extension}`, { key: null })).status).toBe(200);
  });
});

describe('HTTP triggers', () => {
  it('requires the function key on function-level routes, from the header or the code query', async () => {
    expect((await raw('/api/orders/12', { key: null })).status).toBe(401);
    expect((await raw('/api/orders/12', { key: 'wrong' })).status).toBe(401);
    const withHeader = await raw('/api/orders/12', { key: functionKey() });
    expect(withHeader.status).toBe(200);
    expect(await withHeader.json()).toEqual({ id: '12', kind: 'order' });
    expect((await raw(`/api/orders/12?code=${functionKey()}`, { key: null })).status).toBe(200);
  });

  it('routes by constraint: a non-integer id goes to the anonymous named-order route', async () => {
    const response = await raw('/api/orders/spring-sale', { key: null });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ name: 'spring-sale', kind: 'named order' });
  });

  it('requires the master key on admin-level routes', async () => {
    expect((await raw('/api/admin-only', { key: functionKey() })).status).toBe(401);
    const ok = await raw('/api/admin-only');
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('admin ok');
  });

  it('passes method, catch-all params, query and body, and returns status, headers and cookies', async () => {
    const response = await raw('/api/echo/a/b/c?x=1', { key: null, method: 'PUT', body: 'payload' });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-echo')).toBe('yes');
    expect(response.headers.get('set-cookie')).toMatch(/^session=a%20b; Path=\/; HttpOnly/);
    expect(await response.json()).toEqual({ method: 'PUT', rest: 'a/b/c', query: { x: '1' }, body: 'payload' });
  });

  it('answers 404 for a method the route does not allow', async () => {
    expect((await raw('/api/echo/x', { key: null, method: 'DELETE' })).status).toBe(404);
  });

  it('answers 500 when a handler throws, and keeps serving', async () => {
    expect((await raw('/api/failing', { key: null })).status).toBe(500);
    expect((await raw('/api/orders/7', { key: functionKey() })).status).toBe(200);
  });
});

describe('admin API and hooks', () => {
  it('fires a timer function on demand with POST /admin/functions/{name} (master key)', async () => {
    expect((await raw('/admin/functions/tick', { method: 'POST', key: functionKey(), body: '{}' })).status).toBe(401);
    expect((await raw('/admin/functions/tick', { method: 'POST', body: '{"input": ""}' })).status).toBe(202);
    const lines = await eventually(async () => (fs.existsSync(timerLog) ? fs.readFileSync(timerLog, 'utf8') : undefined));
    expect(JSON.parse(lines.trim().split('\n')[0])).toEqual({ function: 'tick', isPastDue: false });
  });

  it('starts an orchestration on demand and rejects bad bodies and unknown names', async () => {
    expect((await raw('/admin/functions/helloSequence', { method: 'POST', body: '{"input":"[\\"Nairobi\\"]"}' })).status).toBe(202);
    expect((await raw('/admin/functions/tick', { method: 'POST', body: '{"input": 5}' })).status).toBe(400);
    expect((await raw('/admin/functions/tick', { method: 'POST', body: 'nope' })).status).toBe(400);
    expect((await raw('/admin/functions/noSuchFunction', { method: 'POST', body: '{}' })).status).toBe(404);
    expect((await raw('/admin/functions/%ZZ', { method: 'POST', body: '{}' })).status).toBe(400);
    expect((await raw('/durabletask/instances/%E0%A4%A')).status).toBe(400);
  });

  it('ran the appStart hook at start', () => {
    expect(fs.readFileSync(hookLog, 'utf8')).toContain('"appStart"');
  });

  it('writes one structured log line per invocation', () => {
    const lines = devhost
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l))
      .filter((l) => l.outcome);
    const activity = lines.find((l) => l.function === 'sayHello');
    expect(activity).toMatchObject({ kind: 'activity', outcome: 'Succeeded' });
    expect(typeof activity.instance).toBe('string');
    expect(typeof activity.durationMs).toBe('number');
    expect(lines.find((l) => l.function === 'failing')).toMatchObject({ kind: 'http', outcome: 'Failed' });
  });
});
