/**
 * Renders OnboardingView snapshots for a person: one line per finished step (glyph, outcome,
 * duration), a spinner line for the step in progress on a terminal, the manual action when the run
 * waits for one, and the destination or the error with its fix at the end.
 * Pure text functions plus a small stateful printer, so it can be tested without a terminal.
 * Only named fields of the view are ever printed: nothing else from the server reaches the screen.
 */
import type { OnboardingView, StepView } from './onboardingView';

export interface RenderOptions {
  /** ANSI colours (terminals without NO_COLOR). */
  color: boolean;
  /** The API base, to make server-relative URLs (certificate download) absolute. */
  baseUrl: string;
}

const ESC = '\x1b[';
const paint = (code: string) => (on: boolean, text: string) => (on ? `${ESC}${code}m${text}${ESC}0m` : text);
const green = paint('32');
const red = paint('31');
const yellow = paint('33');
const dim = paint('2');
const bold = paint('1');

export const SPINNER_FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const FINAL_OUTCOMES = new Set(['created', 'updated', 'unchanged', 'failed']);

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '';
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes}m ${String(Math.round((ms % 60_000) / 1000)).padStart(2, '0')}s`;
}

function glyph(step: StepView, color: boolean): string {
  switch (step.outcome) {
    case 'created':
    case 'updated':
    case 'unchanged':
      return green(color, '✔');
    case 'failed':
      return red(color, '✖');
    case 'waiting':
      return yellow(color, '⏸');
    default:
      return step.startedAt ? yellow(color, '▸') : dim(color, '·');
  }
}

function outcomeText(step: StepView, color: boolean): string {
  const text = (step.outcome ?? (step.startedAt ? 'running' : 'pending')).padEnd(9);
  if (step.outcome === 'failed') return red(color, text);
  if (step.outcome === 'created' || step.outcome === 'updated') return bold(color, text);
  if (!step.outcome || step.outcome === 'waiting') return dim(color, text);
  return text;
}

/** `  ✔ 3/9 Communication user          created    412 ms  (COM501SID100)` */
export function stepLine(
  step: StepView,
  position: number,
  total: number,
  options: RenderOptions,
  titleWidth = step.title.length,
  leading = glyph(step, options.color),
): string {
  const counter = `${position}/${total}`.padStart(String(total).length * 2 + 1);
  const duration = formatDuration(step.durationMs).padStart(8);
  const detail = step.detail && step.outcome !== 'failed' ? dim(options.color, `  ${step.detail}`) : '';
  return `  ${leading} ${counter} ${step.title.padEnd(titleWidth)}  ${outcomeText(step, options.color)} ${duration}${detail}`.trimEnd();
}

/** Step titles are aligned to the longest one of the run. */
export function titleWidth(view: OnboardingView): number {
  return Math.max(0, ...view.steps.map((s) => s.title.length));
}

export function headerLines(view: OnboardingView, options: RenderOptions): string[] {
  const about = [view.tenant && `tenant ${view.tenant}`, view.subaccountId && `subaccount ${view.subaccountId}`].filter(Boolean).join(', ');
  return [`${bold(options.color, `Onboarding ${view.id}`)}${about ? `  ${about}` : ''}`];
}

/** The line under the finished steps while a step runs (a spinner frame on a terminal). */
export function currentLine(view: OnboardingView, frame: string, now: number, options: RenderOptions): string | undefined {
  const index = view.steps.findIndex((s) => view.current?.step === s.id);
  const step = index >= 0 ? view.steps[index] : view.steps.find((s) => s.startedAt && !s.outcome);
  if (!step || (step.outcome && FINAL_OUTCOMES.has(step.outcome)) || step.outcome === 'waiting') return undefined;
  const position = view.steps.indexOf(step) + 1;
  const started = step.startedAt ? Date.parse(step.startedAt) : NaN;
  const elapsed = Number.isFinite(started) ? now - started : undefined;
  return stepLine({ ...step, durationMs: elapsed }, position, view.steps.length, options, titleWidth(view), yellow(options.color, frame));
}

export function manualActionLines(view: OnboardingView, options: RenderOptions): string[] {
  const action = view.manualAction;
  if (!action) return [];
  const lines = [
    yellow(options.color, `⏸ Waiting for manual step: ${action.title}`),
    ...action.instructions.map((text, i) => `    ${i + 1}. ${text}`),
    ...action.attachments.map((a) => `  ${a.description}: ${absolute(a.url, options.baseUrl)} (sap-trust certificate ${view.id})`),
    ...Object.entries(action.facts).map(([fact, value]) => `  ${`${fact}:`.padEnd(28)} ${value}`),
    `  ${'Deadline:'.padEnd(28)} ${action.deadline}`,
  ];
  if (action.lastVerification) lines.push(red(options.color, `  Last check: ${action.lastVerification}`));
  lines.push(`  When done, resume with:     sap-trust resume ${view.id} ${action.step}`);
  return lines;
}

export function outcomeLines(view: OnboardingView, options: RenderOptions): string[] {
  const took = formatDuration(runDuration(view));
  if (view.status === 'completed') {
    const lines = [green(options.color, `✔ Onboarding completed${took ? ` in ${took}` : ''}`)];
    const r = view.result;
    if (r) {
      lines.push(
        `  Destination        ${r.destinationName}`,
        `  URL                ${r.destinationUrl}`,
        `  Token service URL  ${r.tokenServiceURL}`,
        `  Audience           ${r.audience}`,
        `  Client ID          ${r.clientId}`,
      );
      if (r.certificateNotAfter) lines.push(`  Trust certificate  valid until ${r.certificateNotAfter}${r.certificateFingerprint ? ` (SHA-256 ${r.certificateFingerprint})` : ''}`);
      lines.push(r.tokenExchangeVerified ? green(options.color, '  ✔ token exchange verified') : red(options.color, '  ✖ token exchange NOT verified'));
    }
    return lines;
  }
  if (view.status === 'failed') {
    const e = view.error;
    if (!e) return [red(options.color, '✖ Onboarding failed')];
    const title = view.steps.find((s) => s.id === e.step)?.title ?? e.step;
    return [
      red(options.color, `✖ Onboarding failed at step "${title}" (${e.step}) on ${e.system}`),
      `  ${e.message}`,
      `  Fix: ${e.fix}`,
    ];
  }
  if (view.status === 'terminated') return [red(options.color, '✖ Onboarding terminated')];
  return [];
}

/** From the request to the last thing that happened (a step's end may be later than updatedAt). */
export function runDuration(view: OnboardingView): number | undefined {
  const start = Date.parse(view.createdAt);
  const ends = [view.updatedAt, ...view.steps.map((s) => s.finishedAt)].map((t) => (t ? Date.parse(t) : NaN)).filter(Number.isFinite);
  if (!Number.isFinite(start) || !ends.length) return undefined;
  return Math.max(...ends) - start;
}

/** A full, static picture of one snapshot (`sap-trust status`). */
export function snapshotLines(view: OnboardingView, options: RenderOptions): string[] {
  const lines = [...headerLines(view, options), `  status: ${view.status}${view.current && !isFinal(view) ? ` — ${view.current.message}` : ''}`];
  view.steps.forEach((step, i) => lines.push(stepLine(step, i + 1, view.steps.length, options, titleWidth(view))));
  if (view.status === 'waiting for manual step') lines.push(...manualActionLines(view, options));
  lines.push(...outcomeLines(view, options));
  return lines;
}

function isFinal(view: OnboardingView): boolean {
  return view.status === 'completed' || view.status === 'failed' || view.status === 'terminated';
}

function absolute(pathOrUrl: string, baseUrl: string): string {
  if (/^https?:\/\//.test(pathOrUrl)) return pathOrUrl;
  return `${baseUrl.replace(/\/+$/, '')}${pathOrUrl.startsWith('/') ? '' : '/'}${pathOrUrl}`;
}

export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
}

/**
 * Follows a run on screen. Finished steps are appended once, in order; on a terminal the running
 * step is a spinner line redrawn in place, elsewhere nothing but appended lines is written.
 */
export class ProgressView {
  private readonly printedSteps = new Set<string>();
  private headerPrinted = false;
  private printedManualAction?: string;
  private finalPrinted = false;
  private live?: OnboardingView;
  private liveShown = false;
  private frame = 0;
  private spinner?: NodeJS.Timeout;

  constructor(
    private readonly out: ProgressOutput,
    private readonly options: RenderOptions,
    private readonly clock: () => number = Date.now,
  ) {}

  update(view: OnboardingView): void {
    this.clearLive();
    if (!this.headerPrinted) {
      this.emit(headerLines(view, this.options));
      this.headerPrinted = true;
    }
    view.steps.forEach((step, i) => {
      if (step.outcome && FINAL_OUTCOMES.has(step.outcome) && !this.printedSteps.has(step.id)) {
        this.printedSteps.add(step.id);
        this.emit([stepLine(step, i + 1, view.steps.length, this.options, titleWidth(view))]);
      }
    });
    if (view.status === 'waiting for manual step' && view.manualAction) {
      const key = JSON.stringify([view.manualAction.step, view.manualAction.deadline, view.manualAction.lastVerification]);
      if (key !== this.printedManualAction) {
        this.printedManualAction = key;
        this.emit(manualActionLines(view, this.options));
      }
    } else {
      this.printedManualAction = undefined;
    }
    if (isFinal(view)) {
      this.stopSpinner();
      if (!this.finalPrinted) this.emit(outcomeLines(view, this.options));
      this.finalPrinted = true;
      this.live = undefined;
      return;
    }
    this.live = view;
    if (this.out.isTTY) {
      this.drawLive();
      this.spinner ??= setInterval(() => this.tick(), 100);
      this.spinner.unref?.();
    }
  }

  /** Stops the spinner and leaves the cursor on a clean line. */
  close(): void {
    this.stopSpinner();
    this.clearLive();
  }

  private tick(): void {
    this.frame = (this.frame + 1) % SPINNER_FRAMES.length;
    this.clearLive();
    this.drawLive();
  }

  private drawLive(): void {
    if (!this.live || this.live.status === 'waiting for manual step') return;
    const line = currentLine(this.live, SPINNER_FRAMES[this.frame], this.clock(), this.options);
    if (!line) return;
    this.out.write(line);
    this.liveShown = true;
  }

  private clearLive(): void {
    if (this.liveShown) this.out.write('\r\x1b[2K');
    this.liveShown = false;
  }

  private stopSpinner(): void {
    if (this.spinner) clearInterval(this.spinner);
    this.spinner = undefined;
  }

  private emit(lines: string[]): void {
    for (const line of lines) this.out.write(`${line}\n`);
  }
}
