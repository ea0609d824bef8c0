/**
 * One cold load in a fresh process, for coldStartBench: `node loadProbe.js bare|app|telemetry <appEntry>`
 * (`telemetry`: load the app, then time the telemetry start its appStart hook does).
 * Provides `@azure/functions-core` as the Node worker does (devhost's provider, loaded before the clock
 * starts), then times the require of either the bare SDKs or the app entry, and prints the milliseconds
 * of wall time and of CPU time.
 */
import { performance } from 'node:perf_hooks';
import { AppRegistrations } from '../../devhost/host/functionRegistry';
import { provideFunctionsCore } from '../../devhost/host/functionsCore';
import { NodeModule } from '../../devhost/host/nodeModuleSystem';

const [mode, appEntry] = process.argv.slice(2);
if ((mode !== 'bare' && mode !== 'app' && mode !== 'telemetry') || !appEntry) {
  process.stderr.write('usage: node loadProbe.js bare|app|telemetry <app entry>\n');
  process.exit(2);
}
provideFunctionsCore(new AppRegistrations());
// Resolve from the app's own directory, as the worker does, so both loads find the same node_modules.
const appRequire = NodeModule.createRequire(appEntry);
if (mode === 'telemetry') appRequire(appEntry);
const started = performance.now();
const cpuBefore = process.cpuUsage();
if (mode === 'bare') {
  appRequire('@azure/functions');
  appRequire('durable-functions');
} else if (mode === 'app') {
  appRequire(appEntry);
} else {
  const { startTelemetry } = appRequire('../shared/telemetry/telemetry') as { startTelemetry(): string };
  if (startTelemetry() !== 'on') throw new Error('telemetry did not start: set APPLICATIONINSIGHTS_CONNECTION_STRING');
}
const cpu = process.cpuUsage(cpuBefore);
// Wall time, then CPU time (user + system): on a busy machine the CPU time is the steadier figure.
process.stdout.write(`${(performance.now() - started).toFixed(2)} ${((cpu.user + cpu.system) / 1000).toFixed(2)}\n`);
