/** The reading side shared by the three services: collections with $filter/$select/$top, single entities with ETags. */
import type { SandboxRequest, SandboxResponse } from '../core/service';
import type { EntityModel } from './fieldModel';
import { entityJson, jsonResponse, odataError, type ODataErrorDetail } from './odataResponse';
import { matchesFilter, ODataQueryError, parseQuery, type ODataQuery } from './odataQuery';
import type { EntityRecord, S4Tenant } from './tenantState';

/** What every handler needs for one request. */
export interface S4Call {
  req: SandboxRequest;
  tenant: S4Tenant;
  now: Date;
  changed(): void;
  /** https://<host>/sap/opu/odata4/sap/<svc>/srvd_a2x/sap/<svc>/0001/ */
  serviceRoot: string;
  /** Properties this tenant does not expose (tenant switches). */
  hidden: ReadonlySet<string>;
}

export type Expander = (record: EntityRecord, navigation: string) => unknown;

export function readQuery(call: S4Call, model: EntityModel): ODataQuery | SandboxResponse {
  try {
    return parseQuery(call.req.query, model, call.hidden);
  } catch (e) {
    if (e instanceof ODataQueryError) return odataError(400, { code: 'SANDBOX/INVALID_QUERY', message: e.message, target: e.target });
    throw e;
  }
}

export function isResponse(x: unknown): x is SandboxResponse {
  return typeof x === 'object' && x !== null && 'status' in x && typeof (x as { status: unknown }).status === 'number';
}

function withExpansions(query: ODataQuery, record: EntityRecord, expand: Expander): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const nav of query.expand) out[nav] = expand(record, nav);
  return out;
}

export function collection(call: S4Call, model: EntityModel, contextPath: string, records: EntityRecord[], expand: Expander): SandboxResponse {
  const query = readQuery(call, model);
  if (isResponse(query)) return query;
  let rows = records.filter((r) => matchesFilter(r, query.filter));
  if (query.skip !== undefined) rows = rows.slice(query.skip);
  if (query.top !== undefined) rows = rows.slice(0, query.top);
  return jsonResponse(200, {
    '@odata.context': `${call.serviceRoot}$metadata#${contextPath}`,
    value: rows.map((r) => entityJson(model, r, call.hidden, query.select, withExpansions(query, r, expand))),
  });
}

export function single(call: S4Call, model: EntityModel, contextPath: string, record: EntityRecord, expand: Expander, status = 200): SandboxResponse {
  const query = readQuery(call, model);
  if (isResponse(query)) return query;
  return jsonResponse(
    status,
    { '@odata.context': `${call.serviceRoot}$metadata#${contextPath}/$entity`, ...entityJson(model, record, call.hidden, query.select, withExpansions(query, record, expand)) },
    { etag: record['@etag'] },
  );
}

/** 412 when If-Match names another version (`*` and no header always pass). */
export function preconditionFailed(call: S4Call, record: EntityRecord): SandboxResponse | undefined {
  const ifMatch = call.req.headers['if-match'];
  if (ifMatch === undefined || ifMatch.trim() === '*') return undefined;
  const tags = ifMatch.split(',').map((s) => s.trim());
  if (tags.includes(record['@etag'])) return undefined;
  return odataError(412, { code: 'SANDBOX/ETAG_MISMATCH', message: 'The entity was changed by someone else (ETag mismatch)', target: '' });
}

/** PATCH answer: 204 (OData V4 default) or 200 with the entity under `Prefer: return=representation`. */
export function patched(call: S4Call, model: EntityModel, contextPath: string, record: EntityRecord, expand: Expander): SandboxResponse {
  if (/return=representation/.test(String(call.req.headers.prefer ?? ''))) return single(call, model, contextPath, record, expand);
  return { status: 204, headers: { etag: record['@etag'], 'odata-version': '4.0' } };
}

export function mandatory(values: Record<string, unknown>, names: string[]): ODataErrorDetail[] {
  return names
    .filter((n) => values[n] === undefined || values[n] === null || values[n] === '')
    .map((n) => ({ code: 'SANDBOX/MANDATORY', message: `Property '${n}' is mandatory`, target: n }));
}

export function methodNotAllowed(method: string, what: string): SandboxResponse {
  return odataError(405, { code: 'SANDBOX/METHOD', message: `Method ${method} is not allowed for ${what}` });
}
