/**
 * The published Destination service OpenAPI spec (test/contract/specs, S-DSPEC) as a validator for
 * recorded HTTP exchanges: the request (path, method, required parameters, JSON body) and the
 * response (documented status, body schema) must both fit the spec.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import axios, { type AxiosResponse } from 'axios';
import YAML from 'yaml';
import { SPEC_DIR } from './specs/specDir';

export const DESTINATION_SPEC_FILE = path.join(SPEC_DIR, 'destination-service_SAP_CP_CF_Connectivity_Destination__SAP-cloud-sdk-python.yaml');

type Json = Record<string, any>;

const SPEC_ID = 'https://specs.local/destination-service.json';

/** OpenAPI 3.0 `nullable: true` → JSON-schema type union with null. */
function convertNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(convertNullable);
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) out[k] = convertNullable(v);
  if (out.nullable === true) {
    delete out.nullable;
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else if (out.$ref || out.oneOf || out.anyOf || out.allOf) return { anyOf: [{ ...out }, { type: 'null' }] };
  }
  return out;
}

/**
 * Where the published spec contradicts its own text, read it as SAP wrote it in words:
 * - Owner: "Subaccount id and instance id could have null value" (schema lacks `nullable`);
 *   SAP's find-destination doc example shows `"InstanceId": null`.
 * - `oneOf` → `anyOf`: list items are `oneOf [Destination, NameOnly]`, but every Destination also
 *   matches NameOnly, so `oneOf` could never pass; the spec means "either shape". The other
 *   `oneOf`s in the spec (object vs array, object vs string) are disjoint, so nothing is lost.
 */
function applySpecFixes(spec: Json): Json {
  const owner = spec.components?.schemas?.Owner;
  if (owner?.properties) for (const p of Object.values(owner.properties) as Json[]) p.nullable = true;
  const oneOfToAnyOf = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(oneOfToAnyOf);
    if (!node || typeof node !== 'object') return node;
    const out: Json = {};
    for (const [k, v] of Object.entries(node)) out[k === 'oneOf' ? 'anyOf' : k] = oneOfToAnyOf(v);
    return out;
  };
  return oneOfToAnyOf(spec) as Json;
}

export interface RecordedExchange {
  method: string;
  /** Path + query, as sent. */
  url: string;
  requestHeaders: Record<string, string>;
  requestBody: string | undefined;
  status: number;
  responseHeaders: Record<string, string>;
  responseBody: string;
}

export interface SpecProblem {
  exchange: string;
  problem: string;
}

export class DestinationSpec {
  readonly spec: Json;
  private readonly ajv: Ajv;
  private readonly basePath: string;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(file = DESTINATION_SPEC_FILE) {
    this.spec = convertNullable(applySpecFixes(YAML.parse(readFileSync(file, 'utf8')))) as Json;
    this.basePath = new URL(this.spec.servers[0].url.replace('{host}', 'h')).pathname; // /destination-configuration
    this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
    addFormats(this.ajv);
    this.ajv.addSchema({ ...this.spec, $id: SPEC_ID });
  }

  private validator(pointer: string, schema: Json): ValidateFunction {
    let v = this.compiled.get(pointer);
    if (!v) {
      v = this.ajv.compile(this.rewriteRefs(schema));
      this.compiled.set(pointer, v);
    }
    return v;
  }

  /** Local `#/components/...` refs → refs into the registered spec document. */
  private rewriteRefs(node: unknown): any {
    if (Array.isArray(node)) return node.map((n) => this.rewriteRefs(n));
    if (!node || typeof node !== 'object') return node;
    const out: Json = {};
    for (const [k, v] of Object.entries(node)) out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `${SPEC_ID}${v}` : this.rewriteRefs(v);
    return out;
  }

  private deref<T = Json>(node: Json): T {
    if (node && typeof node.$ref === 'string') {
      return node.$ref
        .slice(2)
        .split('/')
        .reduce((n: Json, seg: string) => n[seg.replace(/~1/g, '/').replace(/~0/g, '~')], this.spec) as T;
    }
    return node as T;
  }

  /** The spec path template matching a concrete path (below the server base path). */
  matchPath(pathname: string): { template: string; params: Record<string, string> } | undefined {
    if (!pathname.startsWith(this.basePath)) return undefined;
    const rel = pathname.slice(this.basePath.length);
    for (const template of Object.keys(this.spec.paths)) {
      const names: string[] = [];
      const re = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}/g, (_m, n: string) => (names.push(n), '([^/]+)'))}$`);
      const m = re.exec(rel);
      if (m) return { template, params: Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1])])) };
    }
    return undefined;
  }

  check(x: RecordedExchange): SpecProblem[] {
    const label = `${x.method} ${x.url} → ${x.status}`;
    const problems: string[] = [];
    const url = new URL(x.url, 'https://h');
    const match = this.matchPath(url.pathname);
    if (!match) return [{ exchange: label, problem: `path not in spec: ${url.pathname}` }];
    const op = this.spec.paths[match.template][x.method.toLowerCase()] as Json | undefined;
    if (!op) return [{ exchange: label, problem: `method ${x.method} not in spec for ${match.template}` }];
    const pointer = `#/paths/${match.template.replace(/~/g, '~0').replace(/\//g, '~1')}/${x.method.toLowerCase()}`;

    // request parameters
    const params = [...(this.spec.paths[match.template].parameters ?? []), ...(op.parameters ?? [])].map((p: Json) => this.deref(p));
    for (const p of params) {
      const value =
        p.in === 'path' ? match.params[p.name] : p.in === 'query' ? url.searchParams.get(p.name) ?? undefined : p.in === 'header' ? x.requestHeaders[p.name.toLowerCase()] : undefined;
      if (value === undefined) {
        if (p.required && p.in !== 'header') problems.push(`missing required ${p.in} parameter ${p.name}`);
        continue;
      }
      if (p.schema) {
        const v = this.validator(`${pointer}/param/${p.in}/${p.name}`, p.schema);
        if (!v(value)) problems.push(`${p.in} parameter ${p.name}: ${this.ajv.errorsText(v.errors)}`);
      }
    }
    const known = new Set(params.filter((p) => p.in === 'query').map((p) => p.name));
    for (const q of url.searchParams.keys()) if (!known.has(q)) problems.push(`query parameter ${q} not in spec`);

    // request body
    const rb = op.requestBody ? this.deref(op.requestBody) : undefined;
    const hasBody = x.requestBody !== undefined && x.requestBody !== '';
    if (rb?.required && !hasBody) problems.push('request body required by spec but none sent');
    if (hasBody) {
      const schema = rb?.content?.['application/json']?.schema;
      if (!schema) problems.push('request body sent but spec defines no JSON body');
      else {
        let body: unknown;
        try {
          body = JSON.parse(x.requestBody!);
        } catch {
          problems.push('request body is not JSON');
        }
        const v = this.validator(`${pointer}/requestBody`, schema);
        if (body !== undefined && !v(body)) problems.push(`request body: ${this.ajv.errorsText(v.errors)}`);
      }
    }

    // response
    const response = op.responses?.[String(x.status)] ?? op.responses?.default;
    if (!response) problems.push(`status ${x.status} not documented (documented: ${Object.keys(op.responses ?? {}).join(', ')})`);
    else if (x.responseBody !== '') {
      const content = this.deref(response).content as Json | undefined;
      const ct = (x.responseHeaders['content-type'] ?? '').split(';')[0].trim();
      const media = content?.[ct] ?? content?.['*/*'] ?? content?.['application/json'];
      if (!media) problems.push(`response body sent but spec defines none for ${x.status}`);
      else if (media.schema) {
        let body: unknown = x.responseBody;
        if (/json/.test(ct)) {
          try {
            body = JSON.parse(x.responseBody);
          } catch {
            problems.push('response content-type is JSON but the body is not');
          }
        }
        const v = this.validator(`${pointer}/response/${x.status}`, media.schema);
        if (!v(body)) problems.push(`response body: ${this.ajv.errorsText(v.errors)}`);
      }
    }
    return problems.map((problem) => ({ exchange: label, problem }));
  }
}

/** Records every exchange that goes through the global axios instance (which the SAP clients use). */
export function recordExchanges(filter: (url: URL) => boolean): { exchanges: RecordedExchange[]; stop(): void } {
  const exchanges: RecordedExchange[] = [];
  const headersOf = (h: unknown): Record<string, string> => {
    const out: Record<string, string> = {};
    const plain = h && typeof (h as { toJSON?: unknown }).toJSON === 'function' ? (h as { toJSON(): Record<string, unknown> }).toJSON() : (h as Record<string, unknown>) ?? {};
    for (const [k, v] of Object.entries(plain)) if (v !== undefined && v !== null) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
    return out;
  };
  const id = axios.interceptors.response.use((res: AxiosResponse) => {
    const url = new URL(res.config.url ?? '', 'https://unknown');
    if (filter(url)) {
      exchanges.push({
        method: (res.config.method ?? 'get').toUpperCase(),
        url: url.pathname + url.search,
        requestHeaders: headersOf(res.config.headers),
        requestBody: typeof res.config.data === 'string' ? res.config.data : res.config.data === undefined ? undefined : JSON.stringify(res.config.data),
        status: res.status,
        responseHeaders: headersOf(res.headers),
        responseBody: typeof res.data === 'string' ? res.data : JSON.stringify(res.data),
      });
    }
    return res;
  });
  return { exchanges, stop: () => axios.interceptors.response.eject(id) };
}
