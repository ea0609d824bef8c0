/**
 * Reads Bicep files as text. The Bicep compiler cannot be installed here (it is a downloaded binary),
 * so the infra tests read the few constructs infra/ uses: `param`, `var x = { … }` objects of
 * `key: value` lines, and `resource sym 'type@version' = [if (cond)] { … }` blocks. Strings are
 * single-quoted with `${…}` interpolation; braces inside strings are skipped.
 */
export interface BicepResource {
  symbol: string;
  type: string;
  condition?: string;
  body: string;
}

/** The text from the `{` at `open` to its matching `}` (inclusive), skipping quoted strings and comments. */
function balanced(text: string, open: number): string {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === "'") {
      for (i++; i < text.length && text[i] !== "'"; i++) if (text[i] === '\\') i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return text.slice(open, i + 1);
  }
  throw new Error(`unbalanced braces from offset ${open}`);
}

export function resources(text: string): BicepResource[] {
  const found: BicepResource[] = [];
  const head = /^resource\s+(\w+)\s+'([^'@]+)@[^']+'\s*(?:existing\s*)?=\s*(?:if\s*\((.*)\)\s*)?\{/gm;
  for (let m = head.exec(text); m; m = head.exec(text)) {
    found.push({ symbol: m[1], type: m[2], ...(m[3] ? { condition: m[3].trim() } : {}), body: balanced(text, m.index + m[0].length - 1) });
  }
  return found;
}

/** `key: value` lines at the top level of the object literal that follows `var <name> = … {`. */
export function objectVar(text: string, name: string): Record<string, string> {
  const m = new RegExp(`^var\\s+${name}\\s*=[^{]*\\{`, 'm').exec(text);
  if (!m) throw new Error(`var ${name} = { … } not found`);
  const body = balanced(text, m.index + m[0].length - 1);
  const out: Record<string, string> = {};
  let depth = 0;
  for (const line of body.slice(1, -1).split('\n')) {
    const trimmed = line.trim();
    if (depth === 0 && trimmed && !trimmed.startsWith('//')) {
      const kv = /^'?([A-Za-z_][\w.-]*)'?\s*:\s*(.+)$/.exec(trimmed);
      if (!kv) throw new Error(`var ${name}: cannot read line "${trimmed}"`);
      out[kv[1]] = kv[2].trim();
    }
    depth += (trimmed.match(/\{/g) ?? []).length - (trimmed.match(/\}/g) ?? []).length;
  }
  return out;
}

/** `param name type = default` → the default, as Bicep text (undefined without one). */
export function paramDefaults(text: string): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const m of text.matchAll(/^param\s+(\w+)\s+\w+(?:\s*=\s*(.+))?$/gm)) out[m[1]] = m[2]?.trim();
  return out;
}

/** A property `name: value` inside a block (first match), as text: to the end of its line, or to `,`/`}` on a one-line object. */
export function property(body: string, name: string): string | undefined {
  const line = new RegExp(`(?:^|[\\s{,])${name}\\s*:\\s*([^\\n]+)`).exec(body)?.[1];
  if (line === undefined) return undefined;
  const value = line.replace(/\s*\/\/.*$/, '').trim();
  // `{ name: 'FC1', tier: … }` on one line: the value ends at the first comma or brace outside parentheses.
  let depth = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === "'") {
      i = value.indexOf("'", i + 1);
      if (i < 0) break;
    } else if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if ((c === ',' || c === '}') && depth === 0) return value.slice(0, i).trim();
  }
  return value;
}

/**
 * The value a setting gets: a quoted literal as is; otherwise every expression (whole value or
 * `${…}` inside a string) replaced by what `sample` gives for it.
 */
export function evaluate(value: string, sample: (expression: string) => string): string {
  if (value.startsWith("'") && value.endsWith("'")) return value.slice(1, -1).replace(/\$\{([^}]+)\}/g, (_, e: string) => sample(e.trim()));
  return sample(value);
}
