/**
 * Typed SAP errors. A SapError says which system, which operation and what SAP itself answered; its
 * `kind` is for code, its message for an administrator (no class names in it). It never holds the
 * request's headers, body, credentials or tokens: it is built from plain values, and its only cause
 * is a sanitised copy of a network failure, so logging or serializing it is always safe.
 */
export type SapErrorKind = 'NotFound' | 'Conflict' | 'Unauthorized' | 'Forbidden' | 'Transient' | 'Invalid';

/** Which SAP API answered: the error's name is `<api>Error`, e.g. `S4Error` (for code, never shown in its message). */
export type SapApi = 'S4' | 'Destination' | 'Xsuaa' | 'Ias' | 'Neo' | 'Sap';

export interface SapErrorFields {
  api: SapApi;
  kind: SapErrorKind;
  /** Host or tenant, e.g. `my100001` or `destination-configuration.cfapps.eu10.hana.ondemand.com`. */
  system: string;
  /** What we tried, e.g. `CommunicationUsers create`. */
  operation: string;
  /** HTTP status, absent for network failures and refusals before any I/O. */
  status?: number;
  /** SAP's own message (from the response body), or a description of the network failure. */
  sapMessage: string;
  sapCode?: string;
  /**
   * Transient only: how long SAP asked us to wait (its Retry-After, seconds or HTTP date). The
   * durable retry reads it; the http layer itself waits only up to `RetryPolicy.maxRetryAfterMs`.
   */
  retryAfterMs?: number;
  /** Low-level error code of a network failure (ECONNRESET, ETIMEDOUT, ...). */
  networkCode?: string;
  /** The NAME of the stored secret the client was built from (never its value), e.g. `s4-my100001-sap-com-0a48-user`. */
  credential?: string;
  /** A sanitised copy of the underlying network failure (message masked, no request config). */
  cause?: Error;
}

/** How an administrator names the system behind each API. */
const SYSTEM_LABEL: Record<SapApi, (system: string) => string> = {
  S4: (s) => `S/4HANA tenant ${s}`,
  Destination: (s) => `BTP Destination service of subaccount ${s}`,
  Xsuaa: (s) => `BTP authentication (XSUAA) ${s}`,
  Ias: (s) => `Identity Authentication tenant ${s}`,
  Neo: (s) => `Neo platform API ${s}`,
  Sap: (s) => `SAP system ${s}`,
};

/** What kind of credential each API is called with, in the words of its admin UI. */
export const CREDENTIAL_KIND: Record<SapApi, string> = {
  S4: 'SAP_COM_0A48 user',
  Destination: 'Destination service key',
  Xsuaa: 'Destination service key',
  Ias: 'IAS API client',
  Neo: 'Neo platform API client',
  Sap: 'credential',
};

export function systemLabel(api: SapApi, system: string): string {
  return SYSTEM_LABEL[api](system);
}

/**
 * `<system> <what happened> <operation>: "<SAP's message>" (HTTP <status>)`, e.g. `S/4HANA tenant
 * my100001 refused the SAP_COM_0A48 user stored as s4-my100001-sap-com-0a48-user for
 * CommunicationUsers find: "Logon failed" (HTTP 401)`.
 */
function describe(f: SapErrorFields): string {
  const who = systemLabel(f.api, f.system);
  const said = `${JSON.stringify(f.sapMessage)}${f.status !== undefined ? ` (HTTP ${f.status})` : ''}`;
  switch (f.kind) {
    case 'Unauthorized': {
      const stored = f.credential ? ` stored as ${f.credential}` : '';
      return `${who} refused the ${CREDENTIAL_KIND[f.api]}${stored} for ${f.operation}: ${said}`;
    }
    case 'Transient':
      return f.status !== undefined ? `${who} could not serve ${f.operation} for now: ${said}` : `${who} could not be reached for ${f.operation}: ${f.sapMessage}`;
    case 'NotFound':
      return `${who} has no such object for ${f.operation}: ${said}`;
    default:
      if (f.status === undefined) return `${f.operation} on ${who} was not done: ${f.sapMessage}`;
      if (f.status >= 200 && f.status < 300) return `${who} answered ${f.operation} in an unexpected form: ${said}`;
      return `${who} refused ${f.operation}: ${said}`;
  }
}

export class SapError extends Error {
  readonly api: SapApi;
  readonly kind: SapErrorKind;
  readonly system: string;
  readonly operation: string;
  readonly status?: number;
  readonly sapMessage: string;
  readonly sapCode?: string;
  readonly retryAfterMs?: number;
  readonly networkCode?: string;
  readonly credential?: string;

  constructor(fields: SapErrorFields) {
    super(describe(fields), fields.cause ? { cause: fields.cause } : undefined);
    this.name = `${fields.api}Error`;
    this.api = fields.api;
    this.kind = fields.kind;
    this.system = fields.system;
    this.operation = fields.operation;
    this.sapMessage = fields.sapMessage;
    if (fields.status !== undefined) this.status = fields.status;
    if (fields.sapCode !== undefined) this.sapCode = fields.sapCode;
    if (fields.retryAfterMs !== undefined && fields.kind === 'Transient') this.retryAfterMs = fields.retryAfterMs;
    if (fields.networkCode !== undefined) this.networkCode = fields.networkCode;
    if (fields.credential !== undefined) this.credential = fields.credential;
  }

  /** Plain, history-safe view (for activity results and the HTTP API). */
  toJSON(): Omit<SapErrorFields, 'cause'> & { name: string; message: string; cause?: string } {
    return {
      name: this.name,
      message: this.message,
      api: this.api,
      kind: this.kind,
      system: this.system,
      operation: this.operation,
      status: this.status,
      sapMessage: this.sapMessage,
      sapCode: this.sapCode,
      retryAfterMs: this.retryAfterMs,
      networkCode: this.networkCode,
      credential: this.credential,
      cause: this.cause instanceof Error ? this.cause.message : undefined,
    };
  }
}

/** Refused before any network I/O: the host does not match the allowlist (DESIGN §4.6). */
export class HostNotAllowedError extends SapError {
  readonly host: string;
  readonly allowlist: readonly string[];
  constructor(api: SapApi, host: string, allowlist: readonly string[], operation: string) {
    super({
      api,
      kind: 'Invalid',
      system: host,
      operation,
      sapMessage: `host ${host} is not in the SAP host allowlist (${allowlist.join(', ')}); add a pattern to SAP_HOST_ALLOWLIST_EXTRA if it is intended`,
    });
    this.host = host;
    this.allowlist = allowlist;
  }
}

export function isSapError(e: unknown): e is SapError {
  return e instanceof SapError;
}

export function sapErrorKindForStatus(status: number): SapErrorKind {
  if (status === 404) return 'NotFound';
  if (status === 409 || status === 412) return 'Conflict';
  if (status === 401) return 'Unauthorized';
  if (status === 403) return 'Forbidden';
  if (status === 408 || status === 429 || status >= 500) return 'Transient';
  return 'Invalid';
}
