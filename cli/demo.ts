/**
 * `npm run demo`: the product's main job on the embedded default. Starts the SAP sandbox and devhost,
 * stores the seeded credentials through the API, onboards the seeded S/4HANA Cloud tenant to the
 * seeded subaccount with live progress, prints the destination and the verified token exchange.
 *
 * State lives in .data/demo, so a second run onboards the same tenant again and shows a run
 * that writes nothing; `npm run demo -- --fresh` starts from an empty landscape.
 * No secret value is printed: the sandbox and devhost run quiet and credentials are named only.
 */
import { existsSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { startDevhost, type RunningDevhost } from '../devhost';
import { startOwnRegistryStorage, type LocalRegistryStorage } from '../devhost/azurite/localRegistryStorage';
import { startSandbox, type RunningSandbox } from '../sandbox';
import { exitCodeOf } from './commands';
import { EXIT } from './exitCodes';
import { followOnboarding } from './followOnboarding';
import { ApiError, OnboardingApi } from './onboardingApi';
import type { OnboardingView } from './onboardingView';
import { ProgressView } from './progressView';
import { prepareOnboarding, seededLandscape } from './sandboxOnboarding';

const REPO_ROOT = resolve(__dirname, '../..');
const DEMO_TIMEOUT_MS = 180_000;

const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
const say = (line = '') => process.stdout.write(`${line}\n`);
const bold = (text: string) => (color ? `\x1b[1m${text}\x1b[0m` : text);

async function demo(args: string[]): Promise<number> {
  const unknown = args.filter((a) => a !== '--fresh');
  if (unknown.length) {
    process.stderr.write(`demo: unknown argument ${unknown[0]} (usage: npm run demo [-- --fresh])\n`);
    return EXIT.usage;
  }
  const dataDir = resolve(process.env.DEMO_DATA_DIR ?? join(REPO_ROOT, '.data', 'demo'));
  if (args.includes('--fresh')) rmSync(dataDir, { recursive: true, force: true });
  const rerun = existsSync(join(dataDir, 'sandbox', 'state.json'));

  let sandbox: RunningSandbox | undefined;
  let devhost: RunningDevhost | undefined;
  let registryStorage: LocalRegistryStorage | undefined;
  const stopAll = async () => {
    await devhost?.stop().catch(() => undefined);
    await registryStorage?.stop().catch(() => undefined);
    await sandbox?.stop().catch(() => undefined);
    devhost = sandbox = registryStorage = undefined;
  };
  const interrupted = () => void stopAll().finally(() => process.exit(130));
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);

  try {
    say(bold('SAP trust onboarding demo'));
    say(`  state in ${relative(process.cwd(), dataDir) || dataDir}${rerun ? ' (re-run: the tenant is onboarded already)' : ''}`);
    sandbox = await startSandbox({ port: 0, dataDir, quiet: true });
    say(`  SAP sandbox (simulated BTP subaccount, Destination service, S/4HANA Cloud) on ${sandbox.connectTo}`);
    const registry = await startOwnRegistryStorage(dataDir, say);
    registryStorage = registry;
    say(`  tenant registry: table storage on Azurite at ${registry.azurite!.tableServiceUri}`);
    devhost = await startDevhost({
      projectDir: REPO_ROOT,
      dataDir,
      port: 0,
      quiet: true,
      env: {
        SAP_CONNECT_TO: sandbox.connectTo,
        SAP_EXTRA_CA_FILE: sandbox.caFile,
        SECRET_STORE: 'file',
        DATA_DIR: dataDir,
        ...registry.env,
      },
    });
    say(`  devhost (Azure Functions + Durable Functions, local) on ${devhost.url}`);

    const landscape = seededLandscape(sandbox.seed);
    const prepared = prepareOnboarding(landscape.subaccounts[0], landscape.s4Tenants[0]);
    const api = new OnboardingApi({ baseUrl: devhost.url, key: devhost.functionKey });
    say();
    for (const credential of prepared.credentials) {
      await api.putCredential(credential.name, credential.value, credential.contentType);
      say(`Stored credential ${credential.name}: ${credential.description} (value not shown)`);
    }
    say(`Onboarding S/4HANA Cloud tenant ${prepared.tenant} to BTP subaccount ${prepared.subaccountId}`);
    say();

    const first = await startOrJoin(api, prepared.request);
    const progress = new ProgressView(process.stdout, { color, baseUrl: devhost.url });
    const last = await withTimeout(
      followOnboarding(api, first, (v) => progress.update(v), { intervalMs: 100, stopWhenWaiting: true }),
      DEMO_TIMEOUT_MS,
    ).finally(() => progress.close());

    if (last.status === 'waiting for manual step') {
      say();
      say('The sandbox tenant asked for a manual step; the demo does not do manual steps. Start over with: npm run demo -- --fresh');
      return EXIT.failure;
    }
    const code = exitCodeOf(last, EXIT.failure);
    if (code === EXIT.success) {
      const changed = last.steps.filter((st) => st.outcome === 'created' || st.outcome === 'updated' || st.outcome === 'deleted').length;
      say();
      say(
        changed === 0
          ? 'Nothing was written: every step found SAP as wanted. Start from scratch with: npm run demo -- --fresh'
          : `Run 'npm run demo' again to see an idempotent re-run: ${changed} step(s) wrote this time, the next run writes nothing.`,
      );
    }
    return code;
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await stopAll();
  }
}

/** A run left behind by an interrupted demo is followed instead of refused. */
async function startOrJoin(api: OnboardingApi, request: unknown): Promise<OnboardingView> {
  try {
    return await api.startOnboarding(request);
  } catch (e) {
    if (e instanceof ApiError && e.status === 409 && e.conflictId) {
      say(`An onboarding of this tenant is still running (${e.conflictId}); following it.`);
      return api.getOnboarding(e.conflictId);
    }
    throw e;
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the onboarding did not finish within ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function explain(e: unknown): string {
  if (e instanceof ApiError) return [`${e.message} (HTTP ${e.status})`, ...e.fields.map((f) => `  - ${f.field}: ${f.message}`)].join('\n');
  return e instanceof Error ? e.message : String(e);
}

demo(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`\ndemo failed: ${explain(e)}\n`);
    process.stderr.write('If the state in .data/demo is from an older version, start from scratch with: npm run demo -- --fresh\n');
    process.exitCode = EXIT.failure;
  },
);
