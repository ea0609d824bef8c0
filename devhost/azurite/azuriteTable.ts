/**
 * Azurite's Table service from node_modules/azurite (dev and test only), as a child process on
 * 127.0.0.1. Its data stays under `location`. The child watches its IPC channel to us: when this
 * process ends, even by SIGKILL, the channel closes and Azurite closes its database and exits, so
 * no Azurite outlives the devhost, the demo or the test that started it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { azuriteConnectionString } from '../../shared/registry/tableConnection';

export interface RunningAzurite {
  port: number;
  /** `http://127.0.0.1:<port>/devstoreaccount1` */
  tableServiceUri: string;
  /** The development account on this port; what `UseDevelopmentStorage=true` means on 10002. */
  connectionString: string;
  location: string;
  /** How long the start took, until Azurite said it listens. */
  startMs: number;
  /** The Azurite child's process id (for CPU and memory readings in benchmarks). */
  pid?: number;
  stop(): Promise<void>;
}

export interface AzuriteTableOptions {
  /** Where Azurite keeps its database (`<DATA_DIR>/azurite`). */
  location: string;
  /** 0 (default) = a free port. */
  port?: number;
  /** Default 30 s. */
  startTimeoutMs?: number;
}

const AZURITE_TABLE_MAIN = require.resolve('azurite/dist/src/table/main.js');

// Runs Azurite's own CLI entry with its argv; when our channel closes, SIGINT makes Azurite save and close.
const CHILD_ENTRY = `
const [main, ...args] = process.argv.slice(1);
process.argv = [process.argv[0], main, ...args];
process.on('disconnect', () => {
  setTimeout(() => process.exit(0), 10000).unref();
  process.kill(process.pid, 'SIGINT');
});
require(main);
`;

export async function startAzuriteTable(options: AzuriteTableOptions): Promise<RunningAzurite> {
  const wanted = options.port ?? 0;
  for (let attempt = 1; ; attempt++) {
    const port = wanted === 0 ? await freePort() : wanted;
    try {
      return await startOn(port, options);
    } catch (e) {
      // A free port may be taken between our probe and Azurite's listen; a configured one is not retried.
      if (wanted !== 0 || attempt >= 3 || !(e as Error).message.includes('EADDRINUSE')) throw e;
    }
  }
}

async function startOn(port: number, options: AzuriteTableOptions): Promise<RunningAzurite> {
  const location = path.resolve(options.location);
  mkdirSync(location, { recursive: true });
  const args = ['--location', location, '--silent', '--skipApiVersionCheck', '--disableTelemetry', '--tableHost', '127.0.0.1', '--tablePort', String(port)];
  const started = Date.now();
  const child: ChildProcess = spawn(process.execPath, ['-e', CHILD_ENTRY, AZURITE_TABLE_MAIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: { ...process.env, AZURITE_ACCOUNTS: '' },
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  await new Promise<void>((resolve, reject) => {
    const timeoutMs = options.startTimeoutMs ?? 30_000;
    const timer = setTimeout(() => fail(new Error(`Azurite (Table service) did not start on 127.0.0.1:${port} within ${timeoutMs / 1000} s:\n${output}`)), timeoutMs);
    const onData = () => {
      if (output.includes('successfully started')) done();
    };
    const onExit = (code: number | null) =>
      fail(new Error(`Azurite (Table service) exited with ${code} while starting on 127.0.0.1:${port}: ${output.trim() || 'no output'}`));
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.off('exit', onExit);
    };
    function done() {
      cleanup();
      resolve();
    }
    function fail(e: Error) {
      cleanup();
      child.kill('SIGKILL');
      reject(e);
    }
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
  });

  const connectionString = azuriteConnectionString(port);
  return {
    port,
    tableServiceUri: `http://127.0.0.1:${port}/devstoreaccount1`,
    connectionString,
    location,
    startMs: Date.now() - started,
    pid: child.pid,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // Closing the channel is the child's signal to save and exit; SIGKILL only if it hangs.
      if (child.connected) child.disconnect();
      else child.kill('SIGINT');
      const forced = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(forced);
    },
  };
}

/** What answers HTTP on 127.0.0.1:port: Azurite's Table service, something else, or nothing. */
export function whatAnswersOn(port: number, host = '127.0.0.1', timeoutMs = 2_000): Promise<'azurite' | 'other' | 'nothing'> {
  return new Promise((resolve) => {
    const req = http.request({ host, port, path: '/devstoreaccount1/Tables', method: 'GET', agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(/^Azurite-Table\//.test(String(res.headers.server ?? '')) ? 'azurite' : 'other');
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED' ? 'nothing' : 'other'));
    req.end();
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
