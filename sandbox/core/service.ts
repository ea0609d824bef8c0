/**
 * What a simulated SAP service plugs into: the sandbox core parses the request, finds the service
 * whose host pattern matches, applies faults and latency, and calls `handle`. Services keep their
 * state in their own slice of the sandbox state, which the core persists and shows (masked).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type https from 'node:https';

export interface SandboxRequest {
  method: string;
  /** The Host header without port, lower-cased: the real SAP host name the client asked for. */
  host: string;
  /** Path without query string, percent-decoding left to the service. */
  path: string;
  /** Raw query string without '?', for services that parse OData system query options themselves. */
  rawQuery: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface SandboxResponse {
  status: number;
  headers?: Record<string, string | string[]>;
  /** A plain object or array is sent as JSON; a string or Buffer as is (set content-type yourself). */
  body?: unknown;
}

export interface SandboxContext {
  /** Named captures of the matched host pattern, e.g. { tenant: 'my100001' } or { subdomain, region }. */
  hostParams: Record<string, string>;
  /** Marks the service's state slice dirty so the core persists it. */
  changed(): void;
  /** The sandbox clock (wall clock + the offset of PUT /__sandbox/clock): the only time a service may use. */
  now(): Date;
  /**
   * An https.Agent whose connections go to the sandbox's own port, trusting the sandbox CA, with the
   * real host name kept in SNI and Host: for calls one simulated SAP system makes to another
   * (the Destination service posting a SAML assertion to an S/4 token endpoint).
   */
  outboundAgent(): https.Agent;
}

export interface SandboxService<Slice = unknown> {
  name: string;
  /** Returns the host captures when this service answers for the host, else undefined. */
  matchHost(host: string): Record<string, string> | undefined;
  /** Creates the empty state slice. */
  initialState(): Slice;
  /**
   * Applies this service's part of a seed file to its slice. `seed` is the whole seed file
   * (`{ subaccounts, s4Tenants, iasTenants, neoSubaccounts, ... }`); take your own section.
   * `now` is the sandbox clock (default: the wall clock).
   */
  seed(slice: Slice, seed: unknown, now?: Date): void;
  /** The slice as GET /__sandbox/state shows it: every secret masked. */
  describe(slice: Slice, now?: Date): unknown;
  handle(req: SandboxRequest, slice: Slice, ctx: SandboxContext): Promise<SandboxResponse> | SandboxResponse;
  /**
   * PUT /__sandbox/tenants/{tenant}/switches. Return undefined when this service has no such tenant
   * (the core then asks the next service); else the admin answer (200 with the switches, 400 on bad input).
   */
  applySwitches?(slice: Slice, tenant: string, switches: unknown): SandboxResponse | undefined;
  /**
   * PUT /__sandbox/subaccounts/{guid}/settings (BTP): how the subaccount's trust certificates are
   * generated. Undefined when this service has no such subaccount.
   */
  applySubaccountSettings?(slice: Slice, guid: string, settings: unknown): SandboxResponse | undefined;
  /**
   * The error body this API would send for an injected fault (status 429/5xx) or an internal error;
   * default `{"error": message}`. `host` tells services that answer several APIs which one was called.
   */
  errorResponse?(status: number, message: string, host?: string): SandboxResponse;
}
