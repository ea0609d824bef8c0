/**
 * Renders OnboardingView snapshots for a person: one line per finished step (symbol, outcome,
 * duration, detail) with its warnings under it, a spinner line for the step in progress on a
 * terminal, the manual action when the run waits for one, and the destination or the error with
 * its fix at the end. On a terminal every line fits its width (stepLine.ts, screenText.ts); when
 * stdout is not a terminal the lines are plain and whole.
 * Pure text functions plus a small stateful printer, so it can be tested without a terminal.
 * Only named fields of the view are ever printed: nothing else from the server reaches the screen.
 */
import type { OnboardingView, StepView } from './onboardingView';
import { bold, composeLine, fold, green, red, truncate, usableWidth, visibleWidth, yellow } from './screenText';
import { formatDuration, stepLine, warningLines, type LineOptions } from './stepLine';

export { formatDuration } from './stepLine';

export interface RenderOptions extends LineOptions {
  /** The API base, to make server-relative URLs (certificate download) absolute. */
  baseUrl: string;
  /** Appended to the commands the CLI suggests (e.g. ` --url https://app.azurewebsites.net`). */
  targetArgs?: string;
}

export const SPINNER_FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** Every outcome but 'waiting' is where a step ends. */
export const isFinished = (step: StepView) => step.outcome !== undefined && step.outcome !== 'waiting';

/** Step titles are aligned to the longest one of the run. */
export function titleWidth(view: OnboardingView): number {
  return Math.max(0, ...view.steps.map((s) => s.title.length));
}

/** A step's line and its warnings. */
export function stepLines(view: OnboardingView, index: number, options: RenderOptions): string[] {
  const step = view.steps[index];
  return [stepLine(step, index + 1, view.steps.length, titleWidth(view), options), ...warningLines(step, options)];
}

export function headerLines(view: OnboardingView, options: RenderOptions): string[] {
  const what = view.tenant ? `Onboarding tenant ${view.tenant}${view.subaccountId ? ` to subaccount ${view.subaccountId}` : ''}` : 'Onboarding';
  return [composeLine([[what, bold]], options.color, options.width), truncate(`  id ${view.id}`, options.width)];
}

/** The line under the finished steps while a step runs (a spinner frame on a terminal). */
export function currentLine(view: OnboardingView, frame: string, now: number, options: RenderOptions): string | undefined {
  const index = view.steps.findIndex((s) => view.current?.step === s.id);
  const step = index >= 0 ? view.steps[index] : view.steps.find((s) => s.startedAt && !s.outcome);
  if (!step || step.outcome) return undefined;
  const position = view.steps.indexOf(step) + 1;
  const started = step.startedAt ? Date.parse(step.startedAt) : NaN;
  const elapsed = Number.isFinite(started) ? now - started : undefined;
  return stepLine({ ...step, startedAt: step.startedAt ?? new Date(now).toISOString(), durationMs: elapsed }, position, view.steps.length, titleWidth(view), options, frame);
}

/** The spinner line while the run waits for a person: that it waits, for what, and how to go on. */
export function waitingLine(view: OnboardingView, frame: string, options: RenderOptions): string | undefined {
  const action = view.manualAction;
  if (!action) return undefined;
  return composeLine(
    [[`${frame} `, yellow], [`waiting for you: ${action.title}; then sap-trust resume ${view.id} ${action.step}${options.targetArgs ?? ''}`]],
    options.color,
    options.width,
  );
}

export function manualActionLines(view: OnboardingView, options: RenderOptions): string[] {
  const action = view.manualAction;
  if (!action) return [];
  const { width } = options;
  const suffix = options.targetArgs ?? '';
  const lines = [
    ...fold(`⏸ Waiting for manual step: ${action.title}`, width, '', '  ').map((l) => yellow(options.color, l)),
    ...action.instructions.flatMap((text, i) => fold(text, width, `    ${i + 1}. `)),
    ...action.attachments.flatMap((a) => [
      ...commandLines(a.description, `sap-trust certificate ${view.id}${suffix}`, width),
      ...labelled('', `(saves ${a.fileName})`, width),
      ...labelled('  or through the API', `GET ${absolute(a.url, options.baseUrl)} with header x-functions-key`, width),
    ]),
    ...Object.entries(action.facts).flatMap(([fact, value]) => labelled(fact, value, width)),
    ...labelled('Deadline', action.deadline, width),
    ...commandLines('When done', `sap-trust resume ${view.id} ${action.step}${suffix}`, width),
    ...fold(`The run then checks what the person did and goes on only when it finds it done; until then it waits.`, width, '  '),
  ];
  if (action.lastVerification) lines.push(...fold(`Last check: ${action.lastVerification}`, width, '  ⚠ ', '    ').map((l) => yellow(options.color, l)));
  return lines;
}

const LABEL_COLUMN = 22;

/**
 * `  Label                  value` on one line when it fits; else the value folded beside the
 * label, or, when a word of it (a URL) would have to be cut there, on lines of its own under it.
 */
function labelled(label: string, value: string, width: number | undefined): string[] {
  const prefix = `  ${label.padEnd(LABEL_COLUMN)} `;
  if (width === undefined || visibleWidth(prefix + value) <= width) return [prefix + value];
  const longestWord = Math.max(...value.split(/\s+/).map((w) => visibleWidth(w)));
  if (prefix.length + longestWord <= width) return fold(value, width, prefix, ' '.repeat(prefix.length));
  return [`  ${label}`, ...fold(value, width, '    ')];
}

/**
 * A command to copy: beside its label when it fits, else under it, continued with ` \` so that
 * the copied lines still run as one command in a shell.
 */
export function commandLines(label: string, command: string, width: number | undefined): string[] {
  const prefix = `  ${label.padEnd(LABEL_COLUMN)} `;
  if (width === undefined || visibleWidth(prefix + command) <= width) return [prefix + command];
  const lines = fold(command, width - 2, '    ', '      ');
  return [`  ${label}:`, ...lines.map((l, i) => (i < lines.length - 1 ? `${l} \\` : l))];
}

export function outcomeLines(view: OnboardingView, options: RenderOptions): string[] {
  const took = formatDuration(runDuration(view));
  const { width } = options;
  if (view.status === 'completed') {
    const lines = [green(options.color, `✔ Onboarding completed${took ? ` in ${took}` : ''}`)];
    const r = view.result;
    if (r) {
      lines.push(
        ...labelled('Destination', r.destinationName, width),
        ...labelled('URL', r.destinationUrl, width),
        ...labelled('Token service URL', r.tokenServiceURL, width),
        ...labelled('Audience', r.audience, width),
        ...labelled('Client ID', r.clientId, width),
      );
      if (r.certificateNotAfter) lines.push(...labelled('Trust certificate', `valid until ${r.certificateNotAfter}`, width));
      if (r.certificateFingerprint) lines.push(...labelled('  SHA-256', r.certificateFingerprint, width));
      lines.push(r.tokenExchangeVerified ? green(options.color, '  ✔ token exchange verified') : red(options.color, '  ✖ token exchange NOT verified'));
    }
    return lines;
  }
  if (view.status === 'failed') {
    const e = view.error;
    if (!e) return [red(options.color, '✖ Onboarding failed')];
    const title = view.steps.find((s) => s.id === e.step)?.title ?? e.step;
    return [
      ...fold(`✖ Onboarding failed at step "${title}" (${e.step}) on ${e.system}`, width, '', '  ').map((l) => red(options.color, l)),
      ...fold(e.message, width, '  '),
      ...fold(e.fix, width, '  Fix: ', '       '),
    ];
  }
  if (view.status === 'terminated') return [red(options.color, '✖ Onboarding terminated')];
  return [];
}

/** After Ctrl-C: the CLI stopped following, the run itself goes on. */
export function interruptedLines(id: string, options: RenderOptions): string[] {
  const suffix = options.targetArgs ?? '';
  return [
    ...fold(`Stopped following. Onboarding ${id} goes on on the server.`, options.width, ''),
    ...commandLines('Follow it again', `sap-trust follow ${id}${suffix}`, options.width),
    ...commandLines('Cancel it', `sap-trust cancel ${id}${suffix}`, options.width),
  ];
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
  const lines = [...headerLines(view, options), truncate(`  status: ${view.status}${view.current && !isFinal(view) ? ` — ${view.current.message}` : ''}`, options.width)];
  view.steps.forEach((_, i) => lines.push(...stepLines(view, i, options)));
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
  /** A terminal's width, read again on every line (the window may be resized). */
  columns?: number;
}

/**
 * Follows a run on screen. Finished steps (and their warnings) are appended once, in order; on a
 * terminal the running step, or the wait for a person, is a spinner line redrawn in place, always
 * narrower than the terminal so a redraw never leaves a wrapped row behind. Elsewhere nothing but
 * whole appended lines is written.
 */
export class ProgressView {
  private readonly printedSteps = new Set<string>();
  private readonly printedWarnings = new Map<string, number>();
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

  /** Render options for this moment: a terminal's current width, or none. */
  private get now(): RenderOptions {
    return { ...this.options, width: this.out.isTTY ? usableWidth(this.out.columns ?? 80) : undefined };
  }

  update(view: OnboardingView): void {
    this.clearLive();
    const options = this.now;
    if (!this.headerPrinted) {
      this.emit(headerLines(view, options));
      this.headerPrinted = true;
    }
    view.steps.forEach((step, i) => {
      if (isFinished(step) && !this.printedSteps.has(step.id)) {
        this.printedSteps.add(step.id);
        this.printedWarnings.set(step.id, step.warnings?.length ?? 0);
        this.emit(stepLines(view, i, options));
      } else if (this.printedSteps.has(step.id) && (step.warnings?.length ?? 0) > (this.printedWarnings.get(step.id) ?? 0)) {
        // A warning that arrived after the step was printed still gets its own line.
        const already = this.printedWarnings.get(step.id) ?? 0;
        this.printedWarnings.set(step.id, step.warnings!.length);
        this.emit(warningLines({ ...step, warnings: step.warnings!.slice(already) }, options));
      }
    });
    if (view.status === 'waiting for manual step' && view.manualAction) {
      const key = JSON.stringify([view.manualAction.step, view.manualAction.deadline, view.manualAction.lastVerification]);
      if (key !== this.printedManualAction) {
        this.printedManualAction = key;
        this.emit(manualActionLines(view, options));
      }
    } else {
      this.printedManualAction = undefined;
    }
    if (isFinal(view)) {
      this.stopSpinner();
      if (!this.finalPrinted) this.emit(outcomeLines(view, options));
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

  /** Ctrl-C: a clean line saying the run goes on, and how to follow or cancel it. */
  interrupted(id: string): void {
    this.close();
    if (this.out.isTTY) this.out.write('\r\x1b[2K');
    this.emit(interruptedLines(id, this.now));
  }

  private tick(): void {
    this.frame = (this.frame + 1) % SPINNER_FRAMES.length;
    this.clearLive();
    this.drawLive();
  }

  private drawLive(): void {
    if (!this.live) return;
    const frame = SPINNER_FRAMES[this.frame];
    // Two columns short of the others: the "^C" a terminal echoes after it must not wrap the row,
    // or the clean-up would clear the wrong one.
    const now = this.now;
    const options = { ...now, width: now.width === undefined ? undefined : now.width - 2 };
    const line =
      this.live.status === 'waiting for manual step' ? waitingLine(this.live, frame, options) : currentLine(this.live, frame, this.clock(), options);
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
