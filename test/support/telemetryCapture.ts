/**
 * What the product's telemetry exports, for tests: the devhost child starts with telemetry on
 * (APPLICATIONINSIGHTS_CONNECTION_STRING) and an in-process exporter beside Azure Monitor's
 * (telemetryCapturePreload.js); Azure Monitor's own exporter sends to a loopback ingestion endpoint
 * here (HTTPS: the exporter only speaks https; its certificate comes from a local CA that the devhost
 * child trusts through NODE_EXTRA_CA_CERTS), which records what it receives and accepts it. Pass `stackOptions` to
 * startOnboardingStack.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';

export interface CapturedSpan {
  type: 'span';
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
  status: { code: number; message?: string };
  events: unknown[];
  durationMs: number;
  scope?: string;
}

export interface CapturedLog {
  type: 'log';
  body: unknown;
  severityText?: string;
  attributes: Record<string, unknown>;
  scope?: string;
}

export type CapturedItem = CapturedSpan | CapturedLog;

export interface TelemetryCapture {
  stackOptions: { devhostEnv: Record<string, string>; devhostNodeArgs: string[] };
  /** Everything the in-process exporter saw so far. */
  items(): CapturedItem[];
  spans(): CapturedSpan[];
  logs(): CapturedLog[];
  /** The raw text of what reached the loopback ingestion endpoint (decompressed). */
  ingested(): string[];
  /** The capture file's text, for secret audits. */
  rawText(): string;
  stop(): Promise<void>;
}

const PRELOAD = path.join(__dirname, 'telemetryCapturePreload.js');

/** A self-signed certificate for 127.0.0.1, its own trust anchor. */
function selfSignedLoopbackCertificate(): { key: string; cert: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 3600_000);
  cert.validity.notAfter = new Date(Date.now() + 24 * 3600_000);
  const subject = [{ name: 'commonName', value: 'loopback Application Insights ingestion (test)' }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
  ]);
  const key = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  cert.sign(forge.pki.privateKeyFromPem(key), forge.md.sha256.create());
  return { key, cert: forge.pki.certificateToPem(cert) };
}

export async function startTelemetryCapture(): Promise<TelemetryCapture> {
  const dir = mkdtempSync(path.join(tmpdir(), 'telemetry-capture-'));
  const file = path.join(dir, 'telemetry.jsonl');
  const received: string[] = [];
  const tls = selfSignedLoopbackCertificate();
  const caFile = path.join(dir, 'ingestion-ca.pem');
  writeFileSync(caFile, tls.cert);
  const server = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks as unknown as Uint8Array[]);
      let text: string;
      try {
        text = req.headers['content-encoding'] === 'gzip' ? gunzipSync(body as unknown as Uint8Array).toString('utf8') : body.toString('utf8');
      } catch {
        text = body.toString('utf8');
      }
      received.push(text);
      let count = 0;
      try {
        const parsed = JSON.parse(text);
        count = Array.isArray(parsed) ? parsed.length : 1;
      } catch {
        count = text.split('\n').filter(Boolean).length;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ itemsReceived: count, itemsAccepted: count, errors: [] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const rawText = () => (existsSync(file) ? readFileSync(file, 'utf8') : '');
  const items = () =>
    rawText()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as CapturedItem);
  return {
    stackOptions: {
      devhostEnv: {
        APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=00000000-0000-4000-8000-000000000000;IngestionEndpoint=https://127.0.0.1:${port}/`,
        APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true',
        NODE_EXTRA_CA_CERTS: caFile,
        TELEMETRY_CAPTURE_FILE: file,
      },
      devhostNodeArgs: ['--require', PRELOAD],
    },
    items,
    spans: () => items().filter((i): i is CapturedSpan => i.type === 'span'),
    logs: () => items().filter((i): i is CapturedLog => i.type === 'log'),
    ingested: () => [...received],
    rawText,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
