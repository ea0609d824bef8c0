/**
 * Several onboardings on one screen: one row per tenant (tenant, run id, the step it is on as
 * index/total or how it ended, elapsed time), then a summary that names every failure's step and
 * fix and every manual step still to do. On a terminal the table is redrawn in place and each row
 * fits the width (the run id is cut in the middle, the state at its end, with an ellipsis); when
 * stdout is not a terminal, each tenant gets one whole line when it ends, nothing else is redrawn.
 * Only named fields of the views are printed.
 */
import type { TenantRun } from './onboardMany';
import { commandLines, runDuration, SPINNER_FRAMES, type ProgressOutput } from './progressView';
import { composeLine, dim, fold, green, red, truncate, usableWidth, yellow, type Paint } from './screenText';
import { formatDuration, OUTCOME_STYLES } from './stepLine';

export interface ManyRenderOptions {
  color: boolean;
  /** Appended to suggested commands (` --url https://app.azurewebsites.net`); the key never is. */
  targetArgs?: string;
}

export interface ManyOutput extends ProgressOutput {
  /** A terminal's height: a table taller than it is cut to fit, so a redraw never scrolls. */
  rows?: number;
}

export type RunState = 'queued' | 'starting' | 'running' | 'completed' | 'waiting' | 'failed';

/** How a tenant stands: failed includes a refused start, a lost follow and an unverified token exchange. */
export function runState(run: TenantRun): RunState {
  if (run.refused || run.lost) return 'failed';
  const view = run.view;
  if (!view) return run.phase === 'starting' ? 'starting' : 'queued';
  switch (view.status) {
    case 'completed':
      return view.result?.tokenExchangeVerified === false ? 'failed' : 'completed';
    case 'failed':
    case 'terminated':
    case 'canceled':
      return 'failed';
    case 'waiting for manual step':
      return 'waiting';
    default:
      return 'running';
  }
}

/** Nothing more will change on screen for this tenant. */
export const hasEnded = (run: TenantRun) => run.phase === 'ended';

const SYMBOLS: Record<RunState, [string, Paint]> = {
  queued: [OUTCOME_STYLES.pending.symbol, dim],
  starting: [OUTCOME_STYLES.running.symbol, yellow],
  running: [OUTCOME_STYLES.running.symbol, yellow],
  completed: [OUTCOME_STYLES.verified.symbol, green],
  waiting: [OUTCOME_STYLES.waiting.symbol, yellow],
  failed: [OUTCOME_STYLES.failed.symbol, red],
};

interface Cells {
  symbol: string;
  paint: Paint;
  /** A run still going keeps its state text plain; an ending is coloured as its symbol. */
  statePaint?: Paint;
  tenant: string;
  id: string;
  state: string;
  elapsed: string;
}

function stepTitle(run: TenantRun, stepId: string): { position: string; title: string } {
  const steps = run.view?.steps ?? [];
  const index = steps.findIndex((s) => s.id === stepId);
  return { position: index >= 0 ? `${index + 1}/${steps.length}` : '', title: index >= 0 ? steps[index].title : stepId };
}

/** What a row says about where the run is, or how it ended. */
export function stateText(run: TenantRun): string {
  const view = run.view;
  const note = run.alreadyRunning ? ' · was already running' : '';
  switch (runState(run)) {
    case 'queued':
      return 'queued';
    case 'starting':
      return 'starting';
    case 'running': {
      const current = view!.current;
      if (!current) return `${view!.status}${note}`;
      return `${current.index}/${current.total} ${stepTitle(run, current.step).title}${note}`;
    }
    case 'completed':
      return `completed${note}`;
    case 'waiting':
      return `waiting: ${view!.manualAction?.title ?? 'a manual step'}${note}`;
    case 'failed': {
      if (run.refused) return `not started: ${run.refused.message}`;
      if (run.lost) return `following stopped: ${run.lost}`;
      if (view!.status === 'completed') return 'completed, token exchange NOT verified';
      if (view!.error) {
        const { position, title } = stepTitle(run, view!.error.step);
        return `failed at ${position ? `${position} ` : ''}${title}${note}`;
      }
      return `${view!.status}${note}`;
    }
  }
}

function cells(run: TenantRun, now: number, frame: string | undefined): Cells {
  const state = runState(run);
  let [symbol, paint] = SYMBOLS[state];
  if (frame && (state === 'running' || state === 'starting')) symbol = frame;
  const view = run.view;
  let elapsed: number | undefined;
  if (view && !run.refused) elapsed = hasEnded(run) ? runDuration(view) : Math.max(0, now - Date.parse(view.createdAt));
  const statePaint = state === 'running' || state === 'starting' ? undefined : paint;
  return { symbol, paint, statePaint, tenant: run.tenant, id: view?.id ?? '', state: stateText(run), elapsed: formatDuration(elapsed) };
}

const ELAPSED_COLUMN = 7;
const MAX_TENANT_COLUMN = 24;
/** A run id cut shorter than this no longer tells runs apart. */
const MIN_ID_COLUMN = 12;
/** The state keeps up to this many columns before the run id gives any up. */
const STATE_FIRST = 32;

/** `onboard-my100001-0a1b…-r1`: the run number at the end is what tells a tenant's runs apart. */
export function cutRunId(id: string, width: number): string {
  if (Array.from(id).length <= width) return id;
  if (width < 5) return truncate(id, width);
  const tail = Math.min(id.length - id.lastIndexOf('-'), Math.floor((width - 1) / 2));
  return `${id.slice(0, width - 1 - tail)}…${id.slice(id.length - tail)}`;
}

/**
 * The table, one row per tenant in the order given, columns aligned; with a width every row fits
 * it (`width` is the columns a line may use, as screenText.usableWidth gives).
 */
export function tableLines(runs: readonly TenantRun[], now: number, options: { color: boolean; width?: number; frame?: string }): string[] {
  const rows = runs.map((run) => cells(run, now, options.frame));
  const longest = (pick: (c: Cells) => string) => Math.max(0, ...rows.map((c) => Array.from(pick(c)).length));
  const tenantWidth = Math.min(MAX_TENANT_COLUMN, longest((c) => c.tenant));
  let idWidth = longest((c) => c.id);
  let stateWidth = longest((c) => c.state);
  if (options.width !== undefined) {
    // Widths that depend on the room and the run ids only, not on what each run is doing, so that
    // the columns stay put from one redraw to the next and rows written for good line up.
    const room = options.width - (2 + 1 + 1 + tenantWidth + 2 + 2 + 2 + ELAPSED_COLUMN);
    stateWidth = Math.max(1, Math.min(room - MIN_ID_COLUMN, Math.max(STATE_FIRST, room - idWidth)));
    idWidth = Math.max(0, Math.min(idWidth, room - stateWidth));
  }
  return rows.map((c) =>
    composeLine(
      [
        ['  '],
        [c.symbol, c.paint],
        [` ${truncate(c.tenant, tenantWidth).padEnd(tenantWidth)}  `],
        [cutRunId(c.id, idWidth).padEnd(idWidth), dim],
        ['  '],
        [truncate(c.state, stateWidth).padEnd(stateWidth), c.statePaint],
        [`  ${c.elapsed.padStart(ELAPSED_COLUMN)}`],
      ],
      options.color,
      options.width,
    ),
  );
}

/** Without a terminal: one whole line when a tenant's run ends (nothing cut, nothing padded). */
export function endedLine(run: TenantRun, color: boolean): string {
  const c = cells(run, Date.now(), undefined);
  const from = run.source === run.tenant ? '' : ` (${run.source})`;
  return composeLine(
    [[c.symbol, c.paint], [` ${c.tenant}${from}`], [c.id ? `  ${c.id}` : ''], [`  ${c.state}`], [c.elapsed ? `  ${c.elapsed}` : '']],
    color,
    undefined,
  );
}

/** `3 tenants: 1 completed, 1 failed, 1 waiting for a manual step`, then each failure and each wait. */
export function summaryLines(runs: readonly TenantRun[], options: ManyRenderOptions & { width?: number }): string[] {
  const { width, color } = options;
  const suffix = options.targetArgs ?? '';
  const by = (s: RunState) => runs.filter((r) => runState(r) === s);
  const [completed, failed, waiting] = [by('completed'), by('failed'), by('waiting')];
  const unfinished = runs.length - completed.length - failed.length - waiting.length;
  const counts = [`${completed.length} completed`, `${failed.length} failed`, `${waiting.length} waiting for a manual step`];
  if (unfinished) counts.push(`${unfinished} not finished`);
  const lines = fold(`${runs.length} ${runs.length === 1 ? 'tenant' : 'tenants'}: ${counts.join(', ')}`, width, '');
  for (const run of failed) {
    const view = run.view;
    const head = `✖ ${run.tenant} (${run.source})${view ? `  ${view.id}` : ''}`;
    lines.push('', ...fold(head, width, '', '  ').map((l) => red(color, l)));
    if (run.refused) {
      lines.push(...fold(`not started: the function app refused the request${run.refused.status ? ` (HTTP ${run.refused.status})` : ''}: ${run.refused.message}`, width, '    '));
      for (const f of run.refused.fields) lines.push(...fold(`${f.field}: ${f.message}`, width, '      - ', '        '));
      lines.push(...fold(`Fix the request in ${run.source}, then start it again.`, width, '    Fix: ', '         '));
    } else if (run.lost) {
      lines.push(...fold(`following stopped: ${run.lost}`, width, '    '), ...commandLines('  Follow it again', `sap-trust follow ${view!.id}${suffix}`, width));
    } else if (view?.error) {
      const { position, title } = stepTitle(run, view.error.step);
      lines.push(
        ...fold(`failed at step ${position} "${title}" (${view.error.step}) on ${view.error.system}`, width, '    ', '      '),
        ...fold(view.error.message, width, '    ', '    '),
        ...fold(view.error.fix, width, '    Fix: ', '         '),
      );
    } else {
      lines.push(...fold(stateText(run), width, '    '));
    }
  }
  for (const run of waiting) {
    const view = run.view!;
    const step = view.manualAction?.step ?? view.current?.step ?? '<step>';
    lines.push(
      '',
      ...fold(`⏸ ${run.tenant} (${run.source})  ${view.id} waits for: ${view.manualAction?.title ?? 'a manual step'}`, width, '', '  ').map((l) => yellow(color, l)),
      ...commandLines('  What to do', `sap-trust follow ${view.id}${suffix}`, width),
      ...commandLines('  When done', `sap-trust resume ${view.id} ${step}${suffix}`, width),
    );
  }
  return lines;
}

/** After Ctrl-C: the runs go on on the server; how to follow each, and which were never started. */
export function interruptedLines(runs: readonly TenantRun[], options: ManyRenderOptions & { width?: number }): string[] {
  const { width } = options;
  const going = runs.filter((r) => r.view && !r.refused && ['running', 'waiting'].includes(runState(r)));
  const notStarted = runs.filter((r) => !r.view && !r.refused);
  const lines = ['', ...fold('Stopped following. The runs go on on the server; follow them with:', width, '')];
  if (!going.length) lines[1] = 'Stopped following. No run was going.';
  for (const run of going) lines.push(...commandLines(run.tenant, `sap-trust follow ${run.view!.id}${options.targetArgs ?? ''}`, width));
  if (notStarted.length) {
    lines.push(...fold(`Not started (start them with sap-trust onboard): ${notStarted.map((r) => r.source).join(' ')}`, width, '', '  '));
  }
  return lines;
}

/**
 * The table on a terminal, redrawn in place: rows at the top whose tenant has ended are written
 * for good, the rest are rewritten on every change and every 200 ms (spinner, elapsed time).
 * Elsewhere: a line per tenant as it ends. Then the summary.
 */
export class ManyView {
  private runs: readonly TenantRun[] = [];
  private committed = 0;
  private drawn = 0;
  private frame = 0;
  private timer?: NodeJS.Timeout;
  private readonly printed = new Set<TenantRun>();

  constructor(
    private readonly out: ManyOutput,
    private readonly options: ManyRenderOptions,
    private readonly clock: () => number = Date.now,
  ) {}

  private get width(): number | undefined {
    return this.out.isTTY ? usableWidth(this.out.columns ?? 80) : undefined;
  }

  begin(count: number, concurrency: number): void {
    this.out.write(`Onboarding ${count} ${count === 1 ? 'tenant' : 'tenants'}, at most ${concurrency} at a time.\n`);
  }

  update(runs: readonly TenantRun[]): void {
    this.runs = runs;
    if (!this.out.isTTY) {
      for (const run of runs) {
        if (hasEnded(run) && !this.printed.has(run)) {
          this.printed.add(run);
          this.out.write(`${endedLine(run, this.options.color)}\n`);
        }
      }
      return;
    }
    this.redraw();
    this.timer ??= setInterval(() => {
      this.frame = (this.frame + 1) % SPINNER_FRAMES.length;
      this.redraw();
    }, 200);
    this.timer.unref?.();
  }

  /** Stops the redraws; the table stays as last drawn. */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The last picture of the table, then the summary (and after Ctrl-C, how to follow on). */
  end(runs: readonly TenantRun[], interrupted: boolean): void {
    this.close();
    this.runs = runs;
    if (this.out.isTTY) this.redraw(true);
    const options = { ...this.options, width: this.width };
    const lines = ['', ...summaryLines(runs, options), ...(interrupted ? interruptedLines(runs, options) : [])];
    this.out.write(lines.map((l) => `${l}\n`).join(''));
  }

  private redraw(final = false): void {
    const width = this.width;
    const lines = tableLines(this.runs, this.clock(), { color: this.options.color, width, frame: final ? undefined : SPINNER_FRAMES[this.frame] });
    // Back to the first row still drawn, and clear from there (the "^C" a terminal echoes included).
    let text = this.drawn ? `\r\x1b[${this.drawn}F\x1b[0J` : '';
    while (this.committed < lines.length && (final || hasEnded(this.runs[this.committed]))) text += `${lines[this.committed++]}\n`;
    let live = lines.slice(this.committed);
    const room = this.out.rows === undefined ? Infinity : Math.max(2, this.out.rows - 2);
    if (live.length > room) live = [...live.slice(0, room - 1), truncate(`  … and ${live.length - room + 1} more`, width)];
    text += live.map((l) => `${l}\n`).join('');
    this.drawn = live.length;
    if (text) this.out.write(text);
  }
}
