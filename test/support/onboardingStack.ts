/**
 * The whole product on loopback for the onboarding integration tests: the SAP sandbox in this
 * process (seeded with N BTP subaccounts and N S/4HANA Cloud tenants), devhost as a child process
 * running the compiled app (`node dist/devhost/main.js`, so `npm run build` must have run), the
 * seeded credentials stored through PUT /api/credentials/{name}, and small doors to the onboarding
 * API and the sandbox admin API. Everything listens on 127.0.0.1 port 0; stop() ends it all.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSandbox, type RunningSandbox } from '../../sandbox';
import { OnboardingView } from '../../shared/schemas/onboardingApi';
import { prepareOnboarding, type PreparedOnboarding } from '../../cli/sandboxOnboarding';
import { startAzuriteTable, type RunningAzurite } from '../../devhost/azurite/azuriteTable';
import { tableClient, tableConnectionFromEnv, tableTenantRegistry, type TenantRegistry } from '../../shared/registry';
import { adminRequest, sapRequest, type SandboxAnswer, type SandboxCall } from './sandboxClient';

export { OnboardingView } from '../../shared/schemas/onboardingApi';

// From test/support under ts-jest, or from dist/test/support when a benchmark runs the compiled helper.
export const REPO_ROOT = path.resolve(__dirname, path.basename(path.resolve(__dirname, '../..')) === 'dist' ? '../../..' : '../..');
const DEVHOST_MAIN = path.join(REPO_ROOT, 'dist/devhost/main.js');
const FINAL = new Set(['completed', 'failed', 'terminated']);

/** One BTP subaccount paired with one S/4HANA Cloud tenant, as seeded, with the request that onboards them. */
export interface Landscape {
  tenant: string;
  /** API host, `my100001-api.s4hana.ondemand.com`. */
  s4Host: string;
  subaccountId: string;
  region: string;
  subdomain: string;
  serviceKey: { clientid: string; clientsecret: string; url: string; uri: string; [k: string]: string };
  bootstrapUser: { name: string; password: string };
  prepared: PreparedOnboarding;
  /** A fresh copy of the POST /api/onboardings body each call. */
  request(): PreparedOnboarding['request'] & Record<string, unknown>;
}

/** How one seeded subaccount differs from the default (eu10, trust certificate present). */
export interface LandscapeSpec {
  /** BTP region; a region of its own gives the subaccount its own Destination service host. */
  region?: string;
  /** The subaccount's trust certificate at start (default 'active'). */
  trustCertificate?: 'none' | 'active';
  /** How long the subaccount's trust certificates are valid (sandbox default: two years). */
  trustCertificateValiditySeconds?: number;
}

export interface StackOptions {
  /** How many subaccount + tenant pairs to seed (default 1), or one spec each. Tenant i is my<100001+i>. */
  landscapes?: number | LandscapeSpec[];
  /** Extra devhost settings, e.g. SAP_HTTP_TIMEOUT_MS. */
  devhostEnv?: Record<string, string>;
  /** Extra node options for the devhost child, before its script (e.g. `--require` a test preload). */
  devhostNodeArgs?: string[];
  /**
   * The OAuth client ID S/4 gives an inbound user (tenant switch, contracts B.6): the communication
   * user's name or its CC… id. Default: env SANDBOX_OAUTH2_CLIENT_ID_FROM, else the sandbox default.
   */
  oauth2ClientIdFrom?: OAuth2ClientIdFrom;
  /** Neo subaccounts to seed (sandbox seed section `neoSubaccounts`, sandbox/neo/neoState.ts). */
  neoSubaccounts?: unknown[];
  /** More seed sections for the sandbox (e.g. `iasTenants`), beside the landscapes' subaccounts and tenants. */
  extraSeed?: Record<string, unknown>;
  /**
   * More S/4 tenants in the FIRST subaccount (rotation tests and bench): tenant j is my<300001+j>, with its
   * own SAP_COM_0A48 user; `stack.extraTenants[j].request()` onboards it to landscape 0's subaccount.
   */
  extraTenants?: number;
  /**
   * How long the sandbox waits before writing its state file after a change (default its own, 50 ms).
   * Benchmarks with hundreds of tenants raise it: rewriting megabytes of simulator state every 50 ms
   * is simulator overhead that SAP does not have.
   */
  sandboxPersistDebounceMs?: number;
}

/** An extra tenant of landscape 0's subaccount (StackOptions.extraTenants). */
export interface ExtraTenant {
  tenant: string;
  s4Host: string;
  prepared: PreparedOnboarding;
  request(): PreparedOnboarding['request'] & Record<string, unknown>;
}

export type OAuth2ClientIdFrom = 'name' | 'id';
/** Both ways SAP documents the client ID: tests that care run under each (describe.each). */
export const OAUTH2_CLIENT_ID_SOURCES: readonly OAuth2ClientIdFrom[] = ['name', 'id'];

function clientIdFromOption(option: OAuth2ClientIdFrom | undefined): OAuth2ClientIdFrom | undefined {
  if (option) return option;
  const fromEnv = process.env.SANDBOX_OAUTH2_CLIENT_ID_FROM?.trim();
  if (!fromEnv) return undefined;
  if (fromEnv !== 'name' && fromEnv !== 'id') throw new Error(`SANDBOX_OAUTH2_CLIENT_ID_FROM must be name or id, got ${JSON.stringify(fromEnv)}`);
  return fromEnv;
}

export interface ApiAnswer<T = any> {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  body: T;
}

const GUID_PREFIXES = () => randomBytes(4).toString('hex');

function buildLandscapes(specs: LandscapeSpec[]): { seed: Record<string, unknown>; landscapes: Landscape[] } {
  const landscapes: Landscape[] = [];
  const subaccounts: unknown[] = [];
  const s4Tenants: unknown[] = [];
  const usedPrefixes = new Set<string>();
  for (const [i, spec] of specs.entries()) {
    const region = spec.region ?? 'eu10';
    let prefix = GUID_PREFIXES();
    while (usedPrefixes.has(prefix)) prefix = GUID_PREFIXES();
    usedPrefixes.add(prefix);
    const subaccountId = `${prefix}${randomUUID().slice(8)}`;
    const subdomain = `onboarding-it-${i + 1}`;
    const tenant = `my${100001 + i}`;
    const serviceKey = {
      clientid: `sb-clone-destination!b${1000 + i}|destination-xsappname!b404`,
      clientsecret: `dest-secret-${randomBytes(18).toString('base64url')}`,
      url: `https://${subdomain}.authentication.${region}.hana.ondemand.com`,
      uri: `https://destination-configuration.cfapps.${region}.hana.ondemand.com`,
      uaadomain: `authentication.${region}.hana.ondemand.com`,
      identityzone: subdomain,
      tenantid: subaccountId,
      xsappname: `clone-destination!b${1000 + i}|destination-xsappname!b404`,
    };
    const bootstrapUser = { name: 'SAP_COM_0A48_BOOTSTRAP', password: `Boot-${randomBytes(18).toString('base64url')}` };
    // 2048-bit trust keys: the sandbox's default is SAP's 4096, which costs seconds per certificate.
    subaccounts.push({
      guid: subaccountId,
      region,
      subdomain,
      serviceKey,
      trustCertificate: spec.trustCertificate ?? 'active',
      trustCertificateKeyBits: 2048,
      ...(spec.trustCertificateValiditySeconds ? { trustCertificateValiditySeconds: spec.trustCertificateValiditySeconds } : {}),
    });
    s4Tenants.push({ tenant, bootstrapUser });
    const prepared = prepareOnboarding({ guid: subaccountId, region, subdomain, serviceKey }, { tenant, bootstrapUser });
    landscapes.push({
      tenant,
      s4Host: `${tenant}-api.s4hana.ondemand.com`,
      subaccountId,
      region,
      subdomain,
      serviceKey,
      bootstrapUser,
      prepared,
      request: () => JSON.parse(JSON.stringify(prepared.request)),
    });
  }
  return { seed: { subaccounts, s4Tenants }, landscapes };
}

function addExtraTenants(seed: { s4Tenants: unknown[] }, first: Landscape, count: number): ExtraTenant[] {
  const extra: ExtraTenant[] = [];
  for (let j = 0; j < count; j++) {
    const tenant = `my${300001 + j}`;
    const bootstrapUser = { name: 'SAP_COM_0A48_BOOTSTRAP', password: `Boot-${randomBytes(18).toString('base64url')}` };
    seed.s4Tenants.push({ tenant, bootstrapUser });
    const prepared = prepareOnboarding({ guid: first.subaccountId, region: first.region, subdomain: first.subdomain, serviceKey: first.serviceKey }, { tenant, bootstrapUser });
    extra.push({ tenant, s4Host: `${tenant}-api.s4hana.ondemand.com`, prepared, request: () => JSON.parse(JSON.stringify(prepared.request)) });
  }
  return extra;
}

export interface DevhostChild {
  url: string;
  output(): string;
  stop(): Promise<void>;
  /** SIGKILL, as when the host dies mid-activity; resolves when the process is gone. */
  kill(): Promise<void>;
}

/** devhost running the compiled app as a child process; for stacks without the sandbox (e.g. bad settings). */
export async function spawnDevhostChild(dataDir: string, env: Record<string, string>, nodeArgs: string[] = []): Promise<DevhostChild> {
  if (!existsSync(DEVHOST_MAIN)) throw new Error(`${DEVHOST_MAIN} is missing: run npm run build (or npx tsc -p .) first`);
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, DEVHOST_MAIN], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env, FUNCTIONS_PORT: '0', DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`devhost did not start within 60 s:\n${output}`)), 60_000);
    const check = () => {
      const found = /devhost listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`devhost exited with ${code} during start:\n${output}`));
    });
  });
  return {
    url,
    output: () => output,
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const forced = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(forced);
    },
  };
}

/**
 * One HTTP call. A string or value body is sent as JSON with Content-Type: application/json; a Buffer
 * is sent as is, with only the headers given (tests of what the API does with other bodies).
 */
export function httpCall(url: string, method: string, headers: Record<string, string>, body?: unknown, timeoutMs = 30_000): Promise<ApiAnswer> {
  return new Promise((resolve, reject) => {
    const raw = Buffer.isBuffer(body);
    const payload = body === undefined ? undefined : raw ? (body as Buffer) : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    const req = http.request(url, {
      method,
      agent: false,
      headers: {
        accept: 'application/json',
        ...(payload ? { 'content-length': String(payload.length), ...(raw ? {} : { 'content-type': 'application/json' }) } : {}),
        ...headers,
      },
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`${method} ${url}: no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks as unknown as Uint8Array[]).toString('utf8');
        let parsed: unknown;
        try {
          parsed = text ? JSON.parse(text) : undefined;
        } catch {
          parsed = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body: parsed });
      });
    });
    req.end(payload);
  });
}

export interface OnboardingStack {
  sandbox: RunningSandbox;
  landscapes: Landscape[];
  /** StackOptions.extraTenants: more tenants of landscape 0's subaccount. */
  extraTenants: ExtraTenant[];
  /** devhost's DATA_DIR (Durable state, secrets, keys). The sandbox keeps its own directory. */
  dataDir: string;
  /** The stack's own Azurite: the tenant registry is table TenantRegistry there (AzureWebJobsStorage = its connectionString). */
  azurite: RunningAzurite;
  /** The product's tenant registry, read straight from the stack's Azurite (corrupt rows skipped silently). */
  registry: TenantRegistry;
  devhostUrl: string;
  functionKey: string;
  masterKey: string;
  /** Everything devhost wrote to stdout and stderr so far. */
  devhostOutput(): string;
  /** A call to the product's API with the function key; path like `/api/onboardings`. */
  api<T = any>(method: string, pathOrUrl: string, body?: unknown, opts?: { key?: string | null }): Promise<ApiAnswer<T>>;
  /** POST /api/onboardings; expects 202. */
  start(request: unknown): Promise<OnboardingView>;
  get(id: string): Promise<OnboardingView>;
  /** Polls GET /api/onboardings/{id} until `until` holds (default: a final status). */
  waitFor(id: string, until?: (v: OnboardingView) => boolean, timeoutMs?: number): Promise<OnboardingView>;
  /** start + waitFor final (or waiting for a manual step). */
  onboard(request: unknown, timeoutMs?: number): Promise<OnboardingView>;
  sandboxState(): Promise<any>;
  sandboxRequests(): Promise<{ at: string; method: string; host: string; path: string; status: number; ms: number; fault?: string }[]>;
  clearSandboxRequests(): Promise<void>;
  setFaults(config: unknown): Promise<void>;
  clearFaults(): Promise<void>;
  setLatency(ms: number): Promise<void>;
  setSwitches(tenant: string, switches: Record<string, unknown>): Promise<void>;
  /**
   * Kills devhost with SIGKILL (the host dies; nothing is flushed) and starts it again on the same
   * DATA_DIR and settings (plus `env`), as Azure restarts a worker. devhostUrl and api() follow the
   * new port; the keys stay. Output of the killed process stays in devhostOutput().
   */
  restartDevhost(options?: { env?: Record<string, string> }): Promise<void>;
  /** kill -9 devhost, then start it again on the same DATA_DIR and Azurite (a new port: `api` follows it). */
  crashAndRestartDevhost(): Promise<void>;
  /** HTTPS to a simulated SAP host, through the sandbox port, trusting only its CA. */
  sap(url: string, call?: SandboxCall): Promise<SandboxAnswer>;
  stop(): Promise<void>;
}

export async function startOnboardingStack(options: StackOptions = {}): Promise<OnboardingStack> {
  const root = mkdtempSync(path.join(tmpdir(), 'onboarding-it-'));
  const dataDir = path.join(root, 'devhost');
  const specs = Array.isArray(options.landscapes) ? options.landscapes : Array.from({ length: options.landscapes ?? 1 }, () => ({}));
  const { seed, landscapes } = buildLandscapes(specs);
  const extraTenants = addExtraTenants(seed as { s4Tenants: unknown[] }, landscapes[0], options.extraTenants ?? 0);
  const sandbox = await startSandbox({
    port: 0,
    dataDir: path.join(root, 'sandbox-data'),
    seed: { ...(options.neoSubaccounts ? { ...seed, neoSubaccounts: options.neoSubaccounts } : seed), ...(options.extraSeed ?? {}) },
    quiet: true,
    ...(options.sandboxPersistDebounceMs !== undefined ? { persistDebounceMs: options.sandboxPersistDebounceMs } : {}),
  });
  let devhost: DevhostChild | undefined;
  let azurite: RunningAzurite | undefined;
  const stopAll = async () => {
    await devhost?.stop();
    await azurite?.stop();
    await sandbox.stop();
    rmSync(root, { recursive: true, force: true });
  };
  const devhostEnv = () => ({
    SAP_CONNECT_TO: sandbox.connectTo,
    SAP_EXTRA_CA_FILE: sandbox.caFile,
    SECRET_STORE: 'file',
    REGISTRY_STORE: 'table',
    AzureWebJobsStorage: azurite!.connectionString,
    ...(options.devhostEnv ?? {}),
  });
  try {
    azurite = await startAzuriteTable({ location: path.join(dataDir, 'azurite') });
    devhost = await spawnDevhostChild(dataDir, devhostEnv(), options.devhostNodeArgs);
  } catch (e) {
    await stopAll();
    throw e;
  }
  const keys = JSON.parse(readFileSync(path.join(dataDir, 'host-keys.json'), 'utf8')) as { masterKey: string; functionKeys: { default: string } };
  let url = devhost.url;
  let earlierOutput = '';

  const api = <T>(method: string, pathOrUrl: string, body?: unknown, opts: { key?: string | null } = {}) => {
    const key = opts.key === undefined ? keys.functionKeys.default : opts.key;
    const target = /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : `${url}${pathOrUrl}`;
    return httpCall(target, method, key ? { 'x-functions-key': key } : {}, body) as Promise<ApiAnswer<T>>;
  };
  const admin = async (p: string, call: SandboxCall = {}) => {
    const answer = await adminRequest(sandbox, p, call);
    if (answer.status !== 200) throw new Error(`sandbox admin ${call.method ?? 'GET'} ${p}: HTTP ${answer.status} ${answer.text}`);
    return answer.json();
  };

  const get = async (id: string): Promise<OnboardingView> => {
    const answer = await api<OnboardingView>('GET', `/api/onboardings/${encodeURIComponent(id)}`);
    // 202 while the run has not ended, 200 once it has (the Durable HTTP polling convention).
    if (answer.status !== 200 && answer.status !== 202) throw new Error(`GET onboarding ${id}: HTTP ${answer.status} ${answer.text}`);
    // The API's own schema: a changed shape fails here, loudly.
    return OnboardingView.parse(answer.body);
  };
  const waitFor = async (id: string, until: (v: OnboardingView) => boolean = (v) => FINAL.has(v.status), timeoutMs = 120_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const view = await get(id);
      if (until(view)) return view;
      if (Date.now() > deadline) throw new Error(`onboarding ${id} still ${view.status} after ${timeoutMs} ms: ${JSON.stringify(view.current)}`);
      await new Promise((r) => setTimeout(r, 150));
    }
  };
  const start = async (request: unknown): Promise<OnboardingView> => {
    const answer = await api<OnboardingView>('POST', '/api/onboardings', request);
    if (answer.status !== 202) throw new Error(`POST /api/onboardings: HTTP ${answer.status} ${answer.text}`);
    return OnboardingView.parse(answer.body);
  };

  const stack: OnboardingStack = {
    sandbox,
    landscapes,
    extraTenants,
    dataDir,
    azurite: azurite!,
    registry: tableTenantRegistry({
      client: tableClient(tableConnectionFromEnv({ AzureWebJobsStorage: azurite!.connectionString }).connection!, 'TenantRegistry'),
      onCorruptRecord: () => undefined,
    }),
    get devhostUrl() {
      return url;
    },
    functionKey: keys.functionKeys.default,
    masterKey: keys.masterKey,
    devhostOutput: () => earlierOutput + devhost!.output(),
    api,
    start,
    get,
    waitFor,
    async onboard(request, timeoutMs) {
      const started = await start(request);
      return waitFor(started.id, (v) => FINAL.has(v.status) || v.status === 'waiting for manual step', timeoutMs);
    },
    sandboxState: () => admin('/state'),
    sandboxRequests: async () => (await admin('/requests')).requests,
    clearSandboxRequests: async () => void (await admin('/requests', { method: 'DELETE' })),
    setFaults: async (config) => void (await admin('/faults', { method: 'PUT', body: config as object })),
    clearFaults: async () => void (await admin('/faults', { method: 'DELETE' })),
    setLatency: async (ms) => void (await admin('/latency', { method: 'PUT', body: { ms } })),
    setSwitches: async (tenant, switches) => void (await admin(`/tenants/${encodeURIComponent(tenant)}/switches`, { method: 'PUT', body: switches })),
    async crashAndRestartDevhost() {
      await stack.restartDevhost();
    },
    sap: (target, call) => sapRequest(sandbox, target, call),
    async restartDevhost(restart: { env?: Record<string, string> } = {}) {
      await devhost!.kill();
      earlierOutput += devhost!.output();
      devhost = await spawnDevhostChild(dataDir, { ...devhostEnv(), ...(restart.env ?? {}) }, options.devhostNodeArgs);
      url = devhost.url;
    },
    stop: stopAll,
  };

  try {
    const clientIdFrom = clientIdFromOption(options.oauth2ClientIdFrom);
    if (clientIdFrom) for (const l of landscapes) await stack.setSwitches(l.tenant, { oauth2ClientIdFrom: clientIdFrom });
    const stored = new Set<string>();
    for (const l of [...landscapes, ...extraTenants]) {
      for (const c of l.prepared.credentials) {
        if (stored.has(c.name)) continue;
        const answer = await api('PUT', `/api/credentials/${c.name}`, { value: c.value, contentType: c.contentType });
        if (answer.status !== 204) throw new Error(`PUT /api/credentials/${c.name}: HTTP ${answer.status} ${answer.text}`);
        stored.add(c.name);
      }
    }
  } catch (e) {
    await stopAll();
    throw e;
  }
  return stack;
}

/** The tenant and subaccount objects of /__sandbox/state (no logs, tokens or counters that move on reads). */
export function sandboxObjects(state: any): unknown {
  const tenants = state.services?.s4?.tenants ?? {};
  const s4 = Object.fromEntries(
    Object.entries<any>(tenants).map(([name, t]) => [
      name,
      {
        communicationUsers: t.communicationUsers,
        communicationSystems: t.communicationSystems,
        inboundUsers: t.inboundUsers,
        outboundUsers: t.outboundUsers,
        communicationArrangements: t.communicationArrangements,
      },
    ]),
  );
  const btp = (state.services?.btp?.subaccounts ?? []).map((s: any) => ({ guid: s.guid, trustCertificate: s.trustCertificate, destinations: s.destinations }));
  return { s4, btp };
}

/** What an S/4 tenant holds, from /__sandbox/state. */
export function s4Tenant(state: any, tenant: string): any {
  const t = state.services?.s4?.tenants?.[tenant];
  if (!t) throw new Error(`sandbox state has no S/4 tenant ${tenant}`);
  return t;
}

/** What a subaccount holds, from /__sandbox/state. */
export function subaccount(state: any, guid: string): any {
  const s = (state.services?.btp?.subaccounts ?? []).find((x: any) => x.guid === guid);
  if (!s) throw new Error(`sandbox state has no subaccount ${guid}`);
  return s;
}

export const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE', 'MERGE']);

/**
 * Every SAP call that changes something. Token requests (POST /oauth/token, the S/4 token endpoint)
 * and OData $batch-free reads are not writes; CSRF fetches are GETs.
 */
export function sapWrites(requests: { method: string; host: string; path: string }[]) {
  return requests.filter((r) => WRITE_METHODS.has(r.method.toUpperCase()) && !/\/oauth\/token$|\/oauth2\/token$|\/sap\/bc\/sec\/oauth2\/token/.test(r.path));
}
