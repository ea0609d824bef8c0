/**
 * HTTP trigger route templates, ASP.NET Core style as the Functions host uses them: literal segments
 * (case-insensitive), `{name}`, optional `{name?}`, defaults `{name=value}`, catch-all `{*rest}`, and
 * inline constraints `{id:int}`, `{x:alpha}`, `{n:min(1)}`, `{s:regex(^a+$)}`. Unknown constraints are tolerated.
 */

interface Parameter {
  name: string;
  optional: boolean;
  catchAll: boolean;
  defaultValue?: string;
  constraints: string[];
}

interface Segment {
  /** Matches one path segment; named groups p0, p1, ... are the parameters in order. */
  pattern: RegExp;
  parameters: Parameter[];
  literal: boolean;
}

export interface CompiledRoute {
  template: string;
  /** Higher is more specific; used to order candidate routes. */
  precedence: number;
  match(pathname: string): Record<string, string> | undefined;
}

const PARAMETER = /^(\*{1,2})?([A-Za-z_][A-Za-z0-9_]*)((?::[^=?]+?)*)(?:=(.*?))?(\?)?$/;

function parseParameter(body: string, template: string): Parameter {
  const found = PARAMETER.exec(body);
  if (!found) throw new Error(`Route template "${template}": invalid parameter "{${body}}"`);
  const [, star, name, constraintText, defaultValue, question] = found;
  return {
    name,
    catchAll: Boolean(star),
    optional: Boolean(question) || defaultValue !== undefined || Boolean(star),
    defaultValue,
    constraints: constraintText ? splitConstraints(constraintText.slice(1)) : [],
  };
}

/** Splits "int:min(1):regex(a:b)" on colons outside parentheses. */
function splitConstraints(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ':' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts.filter(Boolean);
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function compileSegment(text: string, template: string): Segment {
  const parameters: Parameter[] = [];
  let source = '';
  let rest = text;
  while (rest.length > 0) {
    const open = rest.indexOf('{');
    if (open < 0) {
      source += escapeRegExp(rest);
      break;
    }
    source += escapeRegExp(rest.slice(0, open));
    let depth = 0;
    let close = open;
    for (; close < rest.length; close++) {
      if (rest[close] === '{') depth++;
      if (rest[close] === '}' && --depth === 0) break;
    }
    if (close >= rest.length) throw new Error(`Route template "${template}": unclosed "{" in "${text}"`);
    parameters.push(parseParameter(rest.slice(open + 1, close), template));
    source += `(?<p${parameters.length - 1}>.+?)`;
    rest = rest.slice(close + 1);
  }
  return { pattern: new RegExp(`^${source}$`, 'i'), parameters, literal: parameters.length === 0 };
}

function satisfies(value: string, constraint: string): boolean {
  const call = /^([a-z]+)(?:\((.*)\))?$/i.exec(constraint);
  if (!call) return true;
  const [, kind, argText = ''] = call;
  const args = argText.split(',').map((a) => a.trim());
  const num = Number(value);
  switch (kind.toLowerCase()) {
    case 'int':
    case 'long':
      return /^-?\d+$/.test(value);
    case 'decimal':
    case 'double':
    case 'float':
      return value.trim() !== '' && Number.isFinite(num);
    case 'bool':
      return /^(true|false)$/i.test(value);
    case 'guid':
      return /^\{?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\}?$/i.test(value);
    case 'alpha':
      return /^[a-z]+$/i.test(value);
    case 'datetime':
      return !Number.isNaN(Date.parse(value));
    case 'min':
      return num >= Number(args[0]);
    case 'max':
      return num <= Number(args[0]);
    case 'range':
      return num >= Number(args[0]) && num <= Number(args[1]);
    case 'minlength':
      return value.length >= Number(args[0]);
    case 'maxlength':
      return value.length <= Number(args[0]);
    case 'length':
      return args.length === 1
        ? value.length === Number(args[0])
        : value.length >= Number(args[0]) && value.length <= Number(args[1]);
    case 'regex':
      try {
        return new RegExp(argText.replace(/\{\{/g, '{').replace(/\}\}/g, '}'), 'i').test(value);
      } catch {
        return true;
      }
    default:
      return true;
  }
}

export function compileRoute(template: string): CompiledRoute {
  const segments = template
    .split('/')
    .filter((s) => s.length > 0)
    .map((s) => compileSegment(s, template));
  segments.forEach((segment, index) => {
    const whole = segment.parameters.length === 1 && segment.pattern.source === '^(?<p0>.+?)$';
    const param = segment.parameters[0];
    if (param?.catchAll && (index !== segments.length - 1 || !whole))
      throw new Error(`Route template "${template}": a catch-all parameter must be the whole last segment`);
  });
  const precedence = segments.reduce(
    (score, s) => score * 4 + (s.literal ? 3 : s.parameters.some((p) => p.catchAll) ? 0 : s.parameters[0]?.constraints.length ? 2 : 1),
    segments.length,
  );

  return {
    template,
    precedence,
    match(pathname: string) {
      let pathSegments: string[];
      try {
        pathSegments = pathname.split('/').filter((s) => s.length > 0).map(decodeURIComponent);
      } catch {
        return undefined;
      }
      const params: Record<string, string> = {};
      for (let i = 0; i < segments.length; i++) {
        const segment = segments[i];
        const catchAll = segment.parameters[0]?.catchAll;
        const value = catchAll ? pathSegments.slice(i).join('/') : pathSegments[i];
        if (value === undefined || (catchAll && value === '')) {
          const param = segment.parameters[0];
          if (segment.parameters.length !== 1 || !param.optional) return undefined;
          if (param.defaultValue !== undefined) params[param.name] = param.defaultValue;
          continue;
        }
        const found = segment.pattern.exec(value);
        if (!found) return undefined;
        for (const [index, parameter] of segment.parameters.entries()) {
          const captured = found.groups?.[`p${index}`] ?? '';
          if (!parameter.constraints.every((c) => satisfies(captured, c))) return undefined;
          params[parameter.name] = captured;
        }
        if (catchAll) return params;
      }
      return pathSegments.length > segments.length ? undefined : params;
    },
  };
}
