/**
 * `npm start` and the tenant registry, over real HTTP on loopback: devhost (the compiled
 * `dist/devhost/main.js`, product app) starts Azurite itself when nothing answers on the
 * AzureWebJobsStorage port, imports an old file registry once, and a restart keeps every row:
 * onboard, stop devhost (its Azurite stops with it), start again, the row is there and a second
 * onboarding of the same tenant finds it unchanged.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { prepareOnboarding, seededLandscape, type PreparedOnboarding } from '../../../cli/sandboxOnboarding';
import { whatAnswersOn } from '../../../devhost/azurite/azuriteTable';
import { startSandbox, type RunningSandbox } from '../../../sandbox';
import { azuriteConnectionString, tableClient, tableConnectionFromEnv, tableTenantRegistry, type TenantRegistry } from '../../../shared/registry';
import { destroySharedSapAgents } from '../../../shared/sap/http/agent';
import { tenantRecord } from '../../support/tenantRecords';

const REPO_ROOT = path.resolve(__dirname, '../../..');
const DEVHOST_MAIN = path.join(REPO_ROOT, 'dist/devhost/main.js');

interface Devhost {
  url: string;
  output(): string;
  stop(): Promise<void>;
  kill(): Promise<void>;
}

async function startDevhostMain(env: Record<string, string>): Promise<Devhost> {
  if (!existsSync(DEVHOST_MAIN)) throw new Error(`${DEVHOST_MAIN} is missing: run npm run build first`);
  const child: ChildProcess = spawn(process.execPath, [DEVHOST_MAIN], { cwd: REPO_ROOT, env: { ...process.env, ...env, FUNCTIONS_PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`devhost did not start within 60 s:\n${output}`)), 60_000);
    child.stdout!.on('data', () => {
      // The banner is printed at once; wait for its last part so the registry lines are in.
      const found = /devhost listening on (http:\/\/127\.0\.0\.1:\d+)[\s\S]*functions:/.exec(output);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`devhost exited with ${code} during start:\n${output}`));
    });
  });
  return {
    url,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const forced = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(forced);
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

function call(url: string, method: string, key: string, body?: unknown): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = http.request(url, {
      method,
      agent: false,
      headers: { 'x-functions-key': key, accept: 'application/json', ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}) },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
    });
    req.end(payload);
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

let root: string;
let dataDir: string;
let sandbox: RunningSandbox;
let prepared: PreparedOnboarding;
let env: Record<string, string>;
let port: number;
let registry: TenantRegistry;
let devhost: Devhost | undefined;
const OLD_ROW = tenantRecord({ tenantHost: 'my200001-api.s4hana.ondemand.com', subaccountId: '0a0b0c0d-0000-4000-8000-00000000beef' });

async function onboard(d: Devhost): Promise<any> {
  const key = JSON.parse(readFileSync(path.join(dataDir, 'host-keys.json'), 'utf8')).functionKeys.default as string;
  for (const c of prepared.credentials) {
    const put = await call(`${d.url}/api/credentials/${c.name}`, 'PUT', key, { value: c.value, contentType: c.contentType });
    expect(put.status).toBe(204);
  }
  const started = await call(`${d.url}/api/onboardings`, 'POST', key, prepared.request);
  expect(started.status).toBe(202);
  const deadline = Date.now() + 90_000;
  for (;;) {
    const view = (await call(`${d.url}/api/onboardings/${encodeURIComponent(started.body.id)}`, 'GET', key)).body;
    if (['completed', 'failed', 'terminated', 'waiting for manual step'].includes(view.status)) return view;
    if (Date.now() > deadline) throw new Error(`onboarding still ${view.status}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'devhost-registry-'));
  dataDir = path.join(root, 'data');
  sandbox = await startSandbox({ port: 0, dataDir: path.join(root, 'sandbox'), quiet: true });
  const landscape = seededLandscape(sandbox.seed);
  prepared = prepareOnboarding(landscape.subaccounts[0], landscape.s4Tenants[0]);
  port = await freePort();
  env = {
    DATA_DIR: dataDir,
    SAP_CONNECT_TO: sandbox.connectTo,
    SAP_EXTRA_CA_FILE: sandbox.caFile,
    SECRET_STORE: 'file',
    AzureWebJobsStorage: azuriteConnectionString(port),
  };
  registry = tableTenantRegistry({ client: tableClient(tableConnectionFromEnv(env).connection!, 'TenantRegistry') });
  // A registry written by an earlier version, as files.
  mkdirSync(path.join(dataDir, 'registry'), { recursive: true });
  writeFileSync(path.join(dataDir, 'registry', `${OLD_ROW.tenantHost}__${OLD_ROW.subaccountId}.json`), JSON.stringify(OLD_ROW, null, 2));
});

afterAll(async () => {
  await devhost?.stop();
  await sandbox?.stop();
  destroySharedSapAgents();
  rmSync(root, { recursive: true, force: true });
});

describe('devhost keeps the tenant registry in Azurite', () => {
  let firstRun: any;
  let firstOutput: string;
  let firstOnboardedAt: string | undefined;

  it('the first start starts Azurite under DATA_DIR and imports the old file registry once, saying so', async () => {
    expect(await whatAnswersOn(port)).toBe('nothing');
    devhost = await startDevhostMain(env);
    firstOutput = devhost.output();
    expect(firstOutput).toMatch(new RegExp(`registry: +table TenantRegistry on Azurite at 127\\.0\\.0\\.1:${port} \\(started in \\d+ ms, data in ${dataDir.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}/azurite\\)`));
    expect(firstOutput).toMatch(/imported 1 row\(s\) from the file registry .* into table TenantRegistry/);
    expect(await whatAnswersOn(port)).toBe('azurite');
    expect(readdirSync(path.join(dataDir, 'registry'))).toEqual([`${OLD_ROW.tenantHost}__${OLD_ROW.subaccountId}.json.migrated`]);
    expect(await registry.get(OLD_ROW.tenantHost, OLD_ROW.subaccountId)).toEqual(OLD_ROW);
  });

  it('an onboarding over the API records the tenant in the table', async () => {
    firstRun = await onboard(devhost!);
    expect(firstRun.status).toBe('completed');
    expect(firstRun.steps.find((s: any) => s.id === 'record').outcome).toBe('created');
    const row = await registry.get(prepared.request.s4.host, prepared.request.btp.subaccountId);
    expect(row).toMatchObject({
      tenantHost: prepared.request.s4.host,
      destinationName: firstRun.result.destinationName,
      trustCertificate: { fingerprintSha256: firstRun.result.certificateFingerprint, notAfter: firstRun.result.certificateNotAfter },
      onboardingId: firstRun.id,
    });
    firstOnboardedAt = row?.onboardedAt;
  });

  it('stopping devhost stops the Azurite it started; starting again brings the same rows back, imported nothing twice', async () => {
    await devhost!.stop();
    expect(await whatAnswersOn(port)).toBe('nothing');
    devhost = await startDevhostMain(env);
    expect(devhost.output()).toMatch(/registry: +table TenantRegistry on Azurite/);
    expect(devhost.output()).not.toMatch(/imported/);
    const rows = await registry.list();
    expect(rows.map((r) => r.tenantHost).sort()).toEqual([prepared.request.s4.host, OLD_ROW.tenantHost].sort());

    const again = await onboard(devhost);
    expect(again.status).toBe('completed');
    expect(again.steps.find((s: any) => s.id === 'record').outcome).toBe('unchanged');
    const row = await registry.get(prepared.request.s4.host, prepared.request.btp.subaccountId);
    expect(firstOnboardedAt).toBeDefined();
    expect(row?.onboardedAt).toBe(firstOnboardedAt);
    expect(row?.onboardingId).toBe(again.id);
  });

  it('a second devhost on the same storage uses the Azurite that answers instead of starting another', async () => {
    const second = await startDevhostMain({ ...env, DATA_DIR: path.join(root, 'second') });
    try {
      expect(second.output()).toMatch(new RegExp(`registry: +table TenantRegistry on the Azurite already running at 127\\.0\\.0\\.1:${port}`));
      expect(existsSync(path.join(root, 'second', 'azurite'))).toBe(false);
    } finally {
      await second.stop();
    }
    // The first one's Azurite is still there.
    expect(await whatAnswersOn(port)).toBe('azurite');
  });

  it('an Azurite started by a devhost that is killed (SIGKILL) ends with it: nothing is left running', async () => {
    const ownPort = await freePort();
    const killed = await startDevhostMain({ ...env, DATA_DIR: path.join(root, 'killed'), AzureWebJobsStorage: azuriteConnectionString(ownPort) });
    expect(await whatAnswersOn(ownPort)).toBe('azurite');
    await killed.kill();
    const deadline = Date.now() + 15_000;
    while ((await whatAnswersOn(ownPort)) !== 'nothing' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(await whatAnswersOn(ownPort)).toBe('nothing');
  });

  it('refuses a storage port held by something that is not Azurite, naming it', async () => {
    const squatter = http.createServer((_req, res) => res.end('hello')).listen(0, '127.0.0.1');
    await new Promise((r) => squatter.once('listening', r));
    const squatted = (squatter.address() as net.AddressInfo).port;
    try {
      const error = await startDevhostMain({ ...env, DATA_DIR: path.join(root, 'third'), AzureWebJobsStorage: azuriteConnectionString(squatted) }).catch((e: Error) => e);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(new RegExp(`on 127\\.0\\.0\\.1:${squatted} \\(AzureWebJobsStorage\\), but what answers there is not Azurite`));
    } finally {
      squatter.close();
    }
  });
});
