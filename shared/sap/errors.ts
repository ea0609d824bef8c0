/**
 * Typed SAP errors. A SapError says which system, which operation and what SAP itself answered.
 * It never holds the request's headers, body, credentials or tokens: it is built from plain
 * values only (no axios config, no cause chain), so logging or serializing it is always safe.
 */
export type SapErrorKind = 'NotFound' | 'Conflict' | 'Unauthorized' | 'Forbidden' | 'Transient' | 'Invalid';

/** Which SAP API answered: the error's name is `<api>Error`, e.g. `S4Error`. */
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
  retryAfterMs?: number;
  /** Low-level error code of a network failure (ECONNRESET, ETIMEDOUT, ...). */
  networkCode?: string;
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

  constructor(fields: SapErrorFields) {
    super(`${fields.api}Error(${fields.kind}): ${fields.system} ${fields.operation}: ${JSON.stringify(fields.sapMessage)}`);
    this.name = `${fields.api}Error`;
    this.api = fields.api;
    this.kind = fields.kind;
    this.system = fields.system;
    this.operation = fields.operation;
    this.sapMessage = fields.sapMessage;
    if (fields.status !== undefined) this.status = fields.status;
    if (fields.sapCode !== undefined) this.sapCode = fields.sapCode;
    if (fields.retryAfterMs !== undefined) this.retryAfterMs = fields.retryAfterMs;
    if (fields.networkCode !== undefined) this.networkCode = fields.networkCode;
  }

  /** Plain, history-safe view (for activity results and the HTTP API). */
  toJSON(): SapErrorFields & { name: string; message: string } {
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
