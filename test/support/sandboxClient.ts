/**
 * Test helper: calls a running sandbox the way the product does in sandbox mode. HTTPS goes to
 * 127.0.0.1:<port> with the real SAP host name in SNI and Host, trusting ONLY the sandbox CA (so a
 * wrong certificate fails the call); admin calls are plain HTTP.
 */
import http from 'node:http';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';

export interface SandboxEndpoint {
  port: number;
  caPem: string;
}

export interface SandboxCall {
  method?: string;
  headers?: Record<string, string>;
  /** Objects are sent as JSON; URLSearchParams as a form. */
  body?: string | Buffer | URLSearchParams | object;
  timeoutMs?: number;
}

export interface SandboxAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json<T = any>(): T;
  /** Subject alt names of the server certificate (HTTPS only). */
  peerAltNames?: string;
}

function encode(call: SandboxCall): { body?: Buffer; headers: Record<string, string> } {
  const headers = { ...(call.headers ?? {}) };
  const has = (h: string) => Object.keys(headers).some((k) => k.toLowerCase() === h);
  if (call.body === undefined) return { headers };
  let body: Buffer;
  if (Buffer.isBuffer(call.body)) body = call.body;
  else if (typeof call.body === 'string') body = Buffer.from(call.body);
  else if (call.body instanceof URLSearchParams) {
    body = Buffer.from(call.body.toString());
    if (!has('content-type')) headers['content-type'] = 'application/x-www-form-urlencoded';
  } else {
    body = Buffer.from(JSON.stringify(call.body));
    if (!has('content-type')) headers['content-type'] = 'application/json';
  }
  headers['content-length'] = String(body.length);
  return { body, headers };
}

function collect(req: http.ClientRequest, body: Buffer | undefined, timeoutMs: number): Promise<SandboxAnswer> {
  return new Promise((resolve, reject) => {
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks as unknown as Uint8Array[]).toString('utf8');
        const socket = res.socket as TLSSocket | null;
        const peer = socket && typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate() : undefined;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text), peerAltNames: peer?.subjectaltname });
      });
    });
    req.end(body);
  });
}

/** HTTPS call to a simulated SAP URL, e.g. `https://my100001-api.s4hana.ondemand.com/sap/...`. */
export function sapRequest(sandbox: SandboxEndpoint, url: string, call: SandboxCall = {}): Promise<SandboxAnswer> {
  const u = new URL(url);
  const { body, headers } = encode(call);
  const req = https.request({
    host: '127.0.0.1',
    port: sandbox.port,
    servername: u.hostname,
    method: call.method ?? 'GET',
    path: `${u.pathname}${u.search}`,
    headers: { host: u.host, ...headers },
    ca: [sandbox.caPem],
    rejectUnauthorized: true,
    agent: false,
  });
  return collect(req, body, call.timeoutMs ?? 10_000);
}

/** Plain HTTP call to the admin API, path relative to /__sandbox (e.g. '/state'). */
export function adminRequest(sandbox: { port: number }, path: string, call: SandboxCall = {}): Promise<SandboxAnswer> {
  const { body, headers } = encode(call);
  const req = http.request({ host: '127.0.0.1', port: sandbox.port, method: call.method ?? 'GET', path: `/__sandbox${path}`, headers, agent: false });
  return collect(req, body, call.timeoutMs ?? 10_000);
}

/** Fetches a client-credentials token from the sandbox XSUAA for a Destination service key. */
export async function xsuaaToken(sandbox: SandboxEndpoint, key: { url: string; clientid: string; clientsecret: string }): Promise<string> {
  const answer = await sapRequest(sandbox, `${key.url}/oauth/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: key.clientid, client_secret: key.clientsecret }),
  });
  if (answer.status !== 200) throw new Error(`XSUAA token: HTTP ${answer.status} ${answer.text}`);
  return answer.json<{ access_token: string }>().access_token;
}
