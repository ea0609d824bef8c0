/**
 * Issue 12, "Done when": the package test. Builds the deployment zip as Core Tools would (the project
 * minus .funcignore, with production dependencies only: scripts/packageApp.js), checks what is in it,
 * then unpacks it into an empty directory and starts the app from there under devhost: the entry
 * loads with nothing but the zip's own node_modules, and every function registers.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { httpCall, REPO_ROOT } from '../../support/onboardingStack';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { packageApp } = require('../../../scripts/packageApp.js') as {
  packageApp(o: { outDir: string }): { zipFile: string; files: string[]; zipBytes: number };
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { readZip } = require('../../../scripts/zipArchive.js') as { readZip(zip: Buffer): { name: string; data: Buffer }[] };

jest.setTimeout(240_000);

const LEFT_OUT = ['.data/', 'devhost/', 'sandbox/', 'bench/', 'test/', 'cli/', 'dist/devhost/', 'dist/sandbox/', 'dist/bench/', 'dist/test/', 'dist/cli/', 'infra/', 'scripts/', '.deploy/'];
/** Packages only the dev dependencies need (package-lock.json marks them dev); some devDependencies are also production ones' dependencies. */
const DEV_ONLY = Object.entries(JSON.parse(readFileSync(path.join(REPO_ROOT, 'package-lock.json'), 'utf8')).packages as Record<string, { dev?: boolean }>)
  .filter(([p, entry]) => p.startsWith('node_modules/') && entry.dev)
  .map(([p]) => `${p}/`);

let work: string;
let names: string[];
let entries: { name: string; data: Buffer }[];

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'deploy-package-'));
  const { zipFile } = packageApp({ outDir: path.join(work, 'out') });
  entries = readZip(readFileSync(zipFile));
  names = entries.map((e) => e.name);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the deployment zip', () => {
  it('holds the compiled app, host.json and package.json at its root', () => {
    expect(names).toEqual(expect.arrayContaining(['host.json', 'package.json', 'dist/functions/index.js', 'dist/shared/config/settings.js', 'dist/orchestrations/onboarding/workflow.js']));
  });

  it('leaves out devhost, sandbox, bench, test, cli, local state and the deployment definitions, as sources and compiled', () => {
    const strays = names.filter((n) => LEFT_OUT.some((prefix) => n.startsWith(prefix)) || n === 'local.settings.json' || n === 'azure.yaml');
    expect(strays).toEqual([]);
  });

  it('holds no TypeScript source and no source map, in the app or its dependencies', () => {
    expect(names.filter((n) => n.endsWith('.ts') || n.endsWith('.js.map'))).toEqual([]);
  });

  it('holds none of what Node never loads: type declarations, source maps, READMEs, browser-only packages; licenses stay', () => {
    expect(names.filter((n) => /\.(map|d\.cts|d\.mts)$|(^|\/)(README|CHANGELOG)\.md$/.test(n))).toEqual([]);
    expect(names.filter((n) => n.startsWith('node_modules/@azure/msal-browser/') || /node_modules\/@opentelemetry\/[^/]+\/build\/(esm|esnext)\//.test(n))).toEqual([]);
    expect(names).toEqual(expect.arrayContaining(['node_modules/zod/LICENSE', 'node_modules/@azure/identity/LICENSE']));
  });

  it('holds the production dependencies and none of the dev dependencies', () => {
    expect(names).toEqual(expect.arrayContaining(['node_modules/@azure/functions/package.json', 'node_modules/durable-functions/package.json', 'node_modules/@azure/monitor-opentelemetry/package.json']));
    expect(DEV_ONLY.length).toBeGreaterThan(100);
    expect(DEV_ONLY.filter((dir) => names.some((n) => n.startsWith(dir)))).toEqual([]);
    for (const heavyDevTool of ['typescript', 'jest', 'azurite', 'ts-jest']) expect(names.some((n) => n.startsWith(`node_modules/${heavyDevTool}/`))).toBe(false);
  });

  it('loads every compiled module of the app, the telemetry distro and the Azure credential with nothing but the zip (the entry loads most of them at their first invocation)', () => {
    const appDir = path.join(work, 'modules');
    for (const entry of entries) {
      mkdirSync(path.dirname(path.join(appDir, entry.name)), { recursive: true });
      writeFileSync(path.join(appDir, entry.name), entry.data as unknown as Uint8Array);
    }
    const modules = names.filter((n) => n.startsWith('dist/') && n.endsWith('.js')).map((n) => path.join(appDir, n));
    expect(modules.length).toBeGreaterThan(200);
    // The worker provides @azure/functions-core; devhost's stands in for it, as in bench/coldStart/loadProbe.ts.
    const script = `
      const { provideFunctionsCore } = require(${JSON.stringify(path.join(REPO_ROOT, 'dist/devhost/host/functionsCore.js'))});
      const { AppRegistrations } = require(${JSON.stringify(path.join(REPO_ROOT, 'dist/devhost/host/functionRegistry.js'))});
      provideFunctionsCore(new AppRegistrations());
      for (const m of ${JSON.stringify(modules)}) require(m);
      // What loads only in Azure, from the zip too (.funcignore leaves out the builds Node does not read):
      // the Azure Monitor distro, and the managed identity credential of Key Vault and Table Storage.
      const telemetry = require(${JSON.stringify(path.join(appDir, 'dist/shared/telemetry/telemetry.js'))}).startTelemetry();
      const { DefaultAzureCredential } = require(require.resolve('@azure/identity', { paths: [${JSON.stringify(appDir)}] }));
      new DefaultAzureCredential();
      process.stdout.write('loaded ' + ${modules.length} + ', telemetry ' + telemetry);
      process.exit(0);`;
    const env = {
      PATH: process.env.PATH,
      DATA_DIR: path.join(work, 'modules-data'),
      APPLICATIONINSIGHTS_CONNECTION_STRING: 'InstrumentationKey=00000000-0000-4000-8000-000000000000;IngestionEndpoint=https://127.0.0.1:9/',
      APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true',
    };
    const out = execFileSync(process.execPath, ['-e', script], { cwd: appDir, env, encoding: 'utf8' });
    // The SDKs log their warnings (no managed identity here) on stdout before it.
    expect(out.trim().split('\n').pop()).toBe(`loaded ${modules.length}, telemetry on`);
  });

  it('starts from an empty directory with nothing but its own contents: every function registers and health answers', async () => {
    const appDir = path.join(work, 'wwwroot');
    for (const entry of entries) {
      mkdirSync(path.dirname(path.join(appDir, entry.name)), { recursive: true });
      writeFileSync(path.join(appDir, entry.name), entry.data as unknown as Uint8Array);
    }
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'dist/devhost/main.js'), '--app', path.join(appDir, 'dist/functions/index.js')], {
      cwd: appDir,
      // No NODE_PATH and a directory outside the repository: the app's requires can only resolve in the zip.
      env: { PATH: process.env.PATH, FUNCTIONS_PORT: '0', DATA_DIR: path.join(work, 'data'), SECRET_STORE: 'file', REGISTRY_STORE: 'memory' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the app from the zip did not start within 60 s:\n${output}`)), 60_000);
        child.stdout!.on('data', () => {
          const found = /devhost listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
          if (found) {
            clearTimeout(timer);
            resolve(found[1]);
          }
        });
        child.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`the app from the zip exited with ${code}:\n${output}`));
        });
      });
      // devhost prints the function list after the listening line.
      const deadline = Date.now() + 10_000;
      while (!output.includes('purgeHistory [') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      for (const fn of ['health [httpTrigger]', 'credentialsPut [httpTrigger]', 'purgeHistory [timerTrigger]', 'onboarding [orchestrationTrigger]', 'onboarding_verify [activityTrigger]', 'onboardingStart [httpTrigger]']) expect(output).toContain(fn);
      const health = await httpCall(`${url}/api/health`, 'GET', {});
      expect(health.status).toBe(200);
      // The entry loads no workflow (bench/coldStart): openapi.json loads every workflow's definition, from the zip.
      const { functionKeys } = JSON.parse(readFileSync(path.join(work, 'data', 'host-keys.json'), 'utf8')) as { functionKeys: { default: string } };
      const openapi = await httpCall(`${url}/api/openapi.json`, 'GET', { 'x-functions-key': functionKeys.default });
      expect(openapi.status).toBe(200);
      expect(Object.keys(openapi.body.paths)).toEqual(expect.arrayContaining(['/api/onboardings', '/api/rotations', '/api/neo-trust/imports', '/api/certificate-checks']));
      expect(output).not.toContain('warning:');
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(undefined) : child.once('exit', r)));
    }
  });
});
