/**
 * Issue 12's cold start (bench/coldStart measures it): the app entry registers every function by name and
 * loads what they need at their first invocation, so loading it costs little more than loading the
 * Functions SDKs. These tests hold the entry to that, by what it loads (not by timings: those are the
 * bench's): each loads the compiled entry in a fresh process, as the Functions worker does.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from '../../support/onboardingStack';

interface EntryLoad {
  /** Files the entry loaded beyond a bare `@azure/functions` + `durable-functions` load, relative to the repository. */
  files: string[];
  functions: number;
}

function loadEntry(env: NodeJS.ProcessEnv = {}): EntryLoad {
  const dist = path.join(REPO_ROOT, 'dist');
  const script = `
    const { provideFunctionsCore } = require(${JSON.stringify(path.join(dist, 'devhost/host/functionsCore.js'))});
    const { AppRegistrations } = require(${JSON.stringify(path.join(dist, 'devhost/host/functionRegistry.js'))});
    const registrations = new AppRegistrations();
    provideFunctionsCore(registrations);
    const entry = ${JSON.stringify(path.join(dist, 'functions/index.js'))};
    const appRequire = require('node:module').createRequire(entry);
    appRequire('@azure/functions');
    appRequire('durable-functions');
    const bare = new Set(Object.keys(require.cache));
    appRequire(entry);
    const files = Object.keys(require.cache).filter((f) => !bare.has(f)).map((f) => require('node:path').relative(${JSON.stringify(REPO_ROOT)}, f));
    process.stdout.write(JSON.stringify({ files, functions: registrations.all().length }));`;
  const out = execFileSync(process.execPath, ['-e', script], { cwd: REPO_ROOT, env: { PATH: process.env.PATH, APPLICATIONINSIGHTS_CONNECTION_STRING: '', ...env }, encoding: 'utf8' });
  return JSON.parse(out) as EntryLoad;
}

const packageOf = (file: string) => {
  const [, rest] = file.split(/(?:^|\/)node_modules\//);
  if (rest === undefined) return undefined;
  const parts = rest.split('/');
  return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
};

/** What the steps, stores and telemetry need: each loads at the first invocation that uses it. */
const HEAVY = ['zod', 'fast-xml-parser', 'node-forge', '@azure/data-tables', '@azure/keyvault-secrets', '@azure/identity', '@azure/core-rest-pipeline', '@azure/monitor-opentelemetry', '@opentelemetry/api', '@opentelemetry/api-logs'];

describe('the app entry', () => {
  let load: EntryLoad;
  beforeAll(() => {
    load = loadEntry();
  });

  it('registers every function while loading none of the heavy dependencies', () => {
    expect(load.functions).toBeGreaterThan(140);
    const packages = [...new Set(load.files.map(packageOf).filter((p) => p !== undefined))];
    expect(packages.filter((p) => HEAVY.includes(p))).toEqual([]);
    // Beyond the SDKs, only the timers' schedule check (croner, one file).
    expect(packages).toEqual(['croner']);
  });

  it('loads each workflow’s registration, not its definition, steps, SAP clients or stores', () => {
    const app = load.files.filter((f) => f.startsWith('dist/'));
    expect(app.filter((f) => f.startsWith('dist/orchestrations/') && !f.endsWith('/registration.js'))).toEqual([]);
    expect(app.filter((f) => /^dist\/shared\/(sap|registry|secrets|schemas|certificates|neoTrust|ias|saml)\//.test(f))).toEqual([]);
    expect(app).toEqual(expect.arrayContaining(['dist/orchestrations/onboarding/registration.js', 'dist/orchestrations/rotation/registration.js']));
  });

  it('loads no more with telemetry on: the Azure Monitor distro starts in the appStart hook', () => {
    const withTelemetry = loadEntry({ APPLICATIONINSIGHTS_CONNECTION_STRING: 'InstrumentationKey=00000000-0000-4000-8000-000000000000;IngestionEndpoint=https://127.0.0.1:9/' });
    expect(withTelemetry.files.sort()).toEqual([...load.files].sort());
  });
});
