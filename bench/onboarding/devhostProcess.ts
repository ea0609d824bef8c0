/**
 * devhost as a child process (`node dist/devhost/main.js`), as it runs in production-like use, so
 * its memory can be read from /proc/<pid>/status while the benchmark drives it over HTTP.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { devhostKey } from '../../cli/target';

export interface DevhostProcess {
  url: string;
  key: string;
  pid: number;
  /** Peak resident set (VmHWM) since start or the last resetPeak(), in MiB. */
  peakRssMiB(): number | undefined;
  /** CPU seconds (user + system) devhost has used so far. */
  cpuSeconds(): number | undefined;
  /** Clears the kernel's high-water mark so the next peak is for one workload only. */
  resetPeak(): boolean;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** `nodeArgs`: options for node before the script, e.g. `--cpu-prof` to profile devhost. */
export async function spawnDevhost(options: { dataDir: string; env: Record<string, string>; repoRoot: string; nodeArgs?: string[] }): Promise<DevhostProcess> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [...(options.nodeArgs ?? []), join(options.repoRoot, 'dist/devhost/main.js')], {
    cwd: options.repoRoot,
    env: { ...process.env, ...options.env, DATA_DIR: resolve(options.dataDir), FUNCTIONS_PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = `http://127.0.0.1:${port}`;

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`devhost exited with ${child.exitCode}: ${stderr.trim()}`);
    try {
      await fetch(`${url}/api/health`);
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`devhost did not listen on ${url} within 60 s: ${stderr.trim()}`);
      }
      await sleep(100);
    }
  }
  const key = devhostKey(options.dataDir, (p) => readFileSync(p, 'utf8'));
  if (!key) throw new Error(`devhost keys not found in ${options.dataDir}`);
  const pid = child.pid!;

  return {
    url,
    key,
    pid,
    peakRssMiB() {
      try {
        const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
        return kb ? Number(kb) / 1024 : undefined;
      } catch {
        return undefined;
      }
    },
    cpuSeconds() {
      return processCpuSeconds(pid);
    },
    resetPeak() {
      try {
        writeFileSync(`/proc/${pid}/clear_refs`, '5');
        return true;
      } catch {
        return false;
      }
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const forced = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(forced);
    },
  };
}

/** CPU seconds (user + system) a process has used so far; undefined once it is gone. */
export function processCpuSeconds(pid: number): number | undefined {
  try {
    // Fields 14 and 15 of /proc/<pid>/stat, after the parenthesised command name.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}
