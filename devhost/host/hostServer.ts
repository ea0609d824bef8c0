/**
 * The devhost HTTP front door on 127.0.0.1: Durable management API (system key), admin API (master key),
 * then the app's HTTP triggers. A second loopback listener serves the management API under
 * `/durabletask/` without a key, like the Durable extension's local RPC endpoint (rpcBaseUrl).
 */
import http from 'node:http';
import type { AdminApi } from './adminApi';
import { problem, type HostCall, type HostReply } from './hostCall';
import { isAuthorized, presentedKey, type HostKeys } from './hostKeys';
import type { HttpTriggers } from './httpTriggers';
import type { ManagementApi } from './managementApi';

const MAX_BODY_BYTES = 100 * 1024 * 1024; // the Functions host's request size limit
const MANAGEMENT_PREFIXES = ['/runtime/webhooks/durabletask/', '/durabletask/'];

type Handler = (call: HostCall) => Promise<HostReply>;

function readBody(req: http.IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolve(undefined);
        req.destroy();
      } else chunks.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: http.ServerResponse, reply: HostReply): void {
  if (res.headersSent) return;
  res.writeHead(reply.status, reply.headers ?? {});
  res.end(reply.body);
}

function serve(handler: Handler, reportError: (message: string) => void): http.Server {
  const server = http.createServer((req, res) => {
    void (async () => {
      let url: URL;
      try {
        url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
      } catch {
        return send(res, problem(400, 'malformed request URL or Host header'));
      }
      const body = await readBody(req);
      if (!body) return send(res, problem(413, `request body larger than ${MAX_BODY_BYTES} bytes`));
      send(res, await handler({ method: (req.method ?? 'GET').toUpperCase(), url, headers: req.headers, body }));
    })().catch((error: unknown) => {
      reportError(`request ${req.method} ${req.url} failed: ${(error as Error)?.stack ?? error}`);
      send(res, problem(500, 'devhost internal error (see the devhost log)'));
    });
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });
  return server;
}

export interface HostRoutes {
  keys: HostKeys;
  management: ManagementApi;
  admin: AdminApi;
  httpTriggers: HttpTriggers;
}

function managementPath(pathname: string): string | undefined {
  const lower = pathname.toLowerCase();
  for (const prefix of MANAGEMENT_PREFIXES) {
    if (lower.startsWith(prefix)) return pathname.slice(prefix.length);
    if (lower === prefix.slice(0, -1)) return '';
  }
  return undefined;
}

export function createHostServer(routes: HostRoutes, reportError: (message: string) => void): http.Server {
  return serve(async (call) => {
    const key = presentedKey(call.headers['x-functions-key'], call.url.searchParams);
    const management = managementPath(call.url.pathname);
    if (management !== undefined) {
      if (!isAuthorized(routes.keys, 'system', key)) return problem(401, 'the Durable management API needs the system or master key');
      return routes.management.handle(call, management);
    }
    if (call.url.pathname.toLowerCase().startsWith('/admin/')) {
      if (!isAuthorized(routes.keys, 'admin', key)) return problem(401, 'the admin API needs the master key');
      return routes.admin.handle(call, call.url.pathname.slice('/admin/'.length));
    }
    return (await routes.httpTriggers.handle(call)) ?? problem(404, `no function answers ${call.method} ${call.url.pathname}`);
  }, reportError);
}

export function createRpcServer(management: ManagementApi, reportError: (message: string) => void): http.Server {
  return serve(async (call) => {
    const lower = call.url.pathname.toLowerCase();
    if (!lower.startsWith('/durabletask/')) return problem(404, 'the local RPC endpoint serves /durabletask/ only');
    return management.handle(call, call.url.pathname.slice('/durabletask/'.length));
  }, reportError);
}

export function listen(server: http.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as { port: number }).port);
    });
  });
}

export function close(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
