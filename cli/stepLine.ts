/**
 * One step of a run on one line: symbol, position, title, outcome word, duration and detail.
 * On a terminal the line fits its width: the title is cut with an ellipsis, the detail is cut or
 * left out. Warnings are separate ⚠ lines under the step, in yellow, never dimmed and never cut.
 */
import type { StepOutcome, StepView } from './onboardingView';
import { blue, bold, both, composeLine, cyan, dim, fold, green, magenta, plain, red, truncate, yellow, type Paint } from './screenText';

export interface LineOptions {
  color: boolean;
  /** Columns a line may use; undefined when stdout is not a terminal (whole lines, nothing cut). */
  width?: number;
}

interface OutcomeStyle {
  symbol: string;
  symbolPaint: Paint;
  wordPaint: Paint;
}

/** Each outcome has its own symbol and colour, so "wrote something" and "only looked" never look alike. */
export const OUTCOME_STYLES: Record<StepOutcome | 'running' | 'pending', OutcomeStyle> = {
  created: { symbol: '✚', symbolPaint: green, wordPaint: both(bold, green) },
  updated: { symbol: '✎', symbolPaint: cyan, wordPaint: both(bold, cyan) },
  deleted: { symbol: '−', symbolPaint: magenta, wordPaint: both(bold, magenta) },
  unchanged: { symbol: '=', symbolPaint: plain, wordPaint: plain },
  checked: { symbol: '✓', symbolPaint: blue, wordPaint: blue },
  verified: { symbol: '✔', symbolPaint: green, wordPaint: green },
  'done by hand': { symbol: '☑', symbolPaint: cyan, wordPaint: cyan },
  failed: { symbol: '✖', symbolPaint: red, wordPaint: red },
  waiting: { symbol: '⏸', symbolPaint: yellow, wordPaint: yellow },
  skipped: { symbol: '○', symbolPaint: dim, wordPaint: dim },
  running: { symbol: '▸', symbolPaint: yellow, wordPaint: yellow },
  pending: { symbol: '·', symbolPaint: dim, wordPaint: dim },
};

/** The longest outcome word ('done by hand'): outcome words line up in one column. */
const OUTCOME_COLUMN = Math.max(...Object.keys(OUTCOME_STYLES).map((w) => w.length));
const DURATION_COLUMN = 7;
/** Without a terminal width, titles are padded to at most this many columns; longer ones run on. */
const PLAIN_TITLE_COLUMN = 40;
/** A detail shorter than this after cutting says nothing; it is left out instead. */
const MIN_DETAIL = 10;

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '';
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes}m ${String(Math.round((ms % 60_000) / 1000)).padStart(2, '0')}s`;
}

export function outcomeWord(step: StepView): keyof typeof OUTCOME_STYLES {
  return step.outcome ?? (step.startedAt ? 'running' : 'pending');
}

/**
 * `  ✚ 3/9 S/4 communication user   created       412 ms  COM0501_0A1B2C3D`
 * `titleColumn` is the longest title of the run, so outcomes line up; `leading` replaces the symbol
 * (the spinner frame of the running step).
 */
export function stepLine(step: StepView, position: number, total: number, titleColumn: number, options: LineOptions, leading?: string): string {
  const word = outcomeWord(step);
  const style = OUTCOME_STYLES[word];
  const counter = `${position}/${total}`.padStart(String(total).length * 2 + 1);
  const left = `  ${leading ?? style.symbol} ${counter} `;
  const right = `  ${word.padEnd(OUTCOME_COLUMN)} ${formatDuration(step.durationMs).padStart(DURATION_COLUMN)}`;
  const { width } = options;
  const titleRoom = width === undefined ? Math.min(titleColumn, PLAIN_TITLE_COLUMN) : Math.min(titleColumn, width - left.length - right.length);
  const title = truncate(step.title, width === undefined ? undefined : Math.max(0, titleRoom)).padEnd(Math.max(0, titleRoom));
  const used = left.length + Array.from(title).length + right.length;
  const detailRoom = width === undefined ? undefined : width - used - 2;
  const showDetail = step.detail && step.outcome !== 'failed' && (detailRoom === undefined || detailRoom >= MIN_DETAIL);
  const detail = showDetail ? `  ${truncate(step.detail!, detailRoom)}` : '';
  return composeLine(
    [
      ['  '],
      [leading ?? style.symbol, leading ? yellow : style.symbolPaint],
      [` ${counter} ${title}  `],
      [word.padEnd(OUTCOME_COLUMN), style.wordPaint],
      [` ${formatDuration(step.durationMs).padStart(DURATION_COLUMN)}`],
      [detail, dim],
    ],
    options.color,
    width,
  );
}

/** `      ⚠ the certificate upload will be a manual step`, folded to the width, in yellow. */
export function warningLines(step: StepView, options: LineOptions): string[] {
  return (step.warnings ?? []).flatMap((warning) => fold(warning, options.width, '      ⚠ ', '        ').map((line) => yellow(options.color, line)));
}
