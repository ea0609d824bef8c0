/**
 * devhost: the local Azure Functions + Durable Functions host. `startDevhost` loads the compiled app as the
 * Node worker does, runs its orchestrations and activities on the Durable engine (state in
 * `<dataDir>/durable`), and serves its HTTP triggers, timers, the admin API and the Durable management API
 * on 127.0.0.1.
 */
import path from 'node:path';
import type { DurableEngine, EngineOptions } from './engineContract';
import { adjustableClock } from './devhostClock';
import { createDurableEngine } from './engine';
import { AdminApi } from './host/adminApi';
import { entryPatternFromPackageJson, loadApp, resolveEntryFiles } from './host/appLoader';
import { durableClientBindingPayload } from './host/durableClientBinding';
import { FunctionInvoker } from './host/functionInvoker';
import { readHostConfig } from './host/hostConfig';
import { loadOrCreateHostKeys } from './host/hostKeys';
import { close, createHostServer, createRpcServer, listen } from './host/hostServer';
import { httpRoutes, HttpTriggers } from './host/httpTriggers';
import { invocationLogger, silentWriter, stdoutWriter, type LogWriter } from './host/invocationLog';
import { ManagementApi } from './host/managementApi';
import { TimerTriggers } from './host/timerTriggers';

export interface DevhostOptions {
  /** App entry file or glob; default: package.json "main" of projectDir. */
  appEntry?: string;
  /** Default: DATA_DIR or `.data/` under projectDir. */
  dataDir?: string;
  /** Default: FUNCTIONS_PORT or 7071; 0 = any free port. */
  port?: number;
  /** Path of host.json; default `<projectDir>/host.json`. */
  hostJson?: string;
  /** App settings set in process.env while devhost runs (restored by stop()). */
  env?: Record<string, string>;
  /** No invocation log lines on stdout. */
  quiet?: boolean;
  /** Where package.json and host.json live; default process.cwd(). */
  projectDir?: string;
  /** Replaces the Durable engine (tests of the host half). */
  createEngine?: (options: EngineOptions) => DurableEngine;
}

export interface DevhostFunctionInfo {
  name: string;
  triggerType: string;
  /** HTTP triggers: methods and full route, e.g. `GET,POST /api/orders/{id}`; timers: the schedule. */
  detail?: string;
}

export interface RunningDevhost {
  url: string;
  port: number;
  masterKey: string;
  /** The default function key (function-level routes). */
  functionKey: string;
  dataDir: string;
  functions: DevhostFunctionInfo[];
  /** Problems that did not stop the start (unreadable timer schedules, duplicate libraries). */
  warnings: string[];
  stop(): Promise<void>;
}

function resolvePort(option: number | undefined): number {
  const raw = option ?? (process.env.FUNCTIONS_PORT ? Number(process.env.FUNCTIONS_PORT) : 7071);
  if (!Number.isInteger(raw) || raw < 0 || raw > 65535) throw new Error(`FUNCTIONS_PORT must be a port number, got '${raw}'`);
  return raw;
}

export async function startDevhost(options: DevhostOptions = {}): Promise<RunningDevhost> {
  const projectDir = path.resolve(options.projectDir ?? process.cwd());
  const savedEnv = new Map<string, string | undefined>();
  const setEnv = (name: string, value: string) => {
    if (!savedEnv.has(name)) savedEnv.set(name, process.env[name]);
    process.env[name] = value;
  };
  const restoreEnv = () => {
    for (const [name, value] of savedEnv) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  for (const [name, value] of Object.entries(options.env ?? {})) setEnv(name, value);

  const write: LogWriter = options.quiet ? silentWriter : stdoutWriter;
  const reportError = (message: string) => process.stderr.write(`devhost: ${message}\n`);
  const cleanups: (() => Promise<unknown> | unknown)[] = [restoreEnv];
  const cleanUp = async () => {
    for (const step of cleanups.reverse()) await step();
  };

  try {
    const config = readHostConfig(options.hostJson ?? path.join(projectDir, 'host.json'));
    const dataDir = path.resolve(projectDir, options.dataDir ?? process.env.DATA_DIR ?? '.data');
    const port = resolvePort(options.port);
    const keys = loadOrCreateHostKeys(dataDir);
    const entryFiles = options.appEntry
      ? resolveEntryFiles(options.appEntry, process.cwd())
      : resolveEntryFiles(entryPatternFromPackageJson(projectDir), projectDir);
    const app = loadApp(entryFiles);
    const warnings = [...app.warnings];

    let origin = '';
    let rpcBaseUrl: string | undefined;
    const durableClientBinding = () =>
      durableClientBindingPayload({ origin, hubName: config.hubName, systemKey: keys.systemKeys.durabletask_extension, rpcBaseUrl });
    const logInvocation = invocationLogger(write);
    const clock = adjustableClock(path.join(dataDir, 'clock.json'));
    const engine = (options.createEngine ?? createDurableEngine)({
      registry: app.registrations,
      clock,
      stateDir: path.join(dataDir, 'durable'),
      maxConcurrentActivityFunctions: config.maxConcurrentActivityFunctions,
      hubName: config.hubName,
      logInvocation,
      durableClientBinding,
    });
    const invoker = new FunctionInvoker({
      library: app.functionsLibrary,
      registrations: app.registrations,
      logInvocation,
      writeUserLog: write,
      durableClientBinding,
    });
    const timers = new TimerTriggers(app.registrations.all(), invoker, path.join(dataDir, 'timers'), reportError);
    warnings.push(...timers.problems);
    const routes = httpRoutes(app.registrations.all(), config.routePrefix);
    const hostServer = createHostServer(
      {
        keys,
        management: new ManagementApi(engine, { get origin() { return origin; }, hubName: config.hubName, systemKey: keys.systemKeys.durabletask_extension }),
        admin: new AdminApi(app.registrations, invoker, timers, engine, reportError, clock),
        httpTriggers: new HttpTriggers(routes, app.functionsLibrary, invoker, keys),
      },
      reportError,
    );

    const boundPort = await listen(hostServer, port);
    cleanups.push(() => close(hostServer));
    origin = `http://127.0.0.1:${boundPort}`;
    setEnv('WEBSITE_HOSTNAME', `127.0.0.1:${boundPort}`);
    if (config.localRpcEndpointEnabled) {
      const rpcServer = createRpcServer(
        new ManagementApi(engine, { origin, hubName: config.hubName, systemKey: keys.systemKeys.durabletask_extension }),
        reportError,
      );
      const rpcPort = await listen(rpcServer, 0);
      cleanups.push(() => close(rpcServer));
      rpcBaseUrl = `http://127.0.0.1:${rpcPort}/durabletask/`;
    }

    const hookContext = () => ({ hookData: {}, appHookData: {}, functionAppDirectory: projectDir });
    for (const hook of app.registrations.hooks('appStart')) await hook(hookContext());
    cleanups.push(async () => {
      for (const hook of app.registrations.hooks('appTerminate')) {
        try {
          await hook(hookContext());
        } catch (error) {
          reportError(`appTerminate hook failed: ${(error as Error).message}`);
        }
      }
    });

    await engine.start();
    cleanups.push(() => engine.stop());
    timers.start();
    cleanups.push(() => timers.stop());

    const timerInfo = new Map(timers.describe().map((t) => [t.name, t.schedule]));
    const routeInfo = new Map(routes.map((r) => [r.fn.name, `${r.methods?.join(',') ?? 'ANY'} /${r.template}`]));
    let stopped: Promise<void> | undefined;
    return {
      url: origin,
      port: boundPort,
      masterKey: keys.masterKey,
      functionKey: keys.functionKeys.default,
      dataDir,
      warnings,
      functions: app.registrations.all().map((f) => ({
        name: f.name,
        triggerType: f.triggerType,
        detail: routeInfo.get(f.name) ?? timerInfo.get(f.name),
      })),
      stop: () => (stopped ??= cleanUp()),
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}
