/**
 * The transport every SAP client goes through (credentials are attached one level up, in
 * authenticatedApi.ts): allowlist check before any I/O, the connection agent from the settings, a
 * timeout on every call, SAP's own error message mapped to a typed SapError, and retries of
 * Transient failures for calls that are safe to repeat.
 *
 * Thrown errors are always SapErrors built from plain values: no axios config, no headers, no
 * request body; a network failure's cause is a fresh Error with its masked message and code only.
 * Any secret value the caller registers is masked.
 */
import type { AxiosResponse, AxiosStatic } from 'axios';
import type { z } from 'zod';
import { HostNotAllowedError, SapError, sapErrorKindForStatus, type SapApi } from '../errors';
import { sharedSapAgent } from './agent';
import { isSapHostAllowed, sapHostAllowlist } from './allowlist';
import { DEFAULT_SAP_TIMEOUT_MS, type SapConnectionOptions } from './connectionOptions';
import { DEFAULT_RETRY_POLICY, isSafeToRepeatByDefault, retryDelayMs, type HttpMethod, type RetryPolicy } from './retryPolicy';
import { parseRetryAfter, parseSapMessage } from './sapMessage';
import { traceSapCall, type SapCallOutcome } from '../../telemetry/telemetry';

export interface SapHttpConfig {
  /** Shown in errors: the tenant (`my100001`) or host. */
  system: string;
  options: SapConnectionOptions;
  /** Which API, for the error name (`S4Error`, `DestinationError`, ...). Default `Sap`. */
  api?: SapApi;
  retry?: Partial<RetryPolicy>;
  /** Secret values this client knows (passwords, client secrets); masked in any error message. */
  secrets?: () => readonly string[];
  /** The NAME of the stored secret this client was built from, for errors and advice (never the value). */
  credential?: string;
}

export type QueryValue = string | number | boolean | undefined;

export interface SapRequest<T> {
  /** What we are doing, in SAP's words: `CommunicationUsers create`. */
  operation: string;
  method: HttpMethod;
  /** Absolute https URL on an allowlisted SAP host. */
  url: string;
  query?: Record<string, QueryValue>;
  headers?: Record<string, string>;
  /** Object → JSON; string/Buffer sent as is (set content-type yourself). */
  body?: unknown;
  /** Overrides the default (GET, HEAD, PUT, DELETE: yes; POST, PATCH: no). */
  safeToRetry?: boolean;
  /** Validates the (JSON) body of a 2xx response. */
  schema?: z.ZodType<T>;
  /** Non-2xx statuses returned as a response rather than thrown (e.g. 304, or 404 for "get or undefined"). */
  acceptStatus?: readonly number[];
  /** Extra secret values to mask for this call (e.g. the bearer token). */
  secrets?: readonly string[];
}

export interface SapResponse<T> {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string | string[] | undefined>;
  data: T;
}

export interface SapHttp {
  readonly system: string;
  readonly api: SapApi;
  request<T = unknown>(req: SapRequest<T>): Promise<SapResponse<T>>;
  /** The SapError a response would have thrown: for callers that accepted a status to inspect it first. */
  errorFrom(req: SapRequest<unknown>, res: SapResponse<unknown>): SapError;
}

const MAX_BODY_BYTES = 20 * 1024 * 1024;

/** Query string with %20 for spaces (SAP Gateway does not read `+`), `$` kept literal for OData options. */
export function encodeQuery(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const parts = Object.entries(query)
    .filter((e): e is [string, string | number | boolean] => e[1] !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k).replace(/^%24/, '$')}=${encodeURIComponent(String(v))}`);
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

function mask(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('***');
  return out;
}

function parseBody(res: AxiosResponse<string>): unknown {
  const raw = res.data;
  if (typeof raw !== 'string' || raw === '') return raw === '' ? undefined : raw;
  const ct = String(res.headers['content-type'] ?? '');
  if (/json/i.test(ct) || /^\s*[[{]/.test(raw)) {
    try {
      return JSON.parse(raw);
    } catch {
      return raw;
    }
  }
  return raw;
}

function plainHeaders(res: AxiosResponse): Record<string, string | string[] | undefined> {
  const out: Record<string, string | string[] | undefined> = {};
  for (const [k, v] of Object.entries(res.headers ?? {})) {
    if (typeof v === 'string' || Array.isArray(v)) out[k.toLowerCase()] = v as string | string[];
    else if (typeof v === 'number') out[k.toLowerCase()] = String(v);
  }
  return out;
}

const NETWORK_TRANSIENT = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'EAI_AGAIN', 'ERR_CANCELED', 'ESOCKETTIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ERR_SOCKET_CONNECTION_TIMEOUT']);
const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ERR_CANCELED', 'ESOCKETTIMEDOUT']);

function describeNetworkFailure(code: string, timeoutMs: number, host: string): string {
  if (TIMEOUT_CODES.has(code)) return `no answer from ${host} within ${timeoutMs} ms`;
  if (code === 'ENOTFOUND') return `host ${host} not found (DNS)`;
  if (/CERT|SELF_SIGNED|TLS|SSL|UNABLE_TO_VERIFY/i.test(code)) return `TLS certificate of ${host} not trusted (${code}); production trusts Node's CA roots plus SAP_EXTRA_CA_FILE`;
  return `connection to ${host} failed (${code})`;
}

/** Only the failure's message (masked) and code survive: axios errors hold the request config with its headers. */
function sanitisedCause(e: Error, secrets: readonly string[]): Error {
  const code = (e as { code?: unknown }).code;
  const copy = new Error(mask(String(e?.message ?? e), secrets));
  copy.name = 'NetworkFailure';
  if (typeof code === 'string') Object.assign(copy, { code });
  return copy;
}

/** What a SAP call span records of an attempt: the status and the error kind, never a message or a body. */
function outcomeOfAttempt(outcome: SapResponse<unknown> | SapError): SapCallOutcome {
  if (!(outcome instanceof SapError)) return { status: outcome.status };
  return { ...(outcome.status !== undefined ? { status: outcome.status } : {}), failure: outcome.networkCode ?? outcome.kind };
}

/** axios is loaded at the first SAP call, not at the app's start (cold start; bench/coldStart). */
let axiosModule: AxiosStatic | undefined;
function loadAxios(): AxiosStatic {
  return (axiosModule ??= (require('axios') as { default: AxiosStatic }).default);
}

export function createSapHttp(config: SapHttpConfig): SapHttp {
  const api: SapApi = config.api ?? 'Sap';
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...config.retry };
  const timeoutMs = config.options.timeoutMs ?? DEFAULT_SAP_TIMEOUT_MS;
  const allowlist = sapHostAllowlist(config.options.allowlistExtra ?? []);

  function fail(req: SapRequest<unknown>, fields: Omit<ConstructorParameters<typeof SapError>[0], 'api' | 'system' | 'operation'>): SapError {
    const secrets = [...(config.secrets?.() ?? []), ...(req.secrets ?? [])];
    return new SapError({
      ...fields,
      sapMessage: mask(fields.sapMessage, secrets),
      ...(fields.cause ? { cause: sanitisedCause(fields.cause, secrets) } : {}),
      ...(config.credential ? { credential: config.credential } : {}),
      api,
      system: config.system,
      operation: req.operation,
    });
  }

  async function attempt<T>(req: SapRequest<T>, url: URL): Promise<SapResponse<T> | SapError> {
    let res: AxiosResponse<string>;
    try {
      const isRaw = typeof req.body === 'string' || Buffer.isBuffer(req.body);
      res = await loadAxios().request<string>({
        method: req.method,
        url: url.toString() + encodeQuery(req.query),
        headers: {
          Accept: 'application/json',
          'User-Agent': 'sap-trust-onboarding',
          ...(req.body !== undefined && !isRaw ? { 'Content-Type': 'application/json' } : {}),
          ...req.headers,
        },
        data: req.body === undefined ? undefined : isRaw ? req.body : JSON.stringify(req.body),
        httpsAgent: sharedSapAgent(config.options),
        proxy: false,
        timeout: timeoutMs,
        signal: AbortSignal.timeout(timeoutMs + 1000),
        maxRedirects: 0,
        maxContentLength: MAX_BODY_BYTES,
        responseType: 'text',
        transformResponse: [(d: unknown) => d],
        validateStatus: () => true,
      });
    } catch (e) {
      const code = String((e as { code?: unknown }).code ?? (e as { cause?: { code?: unknown } }).cause?.code ?? 'ERR_NETWORK');
      return fail(req, {
        kind: NETWORK_TRANSIENT.has(code) || code === 'ERR_NETWORK' ? 'Transient' : 'Invalid',
        sapMessage: describeNetworkFailure(code, timeoutMs, url.hostname),
        networkCode: code,
        cause: e as Error,
      });
    }
    const data = parseBody(res);
    const headers = plainHeaders(res);
    const ok = (res.status >= 200 && res.status < 300) || (req.acceptStatus ?? []).includes(res.status);
    if (ok) {
      if (req.schema && res.status >= 200 && res.status < 300) {
        const parsed = req.schema.safeParse(data);
        if (!parsed.success) {
          const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
          return fail(req, { kind: 'Invalid', status: res.status, sapMessage: `unexpected response from SAP: ${issues.join('; ')}` });
        }
        return { status: res.status, headers, data: parsed.data };
      }
      return { status: res.status, headers, data: data as T };
    }
    return errorFrom(req, { status: res.status, headers, data }, res.statusText);
  }

  function errorFrom(req: SapRequest<unknown>, res: SapResponse<unknown>, statusText?: string): SapError {
    const parsed = parseSapMessage(res.data, String(res.headers['content-type'] ?? ''), res.status, statusText);
    const retryAfterMs = parseRetryAfter(res.headers['retry-after']);
    const kind = res.status >= 300 && res.status < 400 ? 'Invalid' : sapErrorKindForStatus(res.status);
    return fail(req, {
      kind,
      status: res.status,
      sapMessage: kind === 'Invalid' && res.status < 400 ? `unexpected redirect (HTTP ${res.status})` : parsed.message,
      ...(parsed.code !== undefined ? { sapCode: parsed.code } : {}),
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
  }

  async function request<T>(req: SapRequest<T>): Promise<SapResponse<T>> {
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      throw fail(req, { kind: 'Invalid', sapMessage: `not a URL: ${JSON.stringify(req.url.slice(0, 200))}` });
    }
    if (!isSapHostAllowed(url.hostname, config.options.allowlistExtra ?? [])) {
      throw new HostNotAllowedError(api, url.hostname, allowlist, req.operation);
    }
    if (url.protocol !== 'https:') {
      throw fail(req, { kind: 'Invalid', sapMessage: `only https is allowed for SAP calls, got ${url.protocol}` });
    }
    const safe = req.safeToRetry ?? isSafeToRepeatByDefault(req.method);
    for (let n = 1; ; n++) {
      const outcome = await traceSapCall(
        { api, system: config.system, host: url.hostname, operation: req.operation, method: req.method },
        () => attempt(req, url),
        outcomeOfAttempt,
        () => ({ failure: 'exception' }),
      );
      if (!(outcome instanceof SapError)) return outcome;
      const retryable = outcome.kind === 'Transient' && safe && n < policy.maxAttempts;
      if (!retryable || (outcome.retryAfterMs ?? 0) > policy.maxRetryAfterMs) throw outcome;
      await new Promise((r) => setTimeout(r, retryDelayMs(policy, n, outcome.retryAfterMs)));
    }
  }

  return { system: config.system, api, request, errorFrom };
}
