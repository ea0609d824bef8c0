/** startDevhost in process (as a test of another module may use it), with a fake Durable engine. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DurableEngine, EngineOptions, InstanceStatus } from '../../../devhost/engineContract';
import { startDevhost, type RunningDevhost } from '../../../devhost/index';

function fakeEngine(started: { name: string; input: unknown; instanceId?: string }[], seen: { options?: EngineOptions }): (o: EngineOptions) => DurableEngine {
  return (options) => {
    seen.options = options;
    const statuses = new Map<string, InstanceStatus>();
    return {
      start: async () => undefined,
      stop: async () => undefined,
      startNew: async (name, { instanceId, input }) => {
        const id = instanceId ?? `fake-${started.length + 1}`;
        started.push({ name, input, instanceId });
        const now = new Date().toISOString();
        statuses.set(id, { name, instanceId: id, runtimeStatus: 'Running', input, customStatus: null, output: null, createdTime: now, lastUpdatedTime: now });
        return id;
      },
      getStatus: async (id) => statuses.get(id),
      list: async () => ({ instances: [...statuses.values()] }),
      raiseEvent: async () => undefined,
      terminate: async () => undefined,
      purge: async () => false,
      purgeMany: async () => 0,
      waitForCompletion: async () => {
        throw new Error('not in the fake');
      },
    };
  };
}

describe('startDevhost in process', () => {
  let dataDir: string;
  let devhost: RunningDevhost | undefined;
  const started: { name: string; input: unknown; instanceId?: string }[] = [];
  const seen: { options?: EngineOptions } = {};
  const hostnameBefore = process.env.WEBSITE_HOSTNAME;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'devhost-inproc-'));
    const hostJson = path.join(dataDir, 'host.json');
    fs.writeFileSync(hostJson, JSON.stringify({ version: '2.0', extensions: { http: { routePrefix: 'v1' }, durableTask: { hubName: 'UnitHub', maxConcurrentActivityFunctions: 3 } } }));
    devhost = await startDevhost({
      appEntry: path.join(__dirname, 'fixtures/smallApp.js'),
      dataDir,
      port: 0,
      hostJson,
      quiet: true,
      createEngine: fakeEngine(started, seen),
    });
  });

  afterAll(async () => {
    await devhost?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('hands host.json settings, the registry and the state directory to the engine', () => {
    expect(seen.options).toMatchObject({ hubName: 'UnitHub', maxConcurrentActivityFunctions: 3, stateDir: path.join(dataDir, 'durable') });
    expect(seen.options!.registry.get('greeting')?.triggerType).toBe('orchestrationTrigger');
    expect(seen.options!.durableClientBinding!()).toMatchObject({ taskHubName: 'UnitHub', rpcBaseUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/durabletask\/$/) });
  });

  it('serves HTTP triggers under the host.json route prefix, with an unchanged df client reaching the engine', async () => {
    const response = await fetch(`${devhost!.url}/v1/greetings`, { method: 'POST' });
    expect(response.status).toBe(202);
    const payload = (await response.json()) as { id: string; statusQueryGetUri: string };
    // The SDK sends "" (JSON-encoded by axios) when there is no input; the real host reads that as the input "".
    expect(started).toEqual([{ name: 'greeting', input: '', instanceId: undefined }]);
    expect(payload.statusQueryGetUri.startsWith(`${devhost!.url}/runtime/webhooks/durabletask/instances/${payload.id}?`)).toBe(true);
    expect((await fetch(`${devhost!.url}/api/greetings`, { method: 'POST' })).status).toBe(404);
  });

  it('lists the functions with their routes and schedules', () => {
    expect(devhost!.functions).toEqual(
      expect.arrayContaining([
        { name: 'startGreeting', triggerType: 'httpTrigger', detail: 'POST /v1/greetings/{id?}' },
        { name: 'nightly', triggerType: 'timerTrigger', detail: '0 30 2 * * *' },
      ]),
    );
  });

  it('points WEBSITE_HOSTNAME at itself while running and restores it on stop', async () => {
    expect(process.env.WEBSITE_HOSTNAME).toBe(`127.0.0.1:${devhost!.port}`);
    await devhost!.stop();
    expect(process.env.WEBSITE_HOSTNAME).toBe(hostnameBefore);
    await expect(fetch(`${devhost!.url}/v1/greetings`, { method: 'POST' })).rejects.toThrow();
  });
});
