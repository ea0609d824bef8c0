/**
 * bench/certificates (issue 9): the daily certificate check over many tenants, on devhost (child
 * process, compiled app) with the SAP sandbox answering every SAP call after 10 ms and the registry on
 * Azurite. Seeding is direct: subaccounts share one RSA key (each has its own certificate), tenants
 * share one SAP_COM_0A48 user, each tenant's communication system holds its subaccount's certificate,
 * and the registry rows are written in one table transaction per subaccount.
 *   (a) t(10 × N tenants) ÷ t(N tenants);
 *   (b) wall ÷ (SAP calls × latency ÷ concurrency): concurrency = subaccounts checked at once = the
 *       SAP calls in flight (each subaccount's calls go one after the other);
 *   (c) devhost peak RSS and durable journal bytes per tenant during the large check;
 *   (d) the floor of (b) set by one TLS handshake per tenant host (tlsFloor.ts), measured bare after
 *       the large check with the sandbox's CA: max(tenants × client CPU, tenants × (client + server
 *       CPU) ÷ cores) ÷ the ideal of (b).
 * BENCH_CERT_SUBACCOUNTS (default 1000) and BENCH_CERT_TENANTS_PER_SUBACCOUNT (10) set the large run;
 * BENCH_TLS_FLOOR_REQUESTS (default 2000, at most the large run's tenants) the bare measurement.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TableTransaction } from '@azure/data-tables';
import { startSandbox, type RunningSandbox } from '../../sandbox';
import { generateRsaKeyPair } from '../../sandbox/core/certificateAuthority';
import { selfSigned, trustCertificateCn } from '../../sandbox/btp/trustCertificate';
import { startAzuriteTable } from '../../devhost/azurite/azuriteTable';
import { parseCertificate } from '../../shared/certificates';
import { tableClient, tableConnectionFromEnv, type TenantRecord } from '../../shared/registry';
import { toEntity } from '../../shared/registry/tenantEntity';
import { fileSecretStore } from '../../shared/secrets';
import type { BenchFigure, BenchReport } from '../run';
import { processCpuSeconds, spawnDevhost, type DevhostProcess } from '../onboarding/devhostProcess';
import { measureTlsFloor, tlsFloor } from './tlsFloor';
import { machineCpuTimes, stolenShare } from '../stolenCpu';

const LATENCY_MS = 10;
const CONCURRENCY = Number(process.env.BENCH_CERT_CONCURRENCY ?? 16);
const BATCH_SIZE = 25;
/** BENCH_CPU_PROF_DIR: devhost runs with --cpu-prof and writes its profiles there (run the bench itself with node --cpu-prof for the sandbox's). */
const DEVHOST_NODE_ARGS = process.env.BENCH_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`] : [];
const REPO_ROOT = resolve(__dirname, '../../..');
const BOOTSTRAP = { name: 'SAP_COM_0A48_BENCH', password: `Bench-${randomBytes(12).toString('base64url')}` };
const BOOTSTRAP_SECRET = 's4-bench-sap-com-0a48-user';
const SYSTEM_ID = 'BTP_TRUST';

interface BenchSubaccount {
  guid: string;
  subdomain: string;
  serviceKey: Record<string, string>;
  secretName: string;
  keyPair: { privateKeyPem: string; certificatePem: string };
  tenants: string[];
}

function landscape(subaccounts: number, tenantsPerSubaccount: number): BenchSubaccount[] {
  const key = generateRsaKeyPair(2048);
  const now = new Date();
  return Array.from({ length: subaccounts }, (_, i) => {
    const guid = `${randomUUID().slice(0, 8)}${randomUUID().slice(8)}`;
    const subdomain = `bench-${i + 1}`;
    return {
      guid,
      subdomain,
      serviceKey: {
        clientid: `sb-clone-destination!b${i + 1}|destination-xsappname!b404`,
        clientsecret: `bench-secret-${randomBytes(12).toString('base64url')}`,
        url: `https://${subdomain}.authentication.eu10.hana.ondemand.com`,
        uri: 'https://destination-configuration.cfapps.eu10.hana.ondemand.com',
        uaadomain: 'authentication.eu10.hana.ondemand.com',
        identityzone: subdomain,
        tenantid: guid,
      },
      secretName: `btp-${subdomain}-destination-service-key`,
      keyPair: selfSigned({ region: 'eu10', guid }, key, now),
      tenants: Array.from({ length: tenantsPerSubaccount }, (_, t) => `my${800000 + i * tenantsPerSubaccount + t}`),
    };
  });
}

function recordOf(s: BenchSubaccount, tenant: string, at: string): TenantRecord {
  const cert = parseCertificate(s.keyPair.certificatePem);
  return {
    tenantHost: `${tenant}-api.s4hana.ondemand.com`,
    subaccountId: s.guid,
    region: 'eu10',
    communicationSystemId: SYSTEM_ID,
    scenarioId: 'SAP_COM_0501',
    arrangementName: 'SAP_COM_0501_BTP',
    destinationName: `S4_${tenant.toUpperCase()}`,
    trustCertificate: { fingerprintSha256: cert.fingerprintSha256, commonName: cert.commonName, notAfter: cert.notAfter },
    onboardedAt: at,
    lastVerifiedAt: at,
    destinationServiceKeySecret: s.secretName,
    bootstrapUserSecret: BOOTSTRAP_SECRET,
  };
}

function dirBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    total += entry.isDirectory() ? dirBytes(p) : statSync(p).size;
  }
  return total;
}

interface CheckRun {
  wallMs: number;
  tenants: number;
  subaccounts: number;
  counts: Record<string, number>;
  journalBytes: number;
  peakRssMiB?: number;
}

export async function runCertificatesBench(): Promise<BenchReport> {
  const largeSubaccounts = Number(process.env.BENCH_CERT_SUBACCOUNTS ?? 1000);
  const perSubaccount = Number(process.env.BENCH_CERT_TENANTS_PER_SUBACCOUNT ?? 10);
  const smallSubaccounts = Math.max(1, Math.round(largeSubaccounts / 10));
  const dataDir = mkdtempSync(join(tmpdir(), 'sap-trust-bench-certs-'));
  const seedStarted = Date.now();
  const subaccounts = landscape(largeSubaccounts + 2, perSubaccount);
  const seed = {
    subaccounts: subaccounts.map((s) => ({ guid: s.guid, region: 'eu10', subdomain: s.subdomain, serviceKey: s.serviceKey, trustCertificate: 'active', activeKeyPair: s.keyPair })),
    s4Tenants: subaccounts.flatMap((s) =>
      s.tenants.map((tenant) => ({
        tenant,
        bootstrapUser: BOOTSTRAP,
        communicationSystems: [{ id: SYSTEM_ID, samlIssuer: trustCertificateCn('eu10', s.guid), signingCertificatePem: s.keyPair.certificatePem }],
      })),
    ),
  };
  let sandbox: RunningSandbox | undefined;
  let devhost: DevhostProcess | undefined;
  const azurite = await startAzuriteTable({ location: join(dataDir, 'azurite') });
  try {
    sandbox = await startSandbox({ port: 0, dataDir, seed, quiet: true, latencyMs: 0, persistDebounceMs: 60_000 });
    const table = tableClient(tableConnectionFromEnv({ AzureWebJobsStorage: azurite.connectionString }).connection!, 'TenantRegistry');
    await table.createTable();
    const secrets = fileSecretStore({ dir: join(dataDir, 'secrets') });
    await secrets.set(BOOTSTRAP_SECRET, JSON.stringify({ user: BOOTSTRAP.name, password: BOOTSTRAP.password }), { contentType: 'application/json; purpose=s4-sap-com-0a48-user', tags: {} });
    const at = new Date().toISOString();
    const register = async (group: BenchSubaccount[]) => {
      for (const s of group) {
        await secrets.set(s.secretName, JSON.stringify(s.serviceKey), { contentType: 'application/json; purpose=btp-destination-service-key', tags: {} });
        const tx = new TableTransaction();
        for (const t of s.tenants) tx.upsertEntity(toEntity(recordOf(s, t, at)), 'Replace');
        await table.submitTransaction(tx.actions);
      }
    };
    const [probe, ...rest] = [subaccounts.slice(0, 2), ...[subaccounts.slice(2, 2 + smallSubaccounts), subaccounts.slice(2 + smallSubaccounts)]];
    await register(probe);
    const seedMs = Date.now() - seedStarted;

    const env = {
      SAP_CONNECT_TO: sandbox.connectTo,
      SAP_EXTRA_CA_FILE: sandbox.caFile,
      SECRET_STORE: 'file',
      REGISTRY_STORE: 'table',
      AzureWebJobsStorage: azurite.connectionString,
      CERTIFICATE_CHECK_CONCURRENCY: String(CONCURRENCY),
      CERTIFICATE_CHECK_BATCH_SIZE: String(BATCH_SIZE),
    };
    devhost = await spawnDevhost({ dataDir, repoRoot: REPO_ROOT, env, nodeArgs: DEVHOST_NODE_ARGS });
    await admin(sandbox.adminUrl, 'PUT', '/latency', { ms: LATENCY_MS });

    // Warm-up on the two probe subaccounts, which also proves how many SAP calls a subaccount costs.
    await admin(sandbox.adminUrl, 'DELETE', '/requests');
    const warm = await check(devhost, dataDir);
    const { requests } = (await admin(sandbox.adminUrl, 'GET', '/requests')) as { requests: unknown[] };
    const callsPerSubaccount = requests.length / probe.length - perSubaccount;

    await register(rest[0]);
    await devhost.stop();
    devhost = await spawnDevhost({ dataDir, repoRoot: REPO_ROOT, env, nodeArgs: DEVHOST_NODE_ARGS });
    const small = await check(devhost, dataDir);

    const registerStarted = Date.now();
    await register(rest[1]);
    const registerMs = Date.now() - registerStarted;
    await devhost.stop();
    devhost = await spawnDevhost({ dataDir, repoRoot: REPO_ROOT, env, nodeArgs: DEVHOST_NODE_ARGS });
    const peakReset = devhost.resetPeak();
    const cpuBefore = devhost.cpuSeconds() ?? NaN;
    const benchCpuBefore = process.cpuUsage();
    const azuriteCpuBefore = cpuSecondsOf(azurite.pid);
    const loadBefore = loadavg()[0];
    const machineCpuBefore = machineCpuTimes();
    const large = await check(devhost, dataDir);
    const largeSteal = stolenShare(machineCpuBefore, machineCpuTimes());
    const devhostCpu = (devhost.cpuSeconds() ?? NaN) - cpuBefore;
    const benchCpuUsed = process.cpuUsage(benchCpuBefore);
    // The sandbox runs in this process: its CPU is this process's, less the polling (a few requests a second).
    const sandboxCpu = (benchCpuUsed.user + benchCpuUsed.system) / 1e6;
    const azuriteCpu = cpuSecondsOf(azurite.pid) - azuriteCpuBefore;
    const msPerTenant = (seconds: number) => ((seconds * 1000) / large.tenants).toFixed(2);

    const callsOf = (run: CheckRun) => run.subaccounts * callsPerSubaccount + run.tenants;
    const ideal = (run: CheckRun) => (callsOf(run) * LATENCY_MS) / CONCURRENCY;

    // Measured once the check is done (devhost idle), so the bare client has this process to itself.
    const floorLoadBefore = loadavg()[0];
    const bareCpuBefore = machineCpuTimes();
    const bare = await measureTlsFloor({ sandboxDir: join(dataDir, 'sandbox'), requests: Math.min(large.tenants, Number(process.env.BENCH_TLS_FLOOR_REQUESTS ?? 2000)), inFlight: CONCURRENCY });
    const floor = tlsFloor({ tenants: large.tenants, clientMsPerRequest: bare.clientMsPerRequest, serverMsPerRequest: bare.serverMsPerRequest, cores: cpus().length, idealMs: ideal(large) });
    const bareNote = `${bare.requests} GETs to as many hosts, ${bare.inFlight} in flight, Node's https client with the product's agent (Node's roots + the sandbox CA, verified) against a bare https server with the sandbox's CA in a child process; wall ${bare.wallMs} ms; load ${floorLoadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after; hypervisor ${stolenShare(bareCpuBefore, machineCpuTimes())}`;
    const figures: BenchFigure[] = [
      {
        workload: `check ${large.tenants} vs ${small.tenants} tenants, ${LATENCY_MS} ms per SAP call`,
        measure: `t(${large.tenants}) ÷ t(${small.tenants})`,
        value: large.wallMs / small.wallMs,
        aim: '≤ 11',
        note: `t(${large.tenants}) ${large.wallMs} ms, t(${small.tenants}) ${small.wallMs} ms; counts ${JSON.stringify(large.counts)}`,
      },
      {
        workload: `check ${large.tenants} tenants in ${large.subaccounts} subaccounts`,
        measure: 'wall ÷ (SAP calls × latency ÷ concurrency)',
        value: large.wallMs / ideal(large),
        aim: '≤ 1.5',
        note: `${callsOf(large)} SAP calls (${callsPerSubaccount} per subaccount + 1 per tenant, counted in the warm-up's sandbox log) × ${LATENCY_MS} ms ÷ ${CONCURRENCY} = ${Math.round(ideal(large))} ms; wall ${large.wallMs} ms; devhost CPU ${devhostCpu.toFixed(1)} s; load ${loadavg()[0].toFixed(1)} on ${cpus().length} cores; hypervisor ${largeSteal}`,
      },
      { workload: `check ${small.tenants} tenants`, measure: 'wall ÷ (SAP calls × latency ÷ concurrency)', value: small.wallMs / ideal(small), aim: 'report' },
      { workload: `check ${large.tenants} tenants`, measure: `devhost peak RSS (VmHWM${peakReset ? ', reset before the check' : ''})`, value: large.peakRssMiB ?? NaN, unit: 'MiB', aim: '≤ 512' },
      {
        workload: `check ${large.tenants} tenants`,
        measure: 'CPU ms per tenant: devhost + sandbox + Azurite',
        value: ((devhostCpu + sandboxCpu + azuriteCpu) * 1000) / large.tenants,
        unit: 'ms',
        aim: 'report',
        note: `devhost ${msPerTenant(devhostCpu)}, sandbox (bench process) ${msPerTenant(sandboxCpu)}, Azurite ${msPerTenant(azuriteCpu)} ms per tenant; ${cpus().length} cores give ${((cpus().length * large.wallMs) / large.tenants).toFixed(2)} core-ms per tenant of wall; load ${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after`,
      },
      { workload: 'one new TLS host per request, bare', measure: 'client CPU ms per request (one worker thread)', value: bare.clientMsPerRequest, unit: 'ms', aim: 'report', note: bareNote },
      { workload: 'one new TLS host per request, bare', measure: 'server CPU ms per request', value: bare.serverMsPerRequest, unit: 'ms', aim: 'report' },
      {
        workload: `check ${large.tenants} tenants in ${large.subaccounts} subaccounts`,
        measure: 'floor of wall ÷ (SAP calls × latency ÷ concurrency) set by one TLS handshake per tenant host',
        value: floor.ratio,
        aim: 'report',
        note: `max(${large.tenants} × ${bare.clientMsPerRequest.toFixed(2)} ms client CPU on one thread = ${Math.round(floor.oneThreadMs)} ms, ${large.tenants} × (${bare.clientMsPerRequest.toFixed(2)} + ${bare.serverMsPerRequest.toFixed(2)}) ms ÷ ${cpus().length} cores = ${Math.round(floor.allCoresMs)} ms) = ${Math.round(floor.floorMs)} ms, set by ${floor.boundBy}, ÷ ideal ${Math.round(ideal(large))} ms`,
      },
      { workload: `check ${large.tenants} tenants`, measure: 'durable journal bytes per tenant', value: large.journalBytes / large.tenants, unit: 'B', aim: 'report', note: `${large.journalBytes} bytes added under DATA_DIR/durable` },
      { workload: 'seeding', measure: 'seed sandbox + first registry rows; registry rows of the large run', value: seedMs, unit: 'ms', aim: 'report', note: `${registerMs} ms for the large run's rows; warm-up check ${warm.wallMs} ms` },
    ];
    return { name: 'certificates', figures };

    /** The three checks run the same day, so each asks for a recheck (the day's id is fixed). */
    async function check(host: DevhostProcess, dir: string): Promise<CheckRun> {
      const journalBefore = dirBytes(join(dir, 'durable'));
      const started = Date.now();
      const res = await fetch(`${host.url}/api/certificate-checks`, { method: 'POST', headers: { 'x-functions-key': host.key, 'content-type': 'application/json' }, body: JSON.stringify({ recheck: true }) });
      if (res.status !== 202) throw new Error(`POST /api/certificate-checks: ${res.status} ${await res.text()}`);
      const { id } = (await res.json()) as { id: string };
      for (let failures = 0; ; ) {
        await sleep(200);
        let got: Response;
        try {
          got = await fetch(`${host.url}/api/certificate-checks/${id}`, { headers: { 'x-functions-key': host.key }, signal: AbortSignal.timeout(60_000) });
        } catch (e) {
          // A loaded machine may drop a poll; devhost gone is another matter.
          if (!existsSync(`/proc/${host.pid}`)) throw new Error(`devhost (pid ${host.pid}) died during check ${id}`);
          if (++failures > 10) throw new Error(`polling check ${id} failed 10 times: ${(e as Error).message} ${String((e as { cause?: unknown }).cause ?? '')}`);
          continue;
        }
        if (got.status === 202) {
          await got.arrayBuffer();
          continue;
        }
        const view = (await got.json()) as { status: string; result?: { tenants: number; subaccounts: number; counts: Record<string, number> }; error?: unknown };
        const wallMs = Date.now() - started;
        if (view.status !== 'completed' || !view.result) throw new Error(`check ${id} ${view.status}: ${JSON.stringify(view.error)}`);
        return { wallMs, tenants: view.result.tenants, subaccounts: view.result.subaccounts, counts: view.result.counts, journalBytes: dirBytes(join(dir, 'durable')) - journalBefore, peakRssMiB: host.peakRssMiB() };
      }
    }
  } finally {
    await devhost?.stop();
    await sandbox?.stop();
    await azurite.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function cpuSecondsOf(pid: number | undefined): number {
  return pid === undefined ? NaN : (processCpuSeconds(pid) ?? NaN);
}

async function admin(adminUrl: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${adminUrl}${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`sandbox ${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
  return text ? JSON.parse(text) : undefined;
}
