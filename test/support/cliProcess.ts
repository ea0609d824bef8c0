/**
 * The compiled `sap-trust` as a child process with pipes (stdout is no terminal, so it prints whole
 * lines), pointed at a running stack's devhost with its function key.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './onboardingStack';

export const CLI = join(REPO_ROOT, 'dist/cli/main.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCliAgainst(target: { devhostUrl: string; functionKey: string }, args: string[]): Promise<CliRun> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CLI, ...args, '--url', target.devhostUrl, '--key', target.functionKey, '--interval', '100'], { env: { PATH: process.env.PATH ?? '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}
