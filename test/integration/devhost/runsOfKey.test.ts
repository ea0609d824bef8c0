/**
 * How a start finds the runs of its key (functions/http/instancesByPrefix.ts, runApi.ts runsOfKey/startRun):
 * an `instanceIdPrefix` list query without inputs, sent by a real DurableClient (built from the binding payload,
 * keyed management URLs) to a spawned devhost over loopback; the full-list fallback; one active run per key
 * (the refusal names the active run) and run numbers that go on after older runs were purged.
 */
import { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { DurableClient } from 'durable-functions';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { durableClientBindingPayload } from '../../../devhost/host/durableClientBinding';
import { instancesByPrefix } from '../../../functions/http/instancesByPrefix';
import { runsOfKey, startRun } from '../../../functions/http/runApi';
import type { WorkflowDefinition } from '../../../shared/workflow/defineWorkflow';
import { eventually, startDevhostProcess, type DevhostProcess } from './devhostProcess';

let devhost: DevhostProcess;
let dataDir: string;
let client: DurableClient;
let savedHostname: string | undefined;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'devhost-runs-of-key-'));
  devhost = await startDevhostProcess(dataDir);
  savedHostname = process.env.WEBSITE_HOSTNAME;
  process.env.WEBSITE_HOSTNAME = new URL(devhost.url).host; // else the SDK rewrites the URLs to localhost:7071
  const input = df.input.durableClient();
  const context = new InvocationContext({ functionName: 'test', options: { extraInputs: [input] } });
  context.extraInputs.set(input, durableClientBindingPayload({ origin: devhost.url, hubName: 'SapTrustOnboarding', systemKey: devhost.keys.systemKeys.durabletask_extension }));
  client = df.getClient(context);
});

afterAll(async () => {
  if (savedHostname === undefined) delete process.env.WEBSITE_HOSTNAME;
  else process.env.WEBSITE_HOSTNAME = savedHostname;
  await devhost?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const ids = (statuses: { instanceId: string }[]) => statuses.map((s) => s.instanceId).sort();

async function approve(instanceId: string): Promise<void> {
  await eventually(async () => ((await client.getStatus(instanceId)).customStatus ? true : undefined), 20_000, `${instanceId} to wait`);
  await client.raiseEvent(instanceId, 'Approval', { by: 'test' });
  await eventually(async () => ((await client.getStatus(instanceId)).runtimeStatus === 'Completed' ? true : undefined), 20_000, `${instanceId} to complete`);
}

describe('instancesByPrefix', () => {
  beforeAll(async () => {
    for (const id of ['pfx-a-r1', 'pfx-a-r2', 'pfx-ab-r1', 'other-pfx-a-r1']) {
      await client.startNew('helloSequence', { instanceId: id, input: ['Oslo'] });
    }
  });

  it('lists exactly the instances whose id starts with the prefix, without their inputs', async () => {
    const found = await instancesByPrefix(client, 'pfx-a');
    expect(ids(found)).toEqual(['pfx-a-r1', 'pfx-a-r2', 'pfx-ab-r1']);
    expect(found.every((s) => s.input === null && s.name === 'helloSequence')).toBe(true);
  });

  it('follows the continuation tokens when the host answers a page at a time', async () => {
    expect(ids(await instancesByPrefix(client, 'pfx-a', { pageSize: 1 }))).toEqual(['pfx-a-r1', 'pfx-a-r2', 'pfx-ab-r1']);
  });

  it('answers from the full list when the client does not carry the binding data it knows', async () => {
    const opaque = { getStatusBy: (filter: Parameters<DurableClient['getStatusBy']>[0]) => client.getStatusBy(filter) } as unknown as DurableClient;
    expect(ids(await instancesByPrefix(opaque, 'pfx-a'))).toEqual(['pfx-a-r1', 'pfx-a-r2', 'pfx-ab-r1']);
  });
});

describe('startRun and runsOfKey', () => {
  // A workflow declaration reduced to what the start reads; its orchestrator waits for the Approval event.
  const approvals = { name: 'waitForApproval', idPrefix: 'approve', key: (input: { key: string }) => input.key } as unknown as WorkflowDefinition<any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

  it('counts only the runs of its own key, not of a key that starts like it', async () => {
    const first = await startRun(client, approvals, [approvals], { key: 'k1' });
    const longer = await startRun(client, approvals, [approvals], { key: 'k10' });
    expect([first, longer]).toEqual([{ ok: true, id: 'approve-k1-r1' }, { ok: true, id: 'approve-k10-r1' }]);
    expect(ids(await runsOfKey(client, [approvals], 'k1'))).toEqual(['approve-k1-r1']);
    await approve('approve-k1-r1');
    await approve('approve-k10-r1');
  });

  it('refuses a second run of a key while one is active, naming it, and numbers the next one after it ended', async () => {
    const first = await startRun(client, approvals, [approvals], { key: 'k2' });
    expect(first).toEqual({ ok: true, id: 'approve-k2-r1' });
    const refused = await startRun(client, approvals, [approvals], { key: 'k2' });
    expect(refused.ok).toBe(false);
    expect(refused.ok === false && refused.active.instanceId).toBe('approve-k2-r1');
    await approve('approve-k2-r1');
    expect(await startRun(client, approvals, [approvals], { key: 'k2' })).toEqual({ ok: true, id: 'approve-k2-r2' });
    await approve('approve-k2-r2');
  });

  it('goes on from the latest run after the older ones were purged', async () => {
    await startRun(client, approvals, [approvals], { key: 'k3' });
    await approve('approve-k3-r1');
    await startRun(client, approvals, [approvals], { key: 'k3' });
    await approve('approve-k3-r2');
    expect((await client.purgeInstanceHistory('approve-k3-r1')).instancesDeleted).toBe(1);
    expect(ids(await runsOfKey(client, [approvals], 'k3'))).toEqual(['approve-k3-r2']);
    expect(await startRun(client, approvals, [approvals], { key: 'k3' })).toEqual({ ok: true, id: 'approve-k3-r3' });
  });
});
