#!/usr/bin/env node
/** `sap-trust`: start, follow and resume onboardings through the product's HTTP API. */
import { readFile, writeFile } from 'node:fs/promises';
import { text } from 'node:stream/consumers';
import { parseCommandLine, UsageError, USAGE } from './commandLine';
import { runCommand } from './commands';
import { EXIT } from './exitCodes';

async function main(argv: string[]): Promise<number> {
  let invocation;
  try {
    invocation = parseCommandLine(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    // Bad usage (no command at all included) is an error for scripts: usage on stderr, exit 2.
    process.stderr.write(`sap-trust: ${e.message}\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  return runCommand(invocation, {
    stdout: process.stdout,
    stderr: process.stderr,
    readFile: (path) => readFile(path, 'utf8'),
    writeFile: (path, text) => writeFile(path, text, 'utf8'),
    readStdin: () => text(process.stdin),
    env: process.env,
    color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
    onInterrupt(handler) {
      process.on('SIGINT', handler);
      return () => process.off('SIGINT', handler);
    },
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`sap-trust: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = EXIT.failure;
  },
);
