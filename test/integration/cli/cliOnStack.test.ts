/**
 * Issue 7, "What a new user tripped over": the compiled `sap-trust` against a real devhost and SAP
 * sandbox on loopback. The live display is rendered in a real pseudo-terminal (tmux) 80 and 120
 * columns wide and read back with capture-pane: no line wraps, each step is one line, no spinner
 * frame is left behind, and Ctrl-C leaves a clean line. Then the manual step from the CLI
 * (certificate, resume before the upload), cancel, a wrong key, no arguments, status by tenant.
 */
import { spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { destroySharedSapAgents } from '../../../shared/sap/http/agent';
import { startOnboardingStack, subaccount, type Landscape, type OnboardingStack } from '../../support/onboardingStack';
import { TmuxTerminal } from '../../support/tmuxTerminal';
import { normalizeFingerprint } from '../onboarding/adminActions';

jest.setTimeout(300_000);

const CLI = resolve(__dirname, '../../../dist/cli/main.js');

let stack: OnboardingStack;
let dir: string;
let manual: Landscape;

beforeAll(async () => {
  // 0: a tenant that refuses the signing certificate through the API (the manual step); 1–3: for the terminal runs.
  stack = await startOnboardingStack({ landscapes: 4 });
  manual = stack.landscapes[0];
  await stack.setSwitches(manual.tenant, { rejectSigningCertificateField: true });
  dir = mkdtempSync(join(tmpdir(), 'sap-trust-cli-stack-'));
});

afterAll(async () => {
  destroySharedSapAgents();
  await stack?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const target = () => ['--url', stack.devhostUrl, '--key', stack.functionKey, '--interval', '100'];

function requestFile(landscape: Landscape): string {
  const file = join(dir, `${landscape.tenant}.json`);
  writeFileSync(file, JSON.stringify(landscape.request()));
  return file;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The CLI as a child with pipes (stdout is no terminal). `until` sends Ctrl-C once stdout shows it. */
function cli(args: string[], options: { cwd?: string; interruptWhen?: RegExp } = {}): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd ?? dir, env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let interrupted = false;
    child.stdout.on('data', (d) => {
      stdout += d;
      if (options.interruptWhen && !interrupted && options.interruptWhen.test(stdout)) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

const stepRows = (rows: string[]) => rows.filter((r) => / [1-9]\/9 /.test(r));

describe('the live display in a real terminal', () => {
  let terminal: TmuxTerminal | undefined;
  const open = (name: string, columns: number, landscape: Landscape) =>
    (terminal = new TmuxTerminal(dir, name, columns, [process.execPath, CLI, 'onboard', requestFile(landscape), ...target()]));
  beforeAll(async () => {
    // SAP answers slowly enough for the spinner to be redrawn many times on every step.
    await stack.setLatency(120);
  });
  afterEach(() => terminal?.stop());
  afterAll(() => stack.setLatency(0));

  it.each([
    [80, 1],
    [120, 2],
  ])('at %i columns: no line wraps, each step is one line, no spinner frame is left behind', async (columns, index) => {
    const landscape = stack.landscapes[index];
    const name = `w${columns}`;
    const tmux = open(name, columns, landscape);
    expect(tmux.width()).toBe(columns);
    // Mid-run: the running step is one spinner row.
    // The screen that showed it is the one checked: a later capture may fall between two steps.
    let midRun: string[] = [];
    await tmux.waitFor('running step', () => (midRun = tmux.rows()).some((r) => /running/.test(r)));
    expect(midRun.filter((r) => /running/.test(r))).toHaveLength(1);
    // A row the terminal wrapped is a full one; the CLI keeps every line a column short of that.
    for (const row of midRun) expect(Array.from(row.trimEnd()).length).toBeLessThan(columns);

    await tmux.waitFor('end of the run', () => tmux.exitStatus() !== undefined);
    expect(tmux.exitStatus()).toBe(0);
    const rows = tmux.rows();
    if (process.env.SHOW_TERMINAL) console.log(rows.join('\n'));
    // -J joins the rows the terminal wrapped: equal means no line wrapped.
    expect(tmux.rows(true)).toEqual(rows);
    for (const row of rows) expect(Array.from(row.trimEnd()).length).toBeLessThan(columns);
    const steps = stepRows(rows);
    expect(steps.map((r) => / ([1-9])\/9 /.exec(r)![1])).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(rows.filter((r) => /running/.test(r))).toEqual([]);
    expect(rows.join('\n')).toContain('✔ token exchange verified');
    // At 80 columns the longest title is cut with an ellipsis; at 120 it is whole.
    const system = steps.find((r) => r.includes('4/9'))!;
    if (columns === 80) expect(system).toMatch(/S\/4 communication system \(OAuth 2\.0 IdP,[^…]*…/);
    else expect(system).toContain('S/4 communication system (OAuth 2.0 IdP, signing certificate, SAML issuer)');
  });

  it('Ctrl-C leaves a clean line: the run goes on on the server, with the commands to follow and cancel it', async () => {
    const landscape = stack.landscapes[3];
    const name = 'ctrlc';
    const tmux = open(name, 80, landscape);
    await tmux.waitFor('a finished step', () => stepRows(tmux.rows()).some((r) => / 2\/9 /.test(r) && !/running/.test(r)));
    tmux.interrupt();
    await tmux.waitFor('the CLI to stop', () => tmux.exitStatus() !== undefined, 20_000);
    expect(tmux.exitStatus()).toBe(130);
    const rows = tmux.rows();
    expect(tmux.rows(true)).toEqual(rows);
    const id = `onboard-${landscape.tenant}-${landscape.subaccountId}-r1`;
    const at = rows.findIndex((r) => r.startsWith('Stopped following.'));
    expect(at).toBeGreaterThan(0);
    const after = rows.slice(at).join('\n');
    if (process.env.SHOW_TERMINAL) console.log(rows.join('\n'));
    expect(after.replace(/\n/g, ' ')).toContain(`Stopped following. Onboarding ${id} goes on on the server.`);
    // Too long for 80 columns: continued with a backslash, so a copy still runs as one command.
    const asShell = after.replace(/ \\\n\s*/g, ' ');
    expect(asShell).toContain(`sap-trust follow ${id} --url ${stack.devhostUrl}`);
    expect(asShell).toContain(`sap-trust cancel ${id} --url ${stack.devhostUrl}`);
    expect(rows.filter((r) => /running/.test(r))).toEqual([]);
    // It did go on: the server finishes the run without the CLI.
    expect((await stack.waitFor(id)).status).toBe('completed');
  });
});

describe('the manual step from the CLI', () => {
  let id: string;

  beforeAll(async () => {
    const waiting = await stack.onboard(manual.request());
    expect(waiting.status).toBe('waiting for manual step');
    id = waiting.id;
  });

  it('certificate saves the PEM to upload as <id>-trust.pem with the function key, and shows what it is', async () => {
    const run = await cli(['certificate', id, ...target()]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const file = join(dir, `${id}-trust.pem`);
    expect(run.stdout).toContain(`Saved the certificate to upload to ${file}`);
    const saved = new X509Certificate(readFileSync(file, 'utf8'));
    const active = subaccount(await stack.sandboxState(), manual.subaccountId).trustCertificate.active;
    expect(normalizeFingerprint(saved.fingerprint256)).toBe(normalizeFingerprint(active.fingerprint256));
    expect(run.stdout).toContain(saved.fingerprint256);
  });

  it('certificate --out writes where it is told', async () => {
    const out = join(dir, 'upload-me.pem');
    const run = await cli(['certificate', id, '--out', out, ...target()]);
    expect(run.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----/);
  });

  it('resume before the upload shows what the check found and that it waits on, and what it checks', async () => {
    const run = await cli(['resume', id, 'communicationSystem', ...target()], { interruptWhen: /waits\.\n[\s\S]*Last check:[^\n]*\n/ });
    expect(run.code).toBe(130);
    expect(run.stdout).toContain('the run now reads the communication system back to check the upload');
    expect(run.stdout).toMatch(/⚠ Last check: Checked at [^:]+:[^\n]*does not hold the certificate/);
    expect(run.stdout).toContain('goes on only when it finds it done; until then it waits.');
    expect(run.stdout).toContain(`sap-trust resume ${id} communicationSystem`);
    expect(run.stdout).toContain(`Stopped following. Onboarding ${id} goes on on the server.`);
    expect((await stack.get(id)).status).toBe('waiting for manual step');
  });

  it('status takes the tenant and shows its latest run', async () => {
    const run = await cli(['status', manual.tenant, ...target()]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`id ${id}`);
    expect(run.stdout).toContain('status: waiting for manual step');
    const unknown = await cli(['status', 'my999999', ...target()]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(`no onboarding has the id or tenant 'my999999' on ${stack.devhostUrl}`);
  });

  it('list --status waiting finds it without quotes', async () => {
    const run = await cli(['list', '--status', 'waiting', ...target()]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`${id} +waiting for manual step`));
  });

  it('cancel stops the run as DELETE does; a second cancel says it is not running', async () => {
    const run = await cli(['cancel', id, ...target()]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Cancelled onboarding ${id}`);
    expect((await stack.waitFor(id)).status).toBe('terminated');
    const again = await cli(['cancel', id, ...target()]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('is not running');
  });
});

describe('target and usage errors', () => {
  it('a wrong key reads as refused by the URL, not as a missing key', async () => {
    const run = await cli(['status', manual.tenant, '--url', stack.devhostUrl, '--key', 'not-the-key']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`the function key (from --key) was refused by ${stack.devhostUrl} (HTTP 401)`);
    expect(run.stderr).not.toMatch(/none was given|pass the key/i);
  });

  it('no key at all says none was given and where it looked', async () => {
    const run = await cli(['status', manual.tenant, '--url', stack.devhostUrl], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${stack.devhostUrl} needs a function key and none was given (HTTP 401)`);
    expect(run.stderr).toContain(join(dir, '.data', 'host-keys.json'));
  });

  it('with no arguments prints the usage on stderr and exits 2', async () => {
    const run = await cli([]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('no command given');
    expect(run.stderr).toContain('Usage: sap-trust <command>');
    expect(existsSync(join(dir, '.data'))).toBe(false);
  });
});
