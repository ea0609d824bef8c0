/**
 * bench/neoTrust (issue 11): copy the trust configurations of 20 Neo subaccounts to 20 others
 * (export, then import with backup, diff, write and read-back) through devhost and the sandbox, whose
 * Neo API allows 100 requests per minute per subaccount and answers 429 without Retry-After (as SAP
 * documents). Figures:
 *   - requests answered 429 (aim 0): the client paces itself;
 *   - wall time ÷ the time the rate limit allows at best (aim ≤ 1.2). "At best" for the requests the
 *     copy made: a subaccount that got n requests needs at least (n − 1) × 60 s / 100 between its first
 *     and its last; the busiest subaccount sets the bound, plus one request's latency for the first
 *     export ahead of it (the import of a pair cannot start before its export).
 * Every subaccount has its own platform API client, as the sandbox (and SAP) let a client manage only
 * its own subaccount.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import forge from 'node-forge';
import { startSandbox } from '../../sandbox';
import { NEO_PLATFORM_CLIENT_CONTENT_TYPE } from '../../shared/neoTrust/neoPlatformClient';
import type { BenchFigure, BenchReport } from '../run';
import { spawnDevhost } from '../onboarding/devhostProcess';

const PAIRS = 20;
const ROUNDS = 10;
const LANDSCAPE = 'eu2.hana.ondemand.com';
const LATENCY_MS = 50;
const REQUESTS_PER_MINUTE = 100;
const REPO_ROOT = resolve(__dirname, '../../..');

function keyPair(cn: string): { key: string; certificate: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 86_400_000);
  cert.validity.notAfter = new Date(Date.now() + 365 * 86_400_000);
  cert.setSubject([{ name: 'commonName', value: cn }]);
  cert.setIssuer([{ name: 'commonName', value: cn }]);
  cert.sign(forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()), forge.md.sha256.create());
  return { key: privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64'), certificate: forge.util.encode64(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes()) };
}

function sourceTrust(i: number) {
  const sp = keyPair(`https://${LANDSCAPE}/src${i}`);
  const idp = keyPair(`idp${i}.accounts.ondemand.com`);
  return {
    configurationType: 'Custom',
    localServiceProvider: { name: `https://${LANDSCAPE}/src${i}`, signingKey: sp.key, signingCertificate: sp.certificate, principalPropagationEnabled: 'false', forceAuthenticationEnabled: 'false' },
    applicationIdentityProviders: {
      identityProviders: [
        {
          name: `idp${i}`,
          enabled: 'true',
          ssoUrl: `https://idp${i}.accounts.ondemand.com/saml2/idp/sso`,
          ssoBinding: 'HTTP-POST',
          sloUrl: '',
          sloBinding: 'HTTP-POST',
          userIdSource: { type: 'subject', value: '' },
          signatureAlgorithm: 'SHA-256',
          signingCertificate: idp.certificate,
          assertionBasedGroups: [{ group: 'Developers', rules: [{ assertionAttribute: 'Groups', operation: 'regexp', value: 'dev.*' }] }],
          onlyForIdpInitiatedSSO: 'false',
          onlyForOAuthSAMLBearerFlow: 'false',
        },
      ],
    },
  };
}

interface View {
  id: string;
  status: string;
  error?: { step: string; message: string };
  result?: Record<string, unknown>;
}

export async function runNeoTrustCopyBench(): Promise<BenchReport> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sap-trust-neo-bench-'));
  const names = Array.from({ length: PAIRS }, (_, i) => ({ source: `src${i + 1}`, target: `dst${i + 1}` }));
  const client = (s: string) => ({ clientId: `bench-${s}`, clientSecret: `bench-secret-${s}-${Math.random().toString(36).slice(2)}` });
  const subaccounts = [...names, { source: 'warm1', target: 'warm2' }, { source: 'seq0', target: 'seq1' }].flatMap(({ source, target }, i) => [
    { landscape: LANDSCAPE, subaccount: source, clients: [client(source)], trust: sourceTrust(i + 1) },
    { landscape: LANDSCAPE, subaccount: target, clients: [client(target)] },
  ]);
  const sandbox = await startSandbox({ port: 0, dataDir: join(dataDir, 'sandbox'), seed: { neoSubaccounts: subaccounts }, quiet: true, latencyMs: 0 });
  let devhost: Awaited<ReturnType<typeof spawnDevhost>> | undefined;
  try {
    devhost = await spawnDevhost({
      dataDir: join(dataDir, 'devhost'),
      repoRoot: REPO_ROOT,
      env: { SAP_CONNECT_TO: sandbox.connectTo, SAP_EXTRA_CA_FILE: sandbox.caFile, SECRET_STORE: 'file', REGISTRY_STORE: 'file', NEO_TRUST_REQUESTS_PER_MINUTE: String(REQUESTS_PER_MINUTE) },
    });
    const api = async (method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> => {
      const res = await fetch(`${devhost!.url}${path}`, { method, headers: { 'x-functions-key': devhost!.key, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    };
    for (const s of subaccounts) {
      const put = await api('PUT', `/api/credentials/neo-${s.subaccount}`, { value: s.clients[0], contentType: NEO_PLATFORM_CLIENT_CONTENT_TYPE });
      if (put.status !== 204) throw new Error(`storing the credential of ${s.subaccount}: HTTP ${put.status}`);
      await admin(sandbox.adminUrl, 'PUT', `/tenants/${s.subaccount}/switches`, { noRetryAfter: true });
    }
    await admin(sandbox.adminUrl, 'PUT', '/latency', { ms: LATENCY_MS });
    const target = (s: string) => ({ landscapeHost: LANDSCAPE, subaccount: s, credentialSecret: `neo-${s}` });
    // One poller for all runs (two list calls per round), not one per run: 40 pollers would load
    // devhost more than the runs do.
    const waiting = new Map<string, { kind: string; resolve: (v: View) => void }>();
    let polling: Promise<void> | undefined;
    const poll = async () => {
      while (waiting.size > 0) {
        for (const kind of ['exports', 'imports']) {
          if (![...waiting.values()].some((w) => w.kind === kind)) continue;
          const list = await api('GET', `/api/neo-trust/${kind}?status=completed,failed,terminated`);
          for (const v of (list.body?.items ?? []) as View[]) {
            const w = waiting.get(v.id);
            if (w) {
              waiting.delete(v.id);
              w.resolve(v);
            }
          }
        }
        await sleep(100);
      }
      polling = undefined;
    };
    const until = (kind: string, id: string) =>
      new Promise<View>((resolve) => {
        waiting.set(id, { kind, resolve });
        polling ??= poll();
      });
    const copy = async ({ source, target: dst }: { source: string; target: string }) => {
      const exp = await api('POST', '/api/neo-trust/exports', { source: target(source) });
      if (exp.status !== 202) throw new Error(`export ${source}: HTTP ${exp.status} ${JSON.stringify(exp.body)}`);
      const exported = await until('exports', exp.body.id);
      if (exported.status !== 'completed') return exported;
      const imp = await api('POST', '/api/neo-trust/imports', { target: target(dst), exportId: exported.id });
      if (imp.status !== 202) throw new Error(`import ${dst}: HTTP ${imp.status} ${JSON.stringify(imp.body)}`);
      return until('imports', imp.body.id);
    };

    // One extra pair first, alone: warms devhost up and shows one copy without contention.
    const oneStarted = Date.now();
    const single = await copy({ source: 'warm1', target: 'warm2' });
    const oneMs = Date.now() - oneStarted;
    if (single.status !== 'completed') throw new Error(`the warm-up copy ${single.id} ${single.status}: ${single.error?.message}`);

    await admin(sandbox.adminUrl, 'DELETE', '/requests');
    const started = Date.now();
    const finals = await Promise.all(names.map(copy));
    const wallMs = Date.now() - started;

    const state = (await admin(sandbox.adminUrl, 'GET', '/state')) as { services: { neo: Record<string, { tooManyRequests: number }> } };
    const tooMany = Object.values(state.services.neo).reduce((n, a) => n + (a.tooManyRequests ?? 0), 0);
    const { requests } = (await admin(sandbox.adminUrl, 'GET', '/requests')) as { requests: { path: string; status: number }[] };
    const perSubaccount = new Map<string, number>();
    for (const r of requests) {
      const m = /^\/trust\/v2\/accounts\/([a-z0-9]+)$/.exec(r.path);
      if (m) perSubaccount.set(m[1], (perSubaccount.get(m[1]) ?? 0) + 1);
    }
    const busiest = Math.max(...perSubaccount.values());
    const spacingMs = 60_000 / REQUESTS_PER_MINUTE;
    const bestMs = (busiest - 1) * spacingMs + 2 * LATENCY_MS;
    const completed = finals.filter((v) => v.status === 'completed' && v.result?.readBackEqual === true).length;
    const figures: BenchFigure[] = [
      { workload: `copy ${PAIRS} Neo subaccounts to ${PAIRS} others`, measure: 'requests answered 429', value: tooMany, aim: '0', note: `${requests.filter((r) => r.path.startsWith('/trust/')).length} trust API requests in all` },
      {
        workload: `copy ${PAIRS} Neo subaccounts to ${PAIRS} others`,
        measure: 'wall ÷ time the rate limit allows at best',
        value: wallMs / bestMs,
        aim: '≤ 1.2',
        note: `wall ${wallMs} ms; busiest subaccount got ${busiest} requests → (${busiest} − 1) × ${spacingMs} ms + 2 × ${LATENCY_MS} ms latency = ${bestMs} ms; load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores`,
      },
      { workload: `copy ${PAIRS} Neo subaccounts to ${PAIRS} others`, measure: 'imports read back equal', value: completed, aim: `${PAIRS}` },
      { workload: 'one copy alone (warm-up pair)', measure: 'wall ÷ time the rate limit allows at best', value: oneMs / bestMs, aim: 'report', note: `wall ${oneMs} ms (export run, then import run: backup, import, read back)` },
    ];

    // Where the limit binds: one subaccount gets ROUNDS imports in a row, alternating two documents so
    // each one writes (backup GET, PUT, read-back GET): 3 × ROUNDS requests to one subaccount.
    const seq = { source: 'warm1', other: `src${PAIRS}`, target: 'seq1' };
    const exports = await Promise.all([seq.source, seq.other].map(async (s) => {
      const exp = await api('POST', '/api/neo-trust/exports', { source: target(s) });
      return until('exports', exp.body.id);
    }));
    await admin(sandbox.adminUrl, 'DELETE', '/requests');
    const seqStarted = Date.now();
    let seqDone = 0;
    for (let r = 0; r < ROUNDS; r++) {
      const imp = await api('POST', '/api/neo-trust/imports', { target: target(seq.target), exportId: exports[r % 2].id });
      if (imp.status !== 202) throw new Error(`import round ${r}: HTTP ${imp.status} ${JSON.stringify(imp.body)}`);
      const v = await until('imports', imp.body.id);
      if (v.status === 'completed') seqDone++;
    }
    const seqMs = Date.now() - seqStarted;
    const seqRequests = ((await admin(sandbox.adminUrl, 'GET', '/requests')) as { requests: { path: string }[] }).requests.filter((r) => r.path === `/trust/v2/accounts/${seq.target}`).length;
    const seqBest = (seqRequests - 1) * spacingMs + LATENCY_MS;
    const seqState = (await admin(sandbox.adminUrl, 'GET', '/state')) as { services: { neo: Record<string, { tooManyRequests: number }> } };
    figures.push(
      {
        workload: `${ROUNDS} imports in a row into one subaccount (the limit binds)`,
        measure: 'wall ÷ time the rate limit allows at best',
        value: seqMs / seqBest,
        aim: 'report',
        note: `wall ${seqMs} ms; ${seqRequests} requests → (${seqRequests} − 1) × ${spacingMs} ms + ${LATENCY_MS} ms = ${seqBest} ms; ${seqDone}/${ROUNDS} completed; 429s: ${seqState.services.neo[`${LANDSCAPE}/${seq.target}`]?.tooManyRequests ?? 0}`,
      },
    );
    const failed = finals.find((v) => v.status !== 'completed');
    if (failed) figures.push({ workload: 'first failure', measure: `${failed.id}: ${failed.error?.step ?? failed.status} ${failed.error?.message ?? ''}`.trim(), value: NaN });
    return { name: 'neo-trust copy', figures };
  } finally {
    await devhost?.stop();
    await sandbox.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function admin(adminUrl: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${adminUrl}${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`sandbox ${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
  return text ? JSON.parse(text) : undefined;
}
