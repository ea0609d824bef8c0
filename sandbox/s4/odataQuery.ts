/**
 * The OData V4 system query options the product uses against SAP_COM_0A48:
 * `$filter` (`<property> eq <literal>` joined by `and`, parentheses allowed), `$select`, `$expand`,
 * `$top`, `$skip`. Anything else starting with `$` (except `$format=json`) is a 400, as Gateway does.
 */
import type { EntityModel, PropertyModel } from './fieldModel';

export class ODataQueryError extends Error {
  constructor(message: string, readonly target?: string) {
    super(message);
  }
}

export interface Comparison {
  property: string;
  value: string | number | boolean | null;
}

export interface ODataQuery {
  filter: Comparison[];
  select?: string[];
  expand: string[];
  top?: number;
  skip?: number;
}

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

type Token = { kind: 'string'; value: string } | { kind: 'word'; value: string } | { kind: 'paren'; value: '(' | ')' };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ') { i += 1; continue; }
    if (c === '(' || c === ')') { tokens.push({ kind: 'paren', value: c }); i += 1; continue; }
    if (c === "'") {
      let value = '';
      i += 1;
      for (;;) {
        if (i >= text.length) throw new ODataQueryError('Unterminated string literal in $filter');
        if (text[i] === "'") {
          if (text[i + 1] === "'") { value += "'"; i += 2; continue; }
          i += 1;
          break;
        }
        value += text[i];
        i += 1;
      }
      tokens.push({ kind: 'string', value });
      continue;
    }
    const m = /^[A-Za-z0-9_.:+-]+/.exec(text.slice(i));
    if (!m) throw new ODataQueryError(`Unexpected character '${c}' in $filter at position ${i}`);
    tokens.push({ kind: 'word', value: m[0] });
    i += m[0].length;
  }
  return tokens;
}

function parseLiteral(token: Token | undefined, prop: PropertyModel): Comparison['value'] {
  if (!token || token.kind === 'paren') throw new ODataQueryError(`Missing value after '${prop.name} eq'`, prop.name);
  if (token.kind === 'string') {
    if (prop.type !== 'Edm.String') throw new ODataQueryError(`Property '${prop.name}' of type ${prop.type} compared with a string literal`, prop.name);
    return token.value;
  }
  const w = token.value;
  if (w === 'null') return null;
  if (prop.type === 'Edm.Boolean' && (w === 'true' || w === 'false')) return w === 'true';
  if (prop.type === 'Edm.Int32' && /^-?\d+$/.test(w)) return Number(w);
  if (prop.type === 'Edm.Guid' && GUID.test(w)) return w.toLowerCase();
  throw new ODataQueryError(`Invalid literal '${w}' for property '${prop.name}' of type ${prop.type}`, prop.name);
}

export function parseFilter(text: string, entity: EntityModel): Comparison[] {
  const tokens = tokenize(text);
  let pos = 0;
  const result: Comparison[] = [];
  const parseExpr = (): void => {
    parseTerm();
    while (tokens[pos]?.kind === 'word' && tokens[pos].value === 'and') {
      pos += 1;
      parseTerm();
    }
  };
  const parseTerm = (): void => {
    const t = tokens[pos];
    if (!t) throw new ODataQueryError('Unexpected end of $filter');
    if (t.kind === 'paren' && t.value === '(') {
      pos += 1;
      parseExpr();
      const close = tokens[pos];
      if (!close || close.kind !== 'paren' || close.value !== ')') throw new ODataQueryError("Missing ')' in $filter");
      pos += 1;
      return;
    }
    if (t.kind !== 'word') throw new ODataQueryError('Expected a property name in $filter');
    const prop = entity.properties.find((p) => p.name === t.value && !p.writeOnly);
    if (!prop) throw new ODataQueryError(`Property '${t.value}' is not defined for ${entity.type}`, t.value);
    const op = tokens[pos + 1];
    if (!op || op.kind !== 'word' || op.value !== 'eq') {
      throw new ODataQueryError(`Only 'eq' comparisons joined by 'and' are supported in $filter (near '${t.value}')`, t.value);
    }
    result.push({ property: prop.name, value: parseLiteral(tokens[pos + 2], prop) });
    pos += 3;
  };
  if (tokens.length === 0) throw new ODataQueryError('Empty $filter');
  parseExpr();
  if (pos !== tokens.length) throw new ODataQueryError(`Unexpected '${String(tokens[pos].value)}' in $filter`);
  return result;
}

function parseCount(name: string, raw: string): number {
  if (!/^\d+$/.test(raw)) throw new ODataQueryError(`${name} must be a non-negative integer`, name);
  return Number(raw);
}

function parseList(raw: string): string[] {
  return raw.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

/**
 * Parses the system query options against one entity model. `hiddenProperties` are the ones the
 * tenant does not expose (e.g. the signing certificate when its switch is on).
 */
export function parseQuery(params: URLSearchParams, entity: EntityModel, hiddenProperties: ReadonlySet<string>): ODataQuery {
  const query: ODataQuery = { filter: [], expand: [] };
  const visible = (name: string) => entity.properties.some((p) => p.name === name && !p.writeOnly && !hiddenProperties.has(name));
  for (const [key, raw] of params) {
    switch (key) {
      case '$filter': {
        const filter = parseFilter(raw, entity);
        const hidden = filter.find((c) => hiddenProperties.has(c.property));
        if (hidden) throw new ODataQueryError(`Property '${hidden.property}' is not defined for ${entity.type}`, hidden.property);
        query.filter = filter;
        break;
      }
      case '$select': {
        const select = parseList(raw);
        const bad = select.filter((s) => s !== '*' && !visible(s));
        if (bad.length > 0) throw new ODataQueryError(`Unknown property in $select: ${bad.join(', ')}`, bad[0]);
        query.select = select.includes('*') ? undefined : select;
        break;
      }
      case '$expand': {
        const expand = parseList(raw);
        const bad = expand.filter((e) => !entity.navigations.some((n) => n.name === e));
        if (bad.length > 0) throw new ODataQueryError(`Unknown navigation property in $expand: ${bad.join(', ')}`, bad[0]);
        query.expand = expand;
        break;
      }
      case '$top':
        query.top = parseCount('$top', raw);
        break;
      case '$skip':
        query.skip = parseCount('$skip', raw);
        break;
      case '$format':
        if (raw !== 'json') throw new ODataQueryError(`Unsupported $format '${raw}'`, '$format');
        break;
      default:
        if (key.startsWith('$')) throw new ODataQueryError(`System query option '${key}' is not supported`, key);
    }
  }
  return query;
}

export function matchesFilter(record: Record<string, unknown>, filter: Comparison[]): boolean {
  return filter.every((c) => {
    const v = record[c.property];
    if (typeof v === 'string' && typeof c.value === 'string' && GUID.test(v)) return v.toLowerCase() === c.value.toLowerCase();
    return (v ?? null) === c.value;
  });
}

export function isGuid(text: string): boolean {
  return GUID.test(text);
}
