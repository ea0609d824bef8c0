/** Starts the compiled devhost (`node dist/devhost/main.js`) on the test app, port 0, its own DATA_DIR. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '../../..');
export const testAppEntry = path.join(repoRoot, 'dist/test/apps/host/index.js');
export const replayAppEntry = path.join(repoRoot, 'dist/test/apps/replay/index.js');

export interface DevhostProcess {
  url: string;
  keys: { masterKey: string; functionKeys: { default: string }; systemKeys: { durabletask_extension: string } };
  output(): string;
  /** SIGTERM and wait for exit. */
  stop(): Promise<number | null>;
  /** SIGKILL and wait for exit. */
  kill(): Promise<void>;
}

function exited(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve(child.exitCode)
    : new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

export async function startDevhostProcess(
  dataDir: string,
  env: Record<string, string> = {},
  appEntry = testAppEntry,
): Promise<DevhostProcess> {
  if (!fs.existsSync(appEntry)) throw new Error(`${appEntry} missing: run npm run build first`);
  const child = spawn(process.execPath, [path.join(repoRoot, 'dist/devhost/main.js'), '--app', appEntry], {
    cwd: repoRoot,
    env: { ...process.env, FUNCTIONS_PORT: '0', DATA_DIR: dataDir, TICK_SCHEDULE: '0 0 0 1 1 *', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`devhost did not start:\n${output}`)), 30000);
    const check = () => {
      const found = /devhost listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', () => {
      clearTimeout(timer);
      reject(new Error(`devhost exited during start:\n${output}`));
    });
  });
  const keys = JSON.parse(fs.readFileSync(path.join(dataDir, 'host-keys.json'), 'utf8'));
  return {
    url,
    keys,
    output: () => output,
    stop: async () => {
      child.kill('SIGTERM');
      return exited(child);
    },
    kill: async () => {
      child.kill('SIGKILL');
      await exited(child);
    },
  };
}

export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 20000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
