/** OData V4 JSON answers of the S/4 sandbox: error bodies, entities (minus write-only properties), collections. */
import type { SandboxResponse } from '../core/service';
import type { EntityModel } from './fieldModel';
import type { EntityRecord } from './tenantState';

export interface ODataErrorDetail {
  code: string;
  message: string;
  target?: string;
}

const JSON_HEADERS = { 'content-type': 'application/json;odata.metadata=minimal;charset=utf-8', 'odata-version': '4.0' };

export function odataError(status: number, first: ODataErrorDetail, more: ODataErrorDetail[] = []): SandboxResponse {
  return {
    status,
    headers: { ...JSON_HEADERS },
    body: {
      error: {
        code: first.code,
        message: first.message,
        target: first.target ?? '',
        details: more.map((d) => ({ code: d.code, message: d.message, target: d.target ?? '' })),
      },
    },
  };
}

/** Several problems in one request: the first is the error, all of them are details (so every bad field is named). */
export function odataErrors(status: number, problems: ODataErrorDetail[]): SandboxResponse {
  return odataError(status, problems[0], problems.length > 1 ? problems : []);
}

export function notFound(entitySet: string, key: string): SandboxResponse {
  return odataError(404, { code: 'SANDBOX/NOT_FOUND', message: `Resource ${entitySet}(${key}) not found`, target: entitySet });
}

/** The entity as JSON: write-only and hidden properties removed, `$select` applied, expansions added. */
export function entityJson(
  model: EntityModel,
  record: EntityRecord,
  hidden: ReadonlySet<string>,
  select?: string[],
  expansions: Record<string, unknown> = {},
): Record<string, unknown> {
  const out: Record<string, unknown> = { '@odata.etag': record['@etag'] };
  for (const p of model.properties) {
    if (p.writeOnly || hidden.has(p.name)) continue;
    if (select && !select.includes(p.name) && p.name !== model.key) continue;
    out[p.name] = record[p.name] ?? null;
  }
  return { ...out, ...expansions };
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): SandboxResponse {
  return { status, headers: { ...JSON_HEADERS, ...headers }, body };
}
