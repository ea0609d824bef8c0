/** `npm run sandbox`: starts the simulated SAP landscape on 127.0.0.1 and prints how to use it. */
import { sandboxBanner } from './core/banner';
import { startSandbox } from './index';

async function main(): Promise<void> {
  const sandbox = await startSandbox({ quiet: false });
  process.stdout.write(`${sandboxBanner(sandbox)}\n`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    sandbox.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`sandbox failed to start: ${(err as Error)?.message ?? String(err)}\n`);
  process.exit(1);
});
