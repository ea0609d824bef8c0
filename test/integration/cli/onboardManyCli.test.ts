/**
 * Issue 8 item 11, several tenants at once: the compiled `sap-trust onboard a.json b.json c.json
 * --concurrency 2` against a real devhost and SAP sandbox on loopback. All three complete, the exit
 * code says so, and the runs' own times show that no more than two were in flight at once. A
 * tenant whose run is already going is followed, and a bad file among good ones starts nothing.
 * In a real pseudo-terminal (tmux) the table is redrawn in place and Ctrl-C lists the runs to follow.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { destroySharedSapAgents } from '../../../shared/sap/http/agent';
import { startOnboardingStack, type Landscape, type OnboardingStack, type OnboardingView } from '../../support/onboardingStack';
import { TmuxTerminal } from '../../support/tmuxTerminal';
import { CLI, runCliAgainst } from '../../support/cliProcess';

jest.setTimeout(300_000);

let stack: OnboardingStack;
let dir: string;

beforeAll(async () => {
  // 0–2 for the batch, 3 for the run that is already going.
  stack = await startOnboardingStack({ landscapes: 4 });
  dir = mkdtempSync(join(tmpdir(), 'onboard-many-cli-'));
});

afterAll(async () => {
  destroySharedSapAgents();
  await stack?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function requestFile(landscape: Landscape): string {
  const file = join(dir, `${landscape.tenant}.json`);
  writeFileSync(file, JSON.stringify(landscape.request()));
  return file;
}

const cli = (...args: string[]) => runCliAgainst(stack, args);

async function allRuns(): Promise<OnboardingView[]> {
  const answer = await stack.api<{ items: OnboardingView[] }>('GET', '/api/onboardings');
  expect(answer.status).toBe(200);
  return answer.body.items;
}

/**
 * The most tenants SAP was working on at one moment: each tenant's span runs from its first S/4 request
 * to the end of its last, from the sandbox's log (milliseconds; the runs' own times keep whole seconds,
 * too coarse for runs shorter than one).
 */
function mostAtOnce(requests: { at: string; host: string; ms: number }[], tenants: string[]): number {
  const spans = tenants.map((tenant) => {
    const own = requests.filter((r) => r.host === `${tenant}-api.s4hana.ondemand.com`);
    return [Math.min(...own.map((r) => Date.parse(r.at))), Math.max(...own.map((r) => Date.parse(r.at) + r.ms))] as const;
  });
  return Math.max(...spans.map(([start]) => spans.filter(([s, e]) => s <= start && start < e).length));
}

it('onboards three tenants from three files with --concurrency 2: all complete, exit 0, never more than two at once', async () => {
  // SAP answering slowly makes each run long enough that a third start next to two running ones would show.
  await stack.setLatency(40);
  try {
    const batch = stack.landscapes.slice(0, 3);
    await stack.clearSandboxRequests();
    const run = await cli('onboard', ...batch.map(requestFile), '--concurrency', '2');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);

    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('Onboarding 3 tenants, at most 2 at a time.');
    // No terminal: one whole line per tenant as it ends, no redraws.
    expect(run.stdout).not.toContain('\x1b');
    for (const landscape of batch) {
      const ended = lines.filter((l) => l.startsWith(`✔ ${landscape.tenant} `));
      expect(ended).toEqual([expect.stringMatching(new RegExp(`^✔ ${landscape.tenant} \\(.*${landscape.tenant}\\.json\\)  onboard-${landscape.tenant}-\\S+-r1  completed  \\d`))]);
    }
    expect(run.stdout).toContain('3 tenants: 3 completed, 0 failed, 0 waiting for a manual step');

    const ids = batch.map((l) => new RegExp(`(onboard-${l.tenant}-\\S+-r1)`).exec(run.stdout)![1]);
    const runs = await Promise.all(ids.map((id) => stack.get(id)));
    expect(runs.map((r) => [r.tenant, r.status, r.result?.tokenExchangeVerified])).toEqual(batch.map((l) => [l.tenant, 'completed', true]));
    // Two at once, never three: the third started only after one of the first two had ended.
    expect(mostAtOnce(await stack.sandboxRequests(), batch.map((l) => l.tenant))).toBe(2);
  } finally {
    await stack.setLatency(0);
  }
});

it('follows the run already going for a tenant (409) instead of failing the batch', async () => {
  const landscape = stack.landscapes[3];
  const file = requestFile(landscape);
  await stack.setLatency(150);
  try {
    const going = await stack.start(landscape.request());
    const run = await cli('onboard', file, '--concurrency', '1');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^✔ ${landscape.tenant} .*  ${going.id}  completed · was already running  `, 'm'));
    expect((await allRuns()).filter((r) => r.tenant === landscape.tenant).map((r) => r.id)).toEqual([going.id]);
  } finally {
    await stack.setLatency(0);
  }
});

it('names a bad request file among good ones with its path, exits 2 and starts nothing', async () => {
  const before = (await allRuns()).length;
  const broken = join(dir, 'broken.json');
  writeFileSync(broken, '{ "btp": ');
  const list = join(dir, 'wave-2.txt');
  writeFileSync(list, `# second wave\n${stack.landscapes[0].tenant}.json\nmissing.json\n`);
  const run = await cli('onboard', requestFile(stack.landscapes[1]), broken, list);
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr).toContain('sap-trust: nothing was started: 2 request files cannot be used');
  expect(run.stderr).toContain(`- ${broken}: not valid JSON`);
  expect(run.stderr).toContain(`- ${join(dir, 'missing.json')} (listed in ${list}): cannot read it (ENOENT)`);
  expect(await allRuns()).toHaveLength(before);
});

/** The CLI in a real terminal against the stack. */
const openTerminal = (name: string, columns: number, args: string[]) =>
  new TmuxTerminal(dir, name, columns, [process.execPath, CLI, ...args, '--url', stack.devhostUrl, '--key', stack.functionKey, '--interval', '100'], 40);

const SPINNER = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/;

describe('in a real terminal', () => {
  const batch = () => stack.landscapes.slice(0, 3);
  const tenantRows = (rows: string[], tenant: string) => rows.filter((r) => new RegExp(`^  \\S ${tenant} `).test(r));
  let terminal: TmuxTerminal | undefined;

  beforeAll(() => stack.setLatency(100));
  afterEach(() => terminal?.stop());
  afterAll(() => stack.setLatency(0));

  it('at 80 columns redraws the table in place: one row per tenant, no row wraps, no spinner frame left behind', async () => {
    terminal = openTerminal('table80', 80, ['onboard', ...batch().map(requestFile), '--concurrency', '2']);
    let midRun: string[] = [];
    await terminal.waitFor('a running step', () => (midRun = terminal!.rows()).some((r) => / [1-9]\/9 /.test(r)));
    for (const landscape of batch()) expect(tenantRows(midRun, landscape.tenant)).toHaveLength(1);
    for (const row of midRun) expect(Array.from(row).length).toBeLessThan(80);

    await terminal.waitFor('the end', () => terminal!.exitStatus() !== undefined);
    expect(terminal.exitStatus()).toBe(0);
    const rows = terminal.rows();
    if (process.env.SHOW_TERMINAL) console.log(rows.join('\n'));
    expect(terminal.rows(true)).toEqual(rows);
    for (const row of rows) expect(Array.from(row).length).toBeLessThan(80);
    for (const landscape of batch()) expect(tenantRows(rows, landscape.tenant)).toEqual([expect.stringMatching(new RegExp(`^  ✔ ${landscape.tenant}  onboard-${landscape.tenant}-\\S*…-r\\d+ +completed +\\d`))]);
    expect(rows.filter((r) => SPINNER.test(r))).toEqual([]);
    expect(rows).toContain('3 tenants: 3 completed, 0 failed, 0 waiting for a manual step');
  });

  it('Ctrl-C at 120 columns: the runs go on on the server, each with its follow command, and the rest is named as not started', async () => {
    const files = batch().map(requestFile);
    terminal = openTerminal('ctrlc120', 120, ['onboard', ...files, '--concurrency', '2']);
    await terminal.waitFor('two running steps', () => terminal!.rows().filter((r) => / [1-9]\/9 /.test(r)).length === 2);
    terminal.interrupt();
    await terminal.waitFor('the CLI to stop', () => terminal!.exitStatus() !== undefined, 20_000);
    expect(terminal.exitStatus()).toBe(130);
    const rows = terminal.rows();
    if (process.env.SHOW_TERMINAL) console.log(rows.join('\n'));
    expect(terminal.rows(true)).toEqual(rows);
    expect(rows.filter((r) => SPINNER.test(r))).toEqual([]);
    const after = rows.slice(rows.indexOf('Stopped following. The runs go on on the server; follow them with:')).join('\n');
    const asShell = after.replace(/ \\\n\s*/g, ' ');
    const ids = [...asShell.matchAll(/sap-trust follow (onboard-\S+-r\d+) --url (\S+)/g)].map((m) => [m[1], m[2]]);
    expect(ids.map(([id, url]) => [id.split('-')[1], url])).toEqual(batch().slice(0, 2).map((l) => [l.tenant, stack.devhostUrl]));
    expect(asShell).toContain(`Not started (start them with sap-trust onboard): ${files[2]}`);
    // They did go on: the server finishes both runs without the CLI.
    for (const [id] of ids) expect((await stack.waitFor(id)).status).toBe('completed');
  });
});
