/**
 * A tiny HTTPS server on 127.0.0.1:0 with a certificate from its own throwaway CA (node-forge),
 * for testing the SAP http core without the sandbox. It records every TCP connection, the SNI
 * name and Host header of every request, and answers with a handler the test sets.
 */
import { generateKeyPairSync } from 'node:crypto';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import forge from 'node-forge';

export interface TestCa {
  certPem: string;
  keyPem: string;
}

function rsaKeys() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKey: forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()),
    publicKey: forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString()),
    keyPem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
  };
}

let serial = 1;
function nextSerial(): string {
  serial += 1;
  return `0${(Date.now() * 100 + serial).toString(16)}`;
}

export function createTestCa(commonName = 'Test SAP CA'): TestCa {
  const keys = rsaKeys();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = nextSerial();
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 24 * 3600_000);
  const attrs = [{ name: 'commonName', value: commonName }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.keyPem };
}

export function issueServerCert(ca: TestCa, hostNames: string[]): { certPem: string; keyPem: string } {
  const keys = rsaKeys();
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = nextSerial();
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 24 * 3600_000);
  cert.setSubject([{ name: 'commonName', value: hostNames[0] }]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: hostNames.map((value) => ({ type: 2, value })) },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(ca.keyPem), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.keyPem };
}

export interface SeenRequest {
  method: string;
  url: string;
  host: string | undefined;
  servername: string | undefined;
  headers: IncomingMessage['headers'];
  body: string;
}

export type TestHandler = (req: SeenRequest, res: ServerResponse) => void;

export interface TlsTestServer {
  ca: TestCa;
  port: number;
  connectTo: string;
  connections: number;
  requests: SeenRequest[];
  handle(handler: TestHandler): void;
  reset(): void;
  close(): Promise<void>;
}

export async function startTlsTestServer(hostNames: string[], ca: TestCa = createTestCa()): Promise<TlsTestServer> {
  const { certPem, keyPem } = issueServerCert(ca, hostNames);
  let handler: TestHandler = (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{}');
  };
  const state = {
    connections: 0,
    requests: [] as SeenRequest[],
  };
  const server = https.createServer({ cert: certPem, key: keyPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const seen: SeenRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        host: req.headers.host,
        servername: (req.socket as TLSSocket & { servername?: string | false }).servername || undefined,
        headers: req.headers,
        body: Buffer.concat(chunks as unknown as readonly Uint8Array[]).toString('utf8'),
      };
      state.requests.push(seen);
      handler(seen, res);
    });
  });
  server.on('connection', () => {
    state.connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    ca,
    port,
    connectTo: `127.0.0.1:${port}`,
    get connections() {
      return state.connections;
    },
    get requests() {
      return state.requests;
    },
    handle(h) {
      handler = h;
    },
    reset() {
      state.connections = 0;
      state.requests = [];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  } as TlsTestServer;
}

/** Answers with a JSON (or raw string) body and headers. */
export function reply(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  const isString = typeof body === 'string';
  res.writeHead(status, { 'content-type': isString ? 'text/plain' : 'application/json', ...headers });
  res.end(body === undefined ? '' : isString ? body : JSON.stringify(body));
}
