/**
 * `npm start`: node dist/devhost/main.js [--app <entry file or glob>]
 * Prints the URL, the keys' location and master key, and the registered functions; stops cleanly on
 * SIGINT / SIGTERM. The line `devhost listening on http://127.0.0.1:PORT` is stable for scripts and tests.
 */
import path from 'node:path';
import { startDevhost, type RunningDevhost } from './index';
import { prepareRegistryForProductApp, type LocalRegistryStorage } from './azurite/localRegistryStorage';

function appEntryFromArgs(args: string[]): string | undefined {
  const index = args.indexOf('--app');
  if (index < 0) return undefined;
  const value = args[index + 1];
  if (!value || value.startsWith('--')) throw new Error('--app needs an entry file or glob, e.g. --app dist/functions/index.js');
  return value;
}

async function main(): Promise<void> {
  const out = (line = '') => process.stdout.write(`${line}\n`);
  // Handlers first: a signal that arrives while starting must not kill the process mid-write.
  let devhost: RunningDevhost | undefined;
  let registryStorage: LocalRegistryStorage | undefined;
  let stopRequested: string | undefined;
  const shutdown = (signal: string) => {
    if (stopRequested) return;
    stopRequested = signal;
    if (!devhost) return; // stopped right after the start completes
    out(`devhost stopping (${signal})`);
    devhost
      .stop()
      .then(() => registryStorage?.stop())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          process.stderr.write(`devhost: stop failed: ${(error as Error)?.message ?? error}\n`);
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  const appEntry = appEntryFromArgs(process.argv.slice(2));
  // The product app keeps its tenant registry in Table Storage: Azurite, started here when needed.
  const registryLines: string[] = [];
  if (!appEntry) registryStorage = await prepareRegistryForProductApp(process.cwd(), process.env, (line) => registryLines.push(line));
  try {
    devhost = await startDevhost({ appEntry });
  } catch (e) {
    await registryStorage?.stop();
    throw e;
  }
  out(`devhost listening on ${devhost.url}`);
  out(`  data:        ${devhost.dataDir} (keys in ${path.join(devhost.dataDir, 'host-keys.json')})`);
  for (const line of registryLines) out(line);
  out(`  master key:  ${devhost.masterKey}`);
  out(`  function key (default): ${devhost.functionKey}`);
  out(`  management:  ${devhost.url}/runtime/webhooks/durabletask/instances?code=<master key>`);
  out('  functions:');
  for (const fn of devhost.functions) out(`    ${fn.name} [${fn.triggerType}]${fn.detail ? ` ${fn.detail}` : ''}`);
  for (const warning of devhost.warnings) out(`  warning: ${warning}`);
  if (stopRequested) {
    const signal = stopRequested;
    stopRequested = undefined;
    shutdown(signal);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`devhost: ${(error as Error)?.message ?? error}\n`);
  process.exit(1);
});
