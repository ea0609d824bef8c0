/**
 * startSandbox(): the simulated SAP landscape, embeddable in tests and started by `npm run sandbox`
 * (docs/module-contracts.md, Sandbox section).
 */
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { createSapAgent } from '../shared/sap/http/agent';
import { handleAdminRequest, applySeed, type AdminDeps } from './core/admin';
import { loadOrCreateCa } from './core/certificateAuthority';
import { SandboxClock } from './core/clock';
import { FaultInjector } from './core/faults';
import { RequestLog } from './core/requestLog';
import { handleSapRequest } from './core/sapRoutes';
import { loadSeed, type SandboxSeed } from './core/seedFile';
import { listen } from './core/server';
import type { SandboxService } from './core/service';
import { SandboxState } from './core/state';
import { sandboxServices } from './services';
import { CertificateTimeline } from './timeline/certificateTimeline';
import type { BtpSlice } from './btp/btpState';
import type { S4Slice } from './s4/tenantState';
import type https from 'node:https';

export type { SandboxSeed } from './core/seedFile';

export interface SandboxOptions {
  /** Default SANDBOX_PORT or 4004; 0 = any free port. */
  port?: number;
  /** Default DATA_DIR or .data; the sandbox keeps ca.pem, ca-key.pem and state.json in <dataDir>/sandbox. */
  dataDir?: string;
  /** Seed object or file path; default SANDBOX_SEED or sandbox/seed.default.json. */
  seed?: SandboxSeed | string;
  /** Latency added to every SAP call (benchmarks use 50). */
  latencyMs?: number;
  quiet?: boolean;
  /** Services to run (default: every registered service). */
  services?: SandboxService<any>[];
  /** Debounce of state.json writes in ms (default 50). */
  persistDebounceMs?: number;
}

export interface RunningSandbox {
  port: number;
  /** http://127.0.0.1:<port>/__sandbox */
  adminUrl: string;
  caPem: string;
  caFile: string;
  /** 127.0.0.1:<port>: the value for SAP_CONNECT_TO. */
  connectTo: string;
  /** The effective seed, credentials included. */
  seed: SandboxSeed;
  /** Writes pending state and closes every connection (hanging ones too). */
  stop(): Promise<void>;
}

function resolvePort(option: number | undefined): number {
  if (option !== undefined) return option;
  const fromEnv = process.env.SANDBOX_PORT?.trim();
  if (!fromEnv) return 4004;
  const port = Number(fromEnv);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`SANDBOX_PORT must be a port number, got ${JSON.stringify(fromEnv)}`);
  return port;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const services = options.services ?? sandboxServices;
  const dataDir = options.dataDir ?? (process.env.DATA_DIR?.trim() || '.data');
  const dir = path.resolve(dataDir, 'sandbox');
  const seed = loadSeed(options.seed);
  const ca = loadOrCreateCa(dir);
  const clock = new SandboxClock();
  const state = new SandboxState(services, dir, options.persistDebounceMs, () => clock.now());
  const timeline = new CertificateTimeline({
    btp: () => state.sliceNamed('btp') as BtpSlice | undefined,
    s4: () => state.sliceNamed('s4') as S4Slice | undefined,
    now: () => clock.now(),
  });
  const faults = new FaultInjector();
  const log = new RequestLog();
  const initialLatency = options.latencyMs ?? 0;
  let latencyMs = initialLatency;
  const hanging = new Set<ServerResponse>();
  const say = (line: string) => {
    if (!options.quiet) process.stdout.write(`${line}\n`);
  };

  const adminDeps: AdminDeps = {
    services,
    state,
    faults,
    log,
    caPem: ca.caPem,
    startupSeed: () => seed,
    latency: { get: () => latencyMs, set: (ms) => (latencyMs = ms), initial: initialLatency },
    clock,
    timeline,
  };
  const unseeded = state.load();
  if (unseeded.length > 0) {
    const seeded = applySeed((s) => state.seed(s, unseeded), seed);
    if (seeded.status !== 200) throw new Error(`sandbox seed rejected: ${JSON.stringify(seeded.body)}`);
  }
  timeline.observe('sandbox start');

  let port = 0;
  let agent: https.Agent | undefined;
  const outboundAgent = () => (agent ??= createSapAgent({ connectTo: `127.0.0.1:${port}`, extraCaPem: ca.caPem }));

  const listener = await listen(
    {
      ca,
      admin: (req, res) => void handleAdminRequest(adminDeps, req, res),
      sap: (req, res) =>
        void handleSapRequest({ services, state, faults, log, latencyMs: () => latencyMs, clock, outboundAgent, hanging, onError: (m) => say(`sandbox: ${m}`), afterWrite: (cause, by) => observeUnlessTokenRequest(timeline, cause, by) }, req, res),
    },
    resolvePort(options.port),
  );
  port = listener.port;

  return {
    port,
    adminUrl: `http://127.0.0.1:${port}/__sandbox`,
    caPem: ca.caPem,
    caFile: ca.caFile,
    connectTo: `127.0.0.1:${port}`,
    seed,
    async stop() {
      for (const res of hanging) res.destroy();
      hanging.clear();
      agent?.destroy();
      await listener.close();
      await state.flush();
    },
  };
}

/**
 * A token request (XSUAA, IAS, Neo, the S/4 token endpoint) is a POST that changes no certificate:
 * the timeline skips it, so a check over thousands of tenants does not re-read every tenant per token.
 * A write to an S/4 tenant is observed for that tenant only; any other write (BTP) for every tenant.
 */
const TOKEN_PATH = /\/(oauth\/token|oauth2\/token|oauth2\/apitoken\/v1|sap\/bc\/sec\/oauth2\/token)(\?|$)/;
function observeUnlessTokenRequest(timeline: CertificateTimeline, cause: string, by: { service: string; hostParams: Record<string, string> }): void {
  if (TOKEN_PATH.test(cause)) return;
  timeline.observe(cause, by.service === 's4' ? by.hostParams.tenant : undefined);
}
