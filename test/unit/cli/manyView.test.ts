/** The table of several onboardings: rows that fit 80 and 120 columns, whole lines without a terminal, the summary. */
import type { OnboardingView } from '../../../cli/onboardingView';
import type { TenantRun } from '../../../cli/onboardMany';
import { cutRunId, interruptedLines, ManyView, summaryLines, tableLines } from '../../../cli/manyView';
import { usableWidth, visibleWidth } from '../../../cli/screenText';
import { completedView, failedView, runningView, waitingView } from './onboardingViews';

const SUBACCOUNT = '0a1b2c3d-1111-2222-3333-444455556666';
const NOW = Date.parse('2025-01-01T10:00:12.500Z');

function tenantRun(n: number, view: OnboardingView | undefined, extra: Partial<TenantRun> = {}): TenantRun {
  const tenant = `my10000${n}`;
  if (view) {
    view.id = `onboard-${tenant}-${SUBACCOUNT}-r${n}`;
    view.tenant = tenant;
  }
  const ended = view && ['completed', 'failed', 'waiting for manual step'].includes(view.status);
  return { source: `requests/${tenant}.json`, tenant, request: {}, phase: view ? (ended ? 'ended' : 'following') : 'queued', view, ...extra };
}

/** One tenant in each state the table shows. */
function batch(): TenantRun[] {
  return [
    tenantRun(1, completedView()),
    tenantRun(2, runningView(2)),
    tenantRun(3, failedView()),
    tenantRun(4, waitingView()),
    tenantRun(5, undefined),
    tenantRun(6, undefined, { phase: 'ended', refused: { message: 'the request has 2 field errors', status: 400, fields: [{ field: 's4.host', message: 'must be an S/4HANA Cloud API host' }] } }),
  ];
}

class Screen {
  written = '';
  constructor(
    readonly isTTY: boolean,
    readonly columns?: number,
    readonly rows?: number,
  ) {}
  write(s: string) {
    this.written += s;
  }
}

describe('the table of several onboardings', () => {
  it.each([80, 120])('at %i columns every row fits the terminal and shows tenant, run id, step and elapsed time', (columns) => {
    const width = usableWidth(columns)!;
    const lines = tableLines(batch(), NOW, { color: true, width });
    expect(lines).toHaveLength(6);
    for (const line of lines) expect(visibleWidth(line)).toBeLessThanOrEqual(columns - 1);
    const [completed, running, failed, waiting, queued, refused] = lines.map((l) => l.replace(/\x1b\[[0-9;]*m/g, ''));
    expect(completed).toMatch(/^ {2}✔ my100001 {2}onboard-my100001-\S+ +completed +4\.2 s$/);
    // Running: index/total and the step's title, elapsed since the run was created.
    expect(running).toMatch(/^ {2}▸ my100002 {2}onboard-my100002-\S+ +3\/9 Communication user +12\.5 s$/);
    expect(failed).toMatch(/failed at 5\/9 Communication arr/);
    expect(waiting).toMatch(/waiting: Upload/);
    expect(queued).toMatch(/^ {2}· my100005 +queued *$/);
    expect(refused).toMatch(/✖ my100006 +not started: the request/);
    // Columns line up: every run id starts in the same column.
    const idColumn = running.indexOf('onboard-');
    expect(completed.indexOf('onboard-')).toBe(idColumn);
    expect(failed.indexOf('onboard-')).toBe(idColumn);
  });

  it('cuts the run id in the middle at 80 columns, keeping its run number, and shows it whole at 120', () => {
    const narrow = tableLines(batch(), NOW, { color: false, width: usableWidth(80) });
    const wide = tableLines(batch(), NOW, { color: false, width: usableWidth(120) });
    expect(narrow[1]).toMatch(/onboard-my100002-\S*…-r2 /);
    expect(wide[1]).toContain(`onboard-my100002-${SUBACCOUNT}-r2`);
    // At 120 the waiting row's state is cut with an ellipsis, not wrapped.
    expect(wide[3]).toMatch(/waiting: Upload the signing\S* .*…/);
    expect(cutRunId(`onboard-my100002-${SUBACCOUNT}-r2`, 20)).toBe('onboard-my100002…-r2');
    expect(cutRunId('onboard-my100002-r2', 20)).toBe('onboard-my100002-r2');
  });

  it('keeps its columns where they are whatever the runs are doing, so rows written for good line up with the live ones', () => {
    const width = usableWidth(80);
    const whileRunning = tableLines([tenantRun(1, completedView()), tenantRun(2, runningView(0))], NOW, { color: false, width });
    const whenDone = tableLines([tenantRun(1, completedView()), tenantRun(2, completedView())], NOW, { color: false, width });
    expect(whileRunning[0]).toBe(whenDone[0]);
    expect(whenDone[1].indexOf('completed')).toBe(whenDone[0].indexOf('completed'));
  });

  it('without a terminal prints one whole line per tenant when it ends, and nothing while runs go on', () => {
    const screen = new Screen(false);
    const view = new ManyView(screen, { color: false });
    const runs = batch();
    view.update(runs.slice(1, 2)); // still running
    expect(screen.written).toBe('');
    view.update(runs);
    view.update(runs); // a second update prints nothing again
    const lines = screen.written.trimEnd().split('\n');
    expect(lines).toEqual([
      `✔ my100001 (requests/my100001.json)  onboard-my100001-${SUBACCOUNT}-r1  completed  4.2 s`,
      expect.stringMatching(/^✖ my100003 \(requests\/my100003\.json\) {2}onboard-my100003-\S+-r3 {2}failed at 5\/9 Communication arrangement {2}\S+/),
      expect.stringMatching(/^⏸ my100004 .* {2}waiting: Upload the signing certificate to the communication system {2}/),
      '✖ my100006 (requests/my100006.json)  not started: the request has 2 field errors',
    ]);
    expect(screen.written).not.toContain('\x1b');
  });

  it('on a terminal redraws the rows still going in place and writes ended rows at the top for good', () => {
    const screen = new Screen(true, 100);
    const view = new ManyView(screen, { color: false }, () => NOW);
    const runs = [tenantRun(1, runningView(1)), tenantRun(2, runningView(3))];
    view.update(runs);
    expect(screen.written.split('\n')).toHaveLength(3);
    screen.written = '';
    runs[0] = tenantRun(1, completedView());
    view.update(runs);
    // Up two rows, clear, the first row for good and the second one live again.
    expect(screen.written.startsWith('\r\x1b[2F\x1b[0J')).toBe(true);
    expect(screen.written).toMatch(/✔ my100001 .*completed/);
    screen.written = '';
    view.update(runs);
    expect(screen.written.startsWith('\r\x1b[1F\x1b[0J')).toBe(true);
    expect(screen.written).not.toContain('my100001');
    view.close();
  });

  it('cuts a table taller than the terminal so that a redraw never scrolls', () => {
    const screen = new Screen(true, 80, 6);
    const view = new ManyView(screen, { color: false }, () => NOW);
    view.update(Array.from({ length: 9 }, (_, i) => tenantRun(i + 1, i < 2 ? runningView(1) : undefined)));
    const lines = screen.written.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toContain('… and 6 more');
    view.close();
  });
});

describe('the summary', () => {
  it('counts completed, failed and waiting; names each failure with its step and fix, and each wait with its commands', () => {
    const out = summaryLines(batch(), { color: false, targetArgs: ' --url https://app.example' }).join('\n');
    expect(out.split('\n')[0]).toBe('6 tenants: 1 completed, 2 failed, 1 waiting for a manual step, 2 not finished');
    expect(out).toContain('✖ my100003 (requests/my100003.json)  onboard-my100003-');
    expect(out).toContain('failed at step 5/9 "Communication arrangement" (arrangement) on my100001-api.s4hana.ondemand.com');
    expect(out).toContain('Fix: Give the technical user on my100001 the authorization');
    expect(out).toContain('not started: the function app refused the request (HTTP 400): the request has 2 field errors');
    expect(out).toContain('- s4.host: must be an S/4HANA Cloud API host');
    expect(out).toContain('⏸ my100004 (requests/my100004.json)');
    expect(out).toMatch(new RegExp(`When done +sap-trust resume onboard-my100004-${SUBACCOUNT}-r4 communicationSystem --url https://app.example`));
  });

  it('folds to the terminal width, continuing a long command with a backslash so it still pastes as one', () => {
    const lines = summaryLines(batch(), { color: false, width: 79 });
    for (const line of lines) expect(visibleWidth(line)).toBeLessThanOrEqual(79);
    const resume = lines.findIndex((l) => l.includes('sap-trust resume'));
    expect(lines[resume]).toMatch(/ \\$/);
    expect(lines[resume - 1]).toBe('    When done:');
  });

  it('after Ctrl-C lists a follow command for each run still going and the requests never started', () => {
    const out = interruptedLines(batch(), { color: false }).join('\n');
    expect(out).toContain('The runs go on on the server');
    expect(out).toMatch(new RegExp(`my100002 +sap-trust follow onboard-my100002-${SUBACCOUNT}-r2\n`));
    expect(out).toMatch(new RegExp(`my100004 +sap-trust follow onboard-my100004-${SUBACCOUNT}-r4\n`));
    expect(out).not.toContain('follow onboard-my100001');
    expect(out).toContain('Not started (start them with sap-trust onboard): requests/my100005.json');
  });
});
