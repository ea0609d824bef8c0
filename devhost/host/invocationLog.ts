/** One structured stdout line per invocation, and the app's own context.log lines. */
import { format } from 'node:util';
import type { InvocationLogEntry } from '../engineContract';

export type LogWriter = (line: string) => void;

export function invocationLogger(write: LogWriter): (entry: InvocationLogEntry) => void {
  return (entry) =>
    write(
      JSON.stringify({
        time: new Date().toISOString(),
        function: entry.function,
        kind: entry.kind,
        instance: entry.instanceId,
        invocationId: entry.invocationId,
        durationMs: Math.round(entry.durationMs * 100) / 100,
        outcome: entry.outcome,
        error: entry.error,
      }),
    );
}

export function userLogger(write: LogWriter, functionName: string, invocationId: string) {
  return (level: string, ...args: unknown[]) =>
    write(JSON.stringify({ time: new Date().toISOString(), level, function: functionName, invocationId, message: format(...args) }));
}

export const stdoutWriter: LogWriter = (line) => process.stdout.write(`${line}\n`);
export const silentWriter: LogWriter = () => undefined;
