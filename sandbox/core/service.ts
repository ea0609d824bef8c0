/**
 * What a simulated SAP service plugs into: the sandbox core parses the request, finds the service
 * whose host pattern matches, applies faults and latency, and calls `handle`. Services keep their
 * state in their own slice of the sandbox state, which the core persists and shows (masked).
 */
import type { IncomingHttpHeaders } from 'node:http';

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
  /** The sandbox's HTTPS origin for a host, as a client would call it (https://<host>). */
  now(): Date;
}

export interface SandboxService<Slice = unknown> {
  name: string;
  /** Returns the host captures when this service answers for the host, else undefined. */
  matchHost(host: string): Record<string, string> | undefined;
  /** Creates the empty state slice. */
  initialState(): Slice;
  /** Applies this service's part of a seed file to its slice. */
  seed(slice: Slice, seed: unknown): void;
  /** The slice as GET /__sandbox/state shows it: every secret masked. */
  describe(slice: Slice): unknown;
  handle(req: SandboxRequest, slice: Slice, ctx: SandboxContext): Promise<SandboxResponse> | SandboxResponse;
}
