/**
 * The compiled `sap-trust` as a child process with pipes (stdout is no terminal, so it prints whole
 * lines), pointed at a running stack's devhost with its function key.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { outputOf, type ChildOutput } from './childOutput';
import { REPO_ROOT } from './onboardingStack';

export const CLI = join(REPO_ROOT, 'dist/cli/main.js');

export type CliRun = ChildOutput;

export function runCliAgainst(target: { devhostUrl: string; functionKey: string }, args: string[]): Promise<CliRun> {
  return outputOf(spawn(process.execPath, [CLI, ...args, '--url', target.devhostUrl, '--key', target.functionKey, '--interval', '100'], { env: { PATH: process.env.PATH ?? '' } }));
}
