/** Spawns the compiled devhost (`node dist/devhost/main.js`) on the replay test app, for crash tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '../../..');
const replayAppEntry = path.join(repoRoot, 'dist/test/apps/replay/index.js');

export interface DevhostChild {
  url: string;
  masterKey: string;
  kill(): Promise<void>;
  stop(): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function spawnDevhost(dataDir: string, counterFile: string): Promise<DevhostChild> {
  if (!fs.existsSync(replayAppEntry)) throw new Error(`${replayAppEntry} missing: run npm run build first`);
  const child = spawn(process.execPath, [path.join(repoRoot, 'dist/devhost/main.js'), '--app', replayAppEntry], {
    cwd: repoRoot,
    env: { ...process.env, FUNCTIONS_PORT: '0', DATA_DIR: dataDir, REPLAY_COUNTER_FILE: counterFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`devhost did not start:\n${output}`)), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const found = /devhost listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    });
    child.once('exit', () => {
      clearTimeout(timer);
      reject(new Error(`devhost exited during start:\n${output}`));
    });
  });
  const { masterKey } = JSON.parse(fs.readFileSync(path.join(dataDir, 'host-keys.json'), 'utf8')) as { masterKey: string };
  return {
    url,
    masterKey,
    kill: async () => {
      child.kill('SIGKILL');
      await exited(child);
    },
    stop: async () => {
      child.kill('SIGTERM');
      await exited(child);
    },
  };
}
