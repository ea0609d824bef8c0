/**
 * Issue 4, "Done when": the secret audit. After a completed onboarding, two failed ones (a wrong
 * SAP_COM_0A48 password; a destination write SAP refuses) and one paused at the manual step, no
 * secret value appears anywhere the product keeps or shows things: DATA_DIR outside the secret
 * store (Durable journal and state, registry, timers, host keys), the onboarding API's answers, the
 * Durable management API with history and input, devhost's logs, and (issue 12) the exported
 * telemetry: devhost runs with telemetry on, an in-process exporter captures every span and log
 * record, and Azure Monitor's exporter sends to a loopback ingestion endpoint.
 *
 * Secret values are the Destination service key's client secrets, the SAP_COM_0A48 passwords (the
 * seeded ones and the wrong one), and the communication-user passwords the product generated, read
 * from the file secret store: the one place they belong. OAuth access tokens are checked too, by
 * their shape (JWT) and against the hashes of every token the sandbox's XSUAA issued.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { destroySharedSapAgents } from '../../../shared/sap/http/agent';
import { SECRET_CONTENT_TYPES } from '../../../shared/secrets/secretNames';
import { startOnboardingStack, type Landscape, type OnboardingStack, type OnboardingView } from '../../support/onboardingStack';
import { startTelemetryCapture, type TelemetryCapture } from '../../support/telemetryCapture';

jest.setTimeout(240_000);

/** Where the file secret store keeps its files (shared/config/settings.ts: paths.secrets). */
const SECRET_STORE_DIR = 'secrets';

interface Secret {
  /** What it is, for the failure message (never the value). */
  label: string;
  value: string;
}

interface Source {
  /** A file path or an API call. */
  label: string;
  text: string;
}

/**
 * Every form a secret could take on its way out: as is, URL- and form-encoded, JSON-escaped, hex,
 * and base64/base64url. A secret inside a longer base64 string (e.g. `Basic base64(user:password)`)
 * keeps a fixed middle part for each of the three byte alignments, so those middles are searched.
 */
function leakedForms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const forms = new Set<string>([
    secret,
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
    JSON.stringify(secret).slice(1, -1),
    bytes.toString('hex'),
  ]);
  for (const alignment of [0, 1, 2]) {
    const shifted = Buffer.concat([Buffer.alloc(alignment), bytes] as unknown as Uint8Array[]);
    for (const encoding of ['base64', 'base64url'] as const) {
      const encoded = shifted.toString(encoding).replace(/=+$/, '');
      const start = alignment === 0 ? 0 : 4;
      const end = shifted.length % 3 === 0 ? encoded.length : encoded.length - 4;
      const middle = encoded.slice(start, end);
      if (middle.length >= 12) forms.add(middle);
    }
  }
  return [...forms];
}

/** "label: found in source" for each secret (in any form) that a source contains. */
function leaks(secrets: Secret[], sources: Source[]): string[] {
  const found: string[] = [];
  for (const secret of secrets) {
    const forms = leakedForms(secret.value);
    for (const source of sources) {
      if (forms.some((f) => source.text.includes(f))) found.push(`${secret.label}: found in ${source.label}`);
    }
  }
  return found;
}

/** Every file under dir, recursively, except the directories named in `skip` (relative to dir). */
function filesUnder(dir: string, skip: string[], relative = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(dir, relative), { withFileTypes: true })) {
    const rel = path.join(relative, entry.name);
    if (entry.isDirectory()) {
      if (!skip.includes(rel)) out.push(...filesUnder(dir, skip, rel));
    } else if (entry.isFile()) out.push(rel);
  }
  return out;
}

/** String values under keys that name a secret (password, clientsecret, ...), at any depth. */
function secretFields(value: unknown, where: string): Secret[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => secretFields(v, `${where}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) =>
    typeof v === 'string' && /secret|password/i.test(k) ? [{ label: `${where}.${k}`, value: v }] : secretFields(v, `${where}.${k}`),
  );
}

const JWT = /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/;
const TOKEN_LIKE = /[A-Za-z0-9_~+/=.-]{16,}/g;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** "what: where" for every JWT, bearer token or issued access token (by its sha256) in the sources. */
function tokenLeaks(sources: Source[], issuedHashes: string[]): string[] {
  const issued = new Set(issuedHashes);
  const found: string[] = [];
  for (const source of sources) {
    if (JWT.test(source.text)) found.push(`a JWT in ${source.label}`);
    if (/"access_token"\s*:|Bearer [A-Za-z0-9._~+/-]{16,}/.test(source.text)) found.push(`a bearer token field in ${source.label}`);
    for (const candidate of source.text.match(TOKEN_LIKE) ?? []) {
      if (issued.has(sha256(candidate)) || issued.has(sha256(candidate.replace(/[.=]+$/, '')))) found.push(`an issued access token in ${source.label}`);
    }
  }
  return found;
}

let stack: OnboardingStack;
let telemetry: TelemetryCapture;
let completed: OnboardingView;
let wrongPasswordRun: OnboardingView;
let refusedDestinationRun: OnboardingView;
let waitingRun: OnboardingView;
let wrongBootstrapPassword: string;
let generatedPasswords: Secret[];
let secrets: Secret[];
let dataDirSources: Source[];
let apiSources: Source[];
let managementSources: Source[];
let issuedTokenHashes: string[];

const runs = () => [completed, wrongPasswordRun, refusedDestinationRun, waitingRun];

async function collectGeneratedPasswords(): Promise<Secret[]> {
  const dir = path.join(stack.dataDir, SECRET_STORE_DIR);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as { name: string; value: string; contentType?: string })
    .filter((s) => s.contentType === SECRET_CONTENT_TYPES.communicationUserPassword)
    .map((s) => ({ label: `generated password ${s.name}`, value: s.value }));
}

/** Every secret the secret store holds, and those we handed over ourselves (seeded and wrong). */
function collectSecrets(landscapes: Landscape[]): Secret[] {
  const dir = path.join(stack.dataDir, SECRET_STORE_DIR);
  const stored = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .flatMap((f) => {
      const record = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as { name: string; value: string; contentType?: string };
      let parsed: unknown;
      try {
        parsed = JSON.parse(record.value);
      } catch {
        return [{ label: `stored secret ${record.name}`, value: record.value }];
      }
      return secretFields(parsed, `stored secret ${record.name}`);
    });
  const handedOver = landscapes.flatMap((l) => [
    { label: `${l.tenant} service key clientsecret`, value: l.serviceKey.clientsecret },
    { label: `${l.tenant} bootstrap password`, value: l.bootstrapUser.password },
    ...l.prepared.credentials.flatMap((c) => secretFields(c.value, `${l.tenant} credential ${c.name}`)),
  ]);
  const all = [...stored, ...handedOver, { label: 'wrong bootstrap password', value: wrongBootstrapPassword }];
  const unique = new Map(all.map((s) => [s.value, s]));
  return [...unique.values()];
}

async function collectApiAnswers(): Promise<Source[]> {
  const sources: Source[] = [];
  const call = async (p: string) => {
    const answer = await stack.api('GET', p);
    sources.push({ label: `GET ${p} (HTTP ${answer.status})`, text: `${JSON.stringify(answer.headers)}\n${answer.text}` });
    return answer;
  };
  const list = await call('/api/onboardings');
  expect(list.status).toBe(200);
  for (const status of ['completed', 'failed', 'waiting for manual step']) await call(`/api/onboardings?status=${encodeURIComponent(status)}`);
  for (const run of runs()) {
    // 200 once a run has ended, 202 while it has not (the waiting run): the view is in the body either way.
    expect([200, 202]).toContain((await call(`/api/onboardings/${run.id}`)).status);
    await call(`/api/onboardings/${run.id}/certificate`);
  }
  expect((await call(`/api/onboardings/${waitingRun.id}/certificate`)).status).toBe(200);
  for (const l of stack.landscapes) for (const c of l.prepared.credentials) expect((await call(`/api/credentials/${c.name}`)).status).toBe(200);
  return sources;
}

async function collectManagementAnswers(): Promise<Source[]> {
  const sources: Source[] = [];
  const base = '/runtime/webhooks/durabletask/instances';
  const call = async (p: string) => {
    const answer = await stack.api('GET', p, undefined, { key: stack.masterKey });
    expect([200, 202]).toContain(answer.status);
    sources.push({ label: `GET ${p}`, text: answer.text });
  };
  await call(`${base}?showInput=true`);
  for (const run of runs()) await call(`${base}/${encodeURIComponent(run.id)}?showHistory=true&showHistoryOutput=true&showInput=true`);
  return sources;
}

/** The sandbox persists its state, with the sha256 of every access token its XSUAA issued. */
async function issuedXsuaaTokenHashes(ready: (hashes: string[]) => boolean = (h) => h.length > 0): Promise<string[]> {
  const file = path.join(path.dirname(stack.dataDir), 'sandbox-data', 'sandbox', 'state.json');
  let hashes: string[] = [];
  for (let i = 0; i < 50; i++) {
    if (existsSync(file)) hashes = Object.keys(JSON.parse(readFileSync(file, 'utf8')).slices?.btp?.tokens ?? {});
    if (ready(hashes)) return hashes;
    await new Promise((r) => setTimeout(r, 100));
  }
  return hashes;
}

beforeAll(async () => {
  telemetry = await startTelemetryCapture();
  stack = await startOnboardingStack({ landscapes: 4, ...telemetry.stackOptions });
  const [done, wrongPassword, refusedDestination, manual] = stack.landscapes;

  completed = await stack.onboard(done.request());

  // An administrator stored the wrong SAP_COM_0A48 password: S/4 answers 401.
  wrongBootstrapPassword = `Wrong-${randomBytes(18).toString('base64url')}`;
  const bootstrap = wrongPassword.prepared.credentials.find((c) => c.name === wrongPassword.request().s4.bootstrapUserSecret)!;
  const put = await stack.api('PUT', `/api/credentials/${bootstrap.name}`, {
    value: { user: wrongPassword.bootstrapUser.name, password: wrongBootstrapPassword },
    contentType: bootstrap.contentType,
  });
  expect(put.status).toBe(204);
  wrongPasswordRun = await stack.onboard(wrongPassword.request());

  // The Destination service refuses the destination write, which carries the generated password.
  await stack.setFaults([{ method: 'POST', path: 'subaccountDestinations$', errorRate: 1, status: 403 }]);
  try {
    refusedDestinationRun = await stack.onboard(refusedDestination.request());
  } finally {
    await stack.clearFaults();
  }

  await stack.setSwitches(manual.tenant, { rejectSigningCertificateField: true });
  waitingRun = await stack.onboard(manual.request());
  // A confirmation before the upload: one more round through the activity, then still waiting.
  expect((await stack.api('POST', `/api/onboardings/${waitingRun.id}/manual-steps/communicationSystem`, {})).status).toBe(202);
  waitingRun = await stack.waitFor(waitingRun.id, (v) => v.status !== 'running' && v.manualAction?.lastVerification !== undefined, 60_000);

  generatedPasswords = await collectGeneratedPasswords();
  secrets = collectSecrets(stack.landscapes);
  dataDirSources = filesUnder(stack.dataDir, [SECRET_STORE_DIR]).map((f) => ({ label: `DATA_DIR/${f}`, text: readFileSync(path.join(stack.dataDir, f), 'utf8') }));
  apiSources = await collectApiAnswers();
  managementSources = await collectManagementAnswers();
  issuedTokenHashes = await issuedXsuaaTokenHashes();
});

afterAll(async () => {
  destroySharedSapAgents();
  await stack?.stop();
  await telemetry?.stop();
});

const devhostLogs = (): Source[] => [{ label: 'devhost stdout/stderr', text: stack.devhostOutput() }];
/** What the in-process exporter captured and what reached the loopback ingestion endpoint so far. */
const telemetrySources = (): Source[] => [
  { label: 'exported telemetry (in-process exporter)', text: telemetry.rawText() },
  ...telemetry.ingested().map((text, i) => ({ label: `Application Insights ingestion request ${i + 1}`, text })),
];
const everything = (): Source[] => [...dataDirSources, ...apiSources, ...managementSources, ...devhostLogs(), ...telemetrySources()];

describe('the runs the audit looks at', () => {
  it('are one completed, one failed on the wrong password, one failed on the destination write, one waiting for the manual step', () => {
    expect({ status: completed.status, verified: completed.result?.tokenExchangeVerified }).toEqual({ status: 'completed', verified: true });
    expect(wrongPasswordRun.status).toBe('failed');
    expect(wrongPasswordRun.error?.step).toBe('preflight');
    expect(refusedDestinationRun.status).toBe('failed');
    expect(refusedDestinationRun.error?.step).toBe('destination');
    expect(waitingRun.status).toBe('waiting for manual step');
    expect(waitingRun.manualAction?.lastVerification).toEqual(expect.any(String));
  });

  it('generated a password of at least 32 characters for each communication user created, kept in the secret store', () => {
    // Users exist for the completed, the destination-refused and the waiting run; the wrong password stopped the other before.
    expect(generatedPasswords).toHaveLength(3);
    for (const p of generatedPasswords) expect(p.value.length).toBeGreaterThanOrEqual(32);
    expect(new Set(generatedPasswords.map((p) => p.value)).size).toBe(3);
    for (const p of generatedPasswords) expect(secrets.map((s) => s.value)).toContain(p.value);
    // 4 client secrets, 4 seeded bootstrap passwords, the wrong one, 3 generated passwords.
    expect(secrets.length).toBeGreaterThanOrEqual(12);
    expect(secrets.every((s) => s.value.length >= 16)).toBe(true);
  });

  it('covers a corpus that holds every run: DATA_DIR, the API answers, the management API and the logs', () => {
    for (const [name, sources] of Object.entries({ dataDir: dataDirSources, api: apiSources, management: managementSources, logs: devhostLogs() })) {
      const text = sources.map((s) => s.text).join('\n');
      for (const run of runs()) expect([name, text.includes(run.id)]).toEqual([name, true]);
    }
    // The Durable inputs are in there: the secret names, by which requests refer to credentials.
    const management = managementSources.map((s) => s.text).join('\n');
    for (const l of stack.landscapes) expect(management).toContain(l.request().s4.bootstrapUserSecret);
    expect(dataDirSources.map((s) => s.label)).toEqual(expect.arrayContaining([expect.stringMatching(/journal/)]));
  });

  it('has a detector that finds a secret as is, URL-encoded, and inside Basic auth at every alignment', () => {
    const secret = generatedPasswords[0];
    for (const user of ['', 'a', 'ab', 'COM0501_1A2B3C4D']) {
      const basic = `Authorization: Basic ${Buffer.from(`${user}:${secret.value}`).toString('base64')}`;
      expect(leaks([secret], [{ label: 'basic', text: basic }])).toHaveLength(1);
    }
    expect(leaks([secret], [{ label: 'form', text: `password=${encodeURIComponent(secret.value)}&x=1` }])).toHaveLength(1);
    expect(leaks([secret], [{ label: 'clean', text: completed.id }])).toHaveLength(0);
  });

  it('has a token detector that recognizes an access token XSUAA issued, by shape and by hash', async () => {
    const l = stack.landscapes[0];
    const answer = await stack.sap(`${l.serviceKey.url}/oauth/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${encodeURIComponent(l.serviceKey.clientid)}:${encodeURIComponent(l.serviceKey.clientsecret)}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    });
    expect(answer.status).toBe(200);
    const token: string = answer.json().access_token;
    const hashes = await issuedXsuaaTokenHashes((h) => h.includes(sha256(token)));
    const planted = [{ label: 'planted', text: `token ${token.split('.').reverse().join('.')}` }];
    expect(tokenLeaks(planted, [])).toEqual([]);
    expect(tokenLeaks(planted, hashes)).toEqual([]);
    expect(tokenLeaks([{ label: 'planted', text: `token ${token}.` }], hashes)).toEqual(['a JWT in planted', 'an issued access token in planted']);
  });
});

describe('no secret value appears', () => {
  it('in DATA_DIR outside the secret store: Durable journal and state, registry, timers, host keys', () => {
    expect(leaks(secrets, dataDirSources)).toEqual([]);
  });

  it('in any status, list, certificate or credential answer of the onboarding API', () => {
    expect(leaks(secrets, apiSources)).toEqual([]);
  });

  it('in the Durable management API status with history, history output and input', () => {
    expect(leaks(secrets, managementSources)).toEqual([]);
  });

  it("in devhost's logs", () => {
    expect(leaks(secrets, devhostLogs())).toEqual([]);
  });

  it('in the exported telemetry: spans, log lines and events of every run, as captured and as sent to Application Insights', async () => {
    // Azure Monitor's exporter sends in batches, every few seconds.
    const deadline = Date.now() + 20_000;
    while (!telemetry.ingested().some((b) => b.includes(waitingRun.id)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
    const sources = telemetrySources();
    for (const run of runs()) expect([run.id, sources[0].text.includes(run.id)]).toEqual([run.id, true]);
    expect(sources.length).toBeGreaterThan(1);
    expect(leaks(secrets, sources)).toEqual([]);
  });

  it('as an OAuth access token: no JWT and none of the tokens XSUAA issued', () => {
    // The product did fetch tokens (for the Destination service), so there were some to leak.
    expect(issuedTokenHashes.length).toBeGreaterThan(0);
    expect(tokenLeaks(everything(), issuedTokenHashes)).toEqual([]);
  });
});
