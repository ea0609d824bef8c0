/**
 * A loopback Azure Key Vault secrets REST API, enough for the real SecretClient (runtime notes §5.1):
 * set, get (latest and by version), list, list versions, delete. It records each request's method,
 * path and Authorization header so tests can see what the client sent. Azure AD is not simulated:
 * any Bearer token is accepted, and the client gets it from `stubCredential`.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { TokenCredential } from '@azure/identity';

interface Version {
  version: string;
  value: string;
  contentType?: string;
  tags?: Record<string, string>;
  created: number;
}

export interface SeenRequest {
  method: string;
  path: string;
  authorization?: string;
  body?: unknown;
}

export interface KeyVaultStub {
  url: string;
  requests: SeenRequest[];
  /** name (lower case) → versions, oldest first */
  secrets: Map<string, Version[]>;
  /** Makes the next request for a name fail with this status (e.g. 403, 500). */
  failNext(status: number, code: string): void;
  close(): Promise<void>;
}

export const STUB_TOKEN = 'stub-aad-token';

export const stubCredential: TokenCredential = {
  getToken: async () => ({ token: STUB_TOKEN, expiresOnTimestamp: Date.now() + 3600_000 }),
};

export async function startKeyVaultStub(): Promise<KeyVaultStub> {
  const secrets = new Map<string, Version[]>();
  const requests: SeenRequest[] = [];
  let injected: { status: number; code: string } | undefined;
  let url = '';

  const bundle = (name: string, v: Version) => ({
    value: v.value,
    id: `${url}/secrets/${name}/${v.version}`,
    contentType: v.contentType,
    tags: v.tags,
    attributes: { enabled: true, created: v.created, updated: v.created, recoveryLevel: 'Recoverable+Purgeable', recoverableDays: 90 },
  });
  const item = (name: string, v: Version) => {
    const { value: _value, ...rest } = bundle(name, v);
    return rest;
  };

  const server = http.createServer((req, res) => {
    const chunks: Uint8Array[] = [];
    req.on('data', (c: Uint8Array) => chunks.push(c));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://stub').pathname;
      const text = Buffer.concat(chunks).toString('utf8');
      const body = text ? JSON.parse(text) : undefined;
      requests.push({ method: req.method ?? '', path, authorization: req.headers.authorization, body });
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      const notFound = (name: string) =>
        send(404, { error: { code: 'SecretNotFound', message: `A secret with (name/id) ${name} was not found in this key vault.` } });

      if (!req.headers.authorization?.startsWith('Bearer ')) {
        res.writeHead(401, { 'www-authenticate': 'Bearer authorization="https://login.microsoftonline.com/stub-tenant", resource="https://vault.azure.net"' });
        return res.end();
      }
      if (injected) {
        const { status, code } = injected;
        injected = undefined;
        return send(status, { error: { code, message: 'injected by the test' } });
      }
      const [, collection, rawName, rawVersion] = path.split('/');
      if (collection !== 'secrets') return send(400, { error: { code: 'BadParameter', message: `unsupported path ${path}` } });
      const name = rawName ? decodeURIComponent(rawName) : undefined;
      const versions = name ? secrets.get(name.toLowerCase()) : undefined;

      if (req.method === 'GET' && !name) {
        return send(200, { value: [...secrets.entries()].map(([n, vs]) => item(n, vs[vs.length - 1])), nextLink: null });
      }
      if (!name) return send(405, { error: { code: 'MethodNotAllowed', message: 'not supported' } });
      if (req.method === 'PUT' && rawVersion === undefined) {
        const v: Version = { version: randomUUID().replace(/-/g, ''), value: body.value, contentType: body.contentType, tags: body.tags, created: Math.floor(Date.now() / 1000) };
        secrets.set(name.toLowerCase(), [...(versions ?? []), v]);
        return send(200, bundle(name, v));
      }
      if (!versions) return notFound(name);
      if (req.method === 'GET' && rawVersion === 'versions') return send(200, { value: versions.map((v) => item(name, v)), nextLink: null });
      if (req.method === 'GET') {
        const v = rawVersion ? versions.find((x) => x.version === rawVersion) : versions[versions.length - 1];
        return v ? send(200, bundle(name, v)) : notFound(`${name}/${rawVersion}`);
      }
      if (req.method === 'DELETE') {
        secrets.delete(name.toLowerCase());
        // No recoveryId: soft delete off, so the SDK's delete poller finishes at once.
        return send(200, item(name, versions[versions.length - 1]));
      }
      return send(405, { error: { code: 'MethodNotAllowed', message: `${req.method} ${path}` } });
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    secrets,
    failNext: (status, code) => (injected = { status, code }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
