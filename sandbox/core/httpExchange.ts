/** Reading a request into a SandboxRequest and writing a SandboxResponse, shared by admin and SAP routes. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { SandboxRequest, SandboxResponse } from './service';

export const MAX_BODY_BYTES = 10 * 1024 * 1024;

export class BodyTooLarge extends Error {}

export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLarge(`request body exceeds ${limit} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks as unknown as Uint8Array[])));
    req.on('error', reject);
  });
}

/** Host header without port, lower-cased; the SNI name when the header is missing. */
export function requestHost(req: IncomingMessage): string {
  const header: string = req.headers.host ?? ((req.socket as TLSSocket & { servername?: string | false }).servername || '');
  const host = header.startsWith('[') ? header.slice(0, header.indexOf(']') + 1) : header.replace(/:\d+$/, '');
  return host.toLowerCase();
}

export function toSandboxRequest(req: IncomingMessage, body: Buffer): SandboxRequest {
  const url = req.url ?? '/';
  const withoutOrigin = url.replace(/^https?:\/\/[^/]+/i, '') || '/';
  const q = withoutOrigin.indexOf('?');
  const path = q === -1 ? withoutOrigin : withoutOrigin.slice(0, q);
  const rawQuery = q === -1 ? '' : withoutOrigin.slice(q + 1);
  let query: URLSearchParams;
  try {
    query = new URLSearchParams(rawQuery);
  } catch {
    query = new URLSearchParams();
  }
  return { method: (req.method ?? 'GET').toUpperCase(), host: requestHost(req), path, rawQuery, query, headers: req.headers, body };
}

export function send(res: ServerResponse, response: SandboxResponse): void {
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string | string[]> = { ...(response.headers ?? {}) };
  const hasType = Object.keys(headers).some((h) => h.toLowerCase() === 'content-type');
  let payload: Buffer | undefined;
  if (response.body === undefined || response.body === null) payload = undefined;
  else if (Buffer.isBuffer(response.body)) payload = response.body;
  else if (typeof response.body === 'string') {
    payload = Buffer.from(response.body, 'utf8');
    if (!hasType) headers['content-type'] = 'text/plain; charset=utf-8';
  } else {
    payload = Buffer.from(JSON.stringify(response.body), 'utf8');
    if (!hasType) headers['content-type'] = 'application/json';
  }
  if (payload && response.status !== 304 && response.status !== 204) headers['content-length'] = String(payload.length);
  res.writeHead(response.status, headers);
  res.end(response.status === 304 || response.status === 204 ? undefined : payload);
}

export function sleep(ms: number): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
