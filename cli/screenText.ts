/**
 * Text for a terminal of a given width: ANSI colours, the visible width of a line, cutting a line
 * with an ellipsis and folding prose at word boundaries. A terminal wraps any line that reaches its
 * last column, and a redrawn spinner line that wrapped leaves a row behind on every frame, so every
 * line the CLI writes to a terminal stays at most `width - 1` columns wide.
 */

const ESC = '\x1b[';
export type Paint = (on: boolean, text: string) => string;
const paint = (code: string): Paint => (on, text) => (on && text ? `${ESC}${code}m${text}${ESC}0m` : text);
export const plain: Paint = (_on, text) => text;
export const red = paint('31');
export const green = paint('32');
export const yellow = paint('33');
export const blue = paint('34');
export const magenta = paint('35');
export const cyan = paint('36');
export const dim = paint('2');
export const bold = paint('1');
export const both = (a: Paint, b: Paint): Paint => (on, text) => a(on, b(on, text));

const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;

/** Columns a line takes on screen: ANSI codes take none, each character one (the CLI's symbols are all narrow). */
export function visibleWidth(text: string): number {
  return Array.from(text.replace(ANSI, '')).length;
}

/** The columns a line may use on a terminal `columns` wide (undefined: not a terminal, no limit). */
export function usableWidth(columns: number | undefined): number | undefined {
  return columns === undefined ? undefined : Math.max(20, columns - 1);
}

/** Plain text cut to `width` columns, the last one an ellipsis when something was cut. */
export function truncate(text: string, width: number | undefined): string {
  if (width === undefined) return text;
  const chars = Array.from(text);
  if (chars.length <= width) return text;
  return width <= 0 ? '' : `${chars.slice(0, width - 1).join('').trimEnd()}…`;
}

/** A line made of pieces, each painted on its own, cut with an ellipsis to `width` as a whole. */
export function composeLine(pieces: Array<[text: string, paint?: Paint]>, color: boolean, width: number | undefined): string {
  const whole = pieces.map(([t]) => t).join('');
  const kept = Array.from(truncate(whole.trimEnd(), width));
  let at = 0;
  let out = '';
  for (const [text, colour = plain] of pieces) {
    const length = Array.from(text).length;
    const part = kept.slice(at, at + length).join('');
    at += length;
    if (part) out += colour(color, part);
    if (at >= kept.length) break;
  }
  return out;
}

/**
 * Prose folded at spaces to `width` columns: the first line starts with `first`, the others with
 * `rest` (a hanging indent). A word longer than a line is cut hard, never left to the terminal.
 * Without a width it is one line.
 */
export function fold(text: string, width: number | undefined, first: string, rest = ' '.repeat(first.length)): string[] {
  if (width === undefined) return [`${first}${text}`];
  const lines: string[] = [];
  let line = first;
  let empty = true;
  const room = (prefix: string) => Math.max(8, width - prefix.length);
  for (let word of text.split(/\s+/).filter(Boolean)) {
    const needed = Array.from(word).length + (empty ? 0 : 1);
    if (!empty && visibleWidth(line) + needed > width) {
      lines.push(line);
      line = rest;
      empty = true;
    }
    while (Array.from(word).length > room(line)) {
      const chars = Array.from(word);
      const fits = Math.max(1, width - visibleWidth(line) - (empty ? 0 : 1));
      line += (empty ? '' : ' ') + chars.slice(0, fits).join('');
      lines.push(line);
      line = rest;
      empty = true;
      word = chars.slice(fits).join('');
    }
    line += (empty ? '' : ' ') + word;
    empty = false;
  }
  lines.push(line);
  return lines;
}
