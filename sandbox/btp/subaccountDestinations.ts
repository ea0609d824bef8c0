/**
 * `/v1/subaccountDestinations` (contracts A.4): list with `$filter` (`Name in (...)`,
 * `startswith(Name,'...')`), `$select=Name` and paging; get one with ETag / If-None-Match (304) /
 * If-Match (412); create (201, 409 duplicate); overwrite with optional If-Match (412); delete.
 * Single objects and bulk arrays. Non-string scalar values are stored as strings (UNCONFIRMED in SAP).
 */
import { createHash } from 'node:crypto';
import type { SandboxRequest, SandboxResponse } from '../core/service';
import type { StoredDestination, Subaccount } from './btpState';
import { destinationError, destinationTextError, json } from './destinationResponses';

export const MAX_NAME_LENGTH = 200;
const TYPES = ['HTTP', 'RFC', 'MAIL', 'LDAP'];
const DUPLICATE = 'Conflict. Duplicate key (the Configuration already exists)';

type Props = Record<string, string>;

function notFound(name: string): SandboxResponse {
  return destinationError(404, `Configuration with name ${name} was not found`);
}

function etagOf(props: Props, now: Date): string {
  return `"${createHash('sha1').update(JSON.stringify(props)).update(now.toISOString()).update(String(Math.random())).digest('hex')}"`;
}

function matches(header: string | string[] | undefined, etag: string): boolean {
  const raw = Array.isArray(header) ? header.join(',') : header ?? '';
  const strip = (t: string) => t.trim().replace(/^W\//, '');
  return raw.split(',').some((t) => t.trim() === '*' || strip(t) === strip(etag));
}

/** Checks one Destination JSON object; returns the stored properties or the problem. */
export function validateDestination(value: unknown): { props: Props } | { problem: string } {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { problem: 'A destination must be a JSON object' };
  const props: Props = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === null || typeof v === 'object') return { problem: `Property ${k} must be a string` };
    props[k] = String(v);
  }
  const name = props.Name;
  if (!name) return { problem: 'Destination property Name is missing' };
  if (name.length > MAX_NAME_LENGTH) return { problem: `Destination name exceeds the maximum allowed length of ${MAX_NAME_LENGTH}` };
  if (/[/\\?#%]/.test(name) || name.trim() !== name) return { problem: `Destination name ${name} contains characters that are not allowed` };
  if (!props.Type) return { problem: 'Destination property Type is missing' };
  if (!TYPES.includes(props.Type)) return { problem: `Destination Type ${props.Type} is not one of ${TYPES.join(', ')}` };
  return { props };
}

function parseBody(req: SandboxRequest): { items: unknown[]; bulk: boolean } | { error: SandboxResponse } {
  const text = req.body.toString('utf8');
  if (text.trim() === '') return { error: destinationError(400, 'Request body is missing') };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { error: destinationError(400, 'Request body is not valid JSON') };
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return { error: destinationError(400, 'Request body is an empty array') };
    return { items: value, bulk: true };
  }
  return { items: [value], bulk: false };
}

/** `Name in ('a','b')` (names percent-encoded inside quotes) or `startswith(Name,'p')`. */
export function parseNameFilter(filter: string): ((name: string) => boolean) | undefined {
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return undefined;
    }
  };
  const inList = /^\s*Name\s+in\s+\(\s*('[^']*'(?:\s*,\s*'[^']*')*)\s*\)\s*$/.exec(filter);
  if (inList) {
    const names = [...inList[1].matchAll(/'([^']*)'/g)].map((m) => decode(m[1]));
    if (names.some((n) => n === undefined)) return undefined;
    return (name) => names.includes(name);
  }
  const starts = /^\s*startswith\(\s*Name\s*,\s*'([^']*)'\s*\)\s*$/.exec(filter);
  if (starts) {
    const prefix = decode(starts[1]);
    return prefix === undefined ? undefined : (name) => name.startsWith(prefix);
  }
  return undefined;
}

function list(sub: Subaccount, req: SandboxRequest): SandboxResponse {
  const q = req.query;
  let items = Object.values(sub.destinations).map((d) => d.properties);
  const filter = q.get('$filter');
  if (filter !== null) {
    const predicate = parseNameFilter(filter);
    if (!predicate) return destinationError(400, `Invalid $filter expression: ${filter}`);
    items = items.filter((p) => predicate(p.Name));
  }
  const select = q.get('$select');
  if (select !== null && filter !== null) return destinationError(400, '$filter cannot be combined with $select');
  if (select !== null) {
    const fields = select.split(',').map((f) => f.trim()).filter(Boolean);
    items = items.map((p) => Object.fromEntries(fields.filter((f) => f in p).map((f) => [f, p[f]])));
  }
  const headers: Record<string, string> = {};
  if (q.get('$entityCount') === 'true') headers['Entity-Count'] = String(items.length);
  const page = q.get('$page');
  if (page !== null) {
    const pageNo = Number(page);
    const size = Number(q.get('$pageSize') ?? '50');
    if (!Number.isInteger(pageNo) || pageNo < 1 || !Number.isInteger(size) || size < 1 || size > 1000) {
      return destinationError(400, '$page must be a positive integer and $pageSize between 1 and 1000');
    }
    if (q.get('$pageCount') === 'true') headers['Page-Count'] = String(Math.max(1, Math.ceil(items.length / size)));
    items = items.slice((pageNo - 1) * size, pageNo * size);
  }
  return json(200, items, headers);
}

function create(sub: Subaccount, req: SandboxRequest, now: Date): SandboxResponse {
  const parsed = parseBody(req);
  if ('error' in parsed) return parsed.error;
  const results: { name: string; status: number; etag?: string; cause?: string }[] = [];
  for (const item of parsed.items) {
    const checked = validateDestination(item);
    if ('problem' in checked) {
      if (!parsed.bulk) return destinationError(400, checked.problem);
      results.push({ name: String((item as { Name?: unknown })?.Name ?? ''), status: 400, cause: checked.problem });
      continue;
    }
    const name = checked.props.Name;
    if (sub.destinations[name]) {
      if (!parsed.bulk) return destinationError(409, DUPLICATE);
      results.push({ name, status: 409, cause: DUPLICATE });
      continue;
    }
    const stored: StoredDestination = { properties: checked.props, etag: etagOf(checked.props, now), modifiedAt: now.toISOString() };
    sub.destinations[name] = stored;
    results.push({ name, status: 201, etag: stored.etag });
  }
  if (!parsed.bulk) return { status: 201, headers: { etag: results[0].etag ?? '' } };
  return json(results.every((r) => r.status === 201) ? 201 : 207, results);
}

function overwrite(sub: Subaccount, req: SandboxRequest, now: Date): SandboxResponse {
  const parsed = parseBody(req);
  if ('error' in parsed) return parsed.error;
  const ifMatch = req.headers['if-match'];
  const results: { name: string; status: number; etag?: string; cause?: string }[] = [];
  for (const item of parsed.items) {
    const checked = validateDestination(item);
    if ('problem' in checked) {
      if (!parsed.bulk) return destinationError(400, checked.problem);
      results.push({ name: String((item as { Name?: unknown })?.Name ?? ''), status: 400, cause: checked.problem });
      continue;
    }
    const name = checked.props.Name;
    const existing = sub.destinations[name];
    if (!existing) {
      if (!parsed.bulk) return notFound(name);
      results.push({ name, status: 404, cause: `Configuration with name ${name} was not found` });
      continue;
    }
    if (ifMatch !== undefined && !matches(ifMatch, existing.etag)) {
      if (!parsed.bulk) return destinationError(412, `Precondition failed: destination ${name} was changed (ETag mismatch)`);
      results.push({ name, status: 412, cause: 'ETag mismatch' });
      continue;
    }
    const stored: StoredDestination = { properties: checked.props, etag: etagOf(checked.props, now), modifiedAt: now.toISOString() };
    sub.destinations[name] = stored;
    results.push({ name, status: 200, etag: stored.etag });
  }
  if (!parsed.bulk) return json(200, { Count: 1 }, { etag: results[0].etag ?? '' });
  return json(results.every((r) => r.status === 200) ? 200 : 207, results);
}

function deleteByFilter(sub: Subaccount, req: SandboxRequest): SandboxResponse {
  const filter = req.query.get('$filter');
  if (filter === null) return destinationError(400, 'Deleting destinations requires a $filter');
  const inList = /^\s*Name\s+in\s+\((.*)\)\s*$/.exec(filter);
  if (!inList || !parseNameFilter(filter)) return destinationError(400, `Invalid $filter expression: ${filter}`);
  const names = [...inList[1].matchAll(/'([^']*)'/g)].map((m) => decodeURIComponent(m[1]));
  const summary = names.map((name) => {
    if (!sub.destinations[name]) return { name, status: 'NOT_FOUND', reason: 'Could not find configuration' };
    delete sub.destinations[name];
    return { name, status: 'DELETED' };
  });
  return json(200, { Count: summary.filter((s) => s.status === 'DELETED').length, Summary: summary });
}

export function handleSubaccountDestinations(sub: Subaccount, req: SandboxRequest, now: Date): SandboxResponse | undefined {
  const rest = req.path.replace(/^\/destination-configuration\/v1\/subaccountDestinations/, '');
  if (rest === '' || rest === '/') {
    switch (req.method) {
      case 'GET':
        return list(sub, req);
      case 'POST':
        return create(sub, req, now);
      case 'PUT':
        return overwrite(sub, req, now);
      case 'DELETE':
        return deleteByFilter(sub, req);
      default:
        return destinationError(405, 'Method Not Allowed', { allow: 'GET, POST, PUT, DELETE' });
    }
  }
  const m = /^\/([^/]+)$/.exec(rest);
  if (!m) return undefined;
  let name: string;
  try {
    name = decodeURIComponent(m[1]);
  } catch {
    return destinationError(400, 'Destination name is not correctly percent-encoded');
  }
  if (name.length > MAX_NAME_LENGTH) return destinationError(400, `Destination name exceeds the maximum allowed length of ${MAX_NAME_LENGTH}`);
  const existing = sub.destinations[name];
  if (req.method === 'GET') {
    if (!existing) return destinationTextError(404, 'Not Found');
    if (req.headers['if-none-match'] !== undefined && matches(req.headers['if-none-match'], existing.etag)) {
      return { status: 304, headers: { etag: existing.etag } };
    }
    if (req.headers['if-match'] !== undefined && !matches(req.headers['if-match'], existing.etag)) {
      return destinationError(412, `Precondition failed: destination ${name} was changed (ETag mismatch)`);
    }
    return json(200, existing.properties, { etag: existing.etag });
  }
  if (req.method === 'DELETE') {
    if (!existing) return destinationTextError(404, 'Not Found');
    delete sub.destinations[name];
    return json(200, { Count: 1 });
  }
  return destinationError(405, 'Method Not Allowed', { allow: 'GET, DELETE' });
}
