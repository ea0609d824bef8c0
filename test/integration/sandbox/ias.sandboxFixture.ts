/** Starts a sandbox with only the given services on 127.0.0.1:0 in a temporary data dir, for the IAS / Neo tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SandboxService } from '../../../sandbox/core/service';
import { startSandbox, type RunningSandbox } from '../../../sandbox/index';
import type { SapConnectionOptions } from '../../../shared/sap/http';
import { destroySharedSapAgents } from '../../../shared/sap/http';

export interface SandboxFixture {
  sandbox: RunningSandbox;
  options: SapConnectionOptions;
  setFaults(rules: unknown[]): Promise<void>;
  clearRequests(): Promise<void>;
  requests(): Promise<{ method: string; host: string; path: string; status: number }[]>;
  stop(): Promise<void>;
}

export async function startSandboxFixture(services: SandboxService<any>[], seed: Record<string, unknown>): Promise<SandboxFixture> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'sandbox-ias-neo-'));
  const sandbox = await startSandbox({ port: 0, dataDir, seed, services, quiet: true, persistDebounceMs: 0 });
  const admin = async (method: string, sub: string, body?: unknown) => {
    const res = await fetch(`${sandbox.adminUrl}${sub}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`sandbox admin ${method} ${sub}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  return {
    sandbox,
    options: { connectTo: sandbox.connectTo, extraCaPem: sandbox.caPem, timeoutMs: 10_000 },
    async setFaults(rules) {
      await admin('PUT', '/faults', rules);
    },
    async clearRequests() {
      await admin('DELETE', '/requests');
    },
    async requests() {
      return ((await admin('GET', '/requests')) as { requests: { method: string; host: string; path: string; status: number }[] }).requests;
    },
    async stop() {
      destroySharedSapAgents();
      await sandbox.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
