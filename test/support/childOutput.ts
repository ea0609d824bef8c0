/** What a child process printed and how it ended, once it has closed. */
import type { ChildProcess } from 'node:child_process';

export interface ChildOutput {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function outputOf(child: ChildProcess): Promise<ChildOutput> {
  return new Promise((done, fail) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => (stdout += d));
    child.stderr?.on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}
