/**
 * The compiled `sap-trust` binary against a scripted function app on loopback: what it sends
 * (key header, body), how it follows a run, and which exit code and text each answer produces.
 */
import { spawn } from 'node:child_process';
import { outputOf, type ChildOutput } from '../../support/childOutput';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { completedView, failedView, runningView, waitingView } from '../../unit/cli/onboardingViews';

const CLI = resolve(__dirname, '../../../dist/cli/main.js');
const KEY = 'test-function-key';

interface Seen {
  method: string;
  url: string;
  key?: string;
  body: string;
}

type Answer = { status: number; body?: unknown };

/** A function app whose answers a test scripts: each route takes answers from its queue, the last one repeats. */
class ScriptedApp {
  seen: Seen[] = [];
  script = new Map<string, Answer[]>();
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }

  on(route: string, ...answers: Answer[]): void {
    this.script.set(route, answers);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of req) body += chunk;
    const key = req.headers['x-functions-key'] as string | undefined;
    this.seen.push({ method: req.method!, url: req.url!, key, body });
    const answer = key !== KEY ? { status: 401 } : this.next(`${req.method} ${req.url!.split('?')[0]}`);
    res.writeHead(answer.status, answer.body === undefined ? {} : { 'content-type': 'application/json' });
    res.end(answer.body === undefined ? undefined : JSON.stringify(answer.body));
  }

  private next(route: string): Answer {
    const queue = this.script.get(route);
    if (!queue?.length) return { status: 404, body: { error: `no script for ${route}` } };
    return queue.length > 1 ? queue.shift()! : queue[0];
  }
}

type Run = ChildOutput;

function cli(args: string[], options: { stdin?: string; env?: Record<string, string> } = {}): Promise<Run> {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH ?? '', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const output = outputOf(child);
  child.stdin.end(options.stdin ?? '');
  return output;
}

const ID = 'onboard-my100001-0a1b2c3d';
const request = { s4: { tenant: 'my100001' }, btp: { subaccountId: '0a1b2c3d-1111-2222-3333-444455556666' } };
let app: ScriptedApp;
let dir: string;
let requestFile: string;
let target: string[];

beforeAll(async () => {
  app = new ScriptedApp();
  await app.start();
  dir = mkdtempSync(join(tmpdir(), 'sap-trust-cli-'));
  requestFile = join(dir, 'tenant.json');
  writeFileSync(requestFile, JSON.stringify(request));
  target = ['--url', app.url, '--key', KEY, '--interval', '50'];
});

afterAll(async () => {
  await app.stop();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  app.seen = [];
  app.script.clear();
});

describe('sap-trust onboard', () => {
  it('posts the file, follows the run with the key until it completes, prints the destination, exits 0', async () => {
    app.on('POST /api/onboardings', { status: 202, body: runningView(0) });
    app.on(`GET /api/onboardings/${ID}`, { status: 200, body: runningView(2) }, { status: 200, body: runningView(6) }, { status: 200, body: completedView() });
    const run = await cli(['onboard', requestFile, ...target]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(app.seen[0].body)).toEqual(request);
    expect(app.seen.every((s) => s.key === KEY)).toBe(true);
    expect(app.seen.filter((s) => s.method === 'GET')).toHaveLength(3);
    expect(run.stdout.match(/ \d\/9 /g)).toHaveLength(9);
    expect(run.stdout).toMatch(/Destination +S4_my100001_SAML/);
    expect(run.stdout).toContain('token exchange verified');
  });

  it('reads the URL and key from SAP_TRUST_URL and SAP_TRUST_KEY', async () => {
    app.on('POST /api/onboardings', { status: 202, body: completedView() });
    const run = await cli(['onboard', requestFile], { env: { SAP_TRUST_URL: app.url, SAP_TRUST_KEY: KEY } });
    expect(run.code).toBe(0);
    expect(app.seen[0].key).toBe(KEY);
  });

  it('prints every field error of a 400 and exits 1', async () => {
    app.on('POST /api/onboardings', {
      status: 400,
      body: { error: 'invalid request', fields: [{ field: 's4.host', message: 'not an allowlisted SAP host' }, { field: 'scenarioId', message: 'must look like SAP_COM_0501' }] },
    });
    const run = await cli(['onboard', requestFile, ...target]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('invalid request (HTTP 400)');
    expect(run.stderr).toContain('- s4.host: not an allowlisted SAP host');
    expect(run.stderr).toContain('- scenarioId: must look like SAP_COM_0501');
  });

  it('prints the field errors of a 422 too', async () => {
    app.on('POST /api/onboardings', { status: 422, body: { error: 'invalid request', fields: [{ field: 'btp.serviceKeySecret', message: "no secret named 'x'" }] } });
    const run = await cli(['onboard', requestFile, ...target]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("- btp.serviceKeySecret: no secret named 'x'");
  });

  it('on 409 names the running onboarding and how to follow it', async () => {
    app.on('POST /api/onboardings', { status: 409, body: { error: 'an onboarding for my100001 is already running', id: ID, statusUrl: `/api/onboardings/${ID}` } });
    const run = await cli(['onboard', requestFile, ...target]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('already running (HTTP 409)');
    expect(run.stderr).toContain(`sap-trust follow ${ID}`);
  });

  it('prints the failed step with its fix and exits 1', async () => {
    app.on('POST /api/onboardings', { status: 202, body: runningView(3) });
    app.on(`GET /api/onboardings/${ID}`, { status: 200, body: failedView() });
    const run = await cli(['onboard', requestFile, ...target]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('Fix: Give the technical user on my100001 the authorization');
  });

  it('with --no-wait stops at a manual step, shows the certificate URL, exits 3', async () => {
    app.on('POST /api/onboardings', { status: 202, body: runningView(1) });
    app.on(`GET /api/onboardings/${ID}`, { status: 200, body: waitingView() });
    const run = await cli(['onboard', requestFile, '--no-wait', ...target]);
    expect(run.code).toBe(3);
    expect(run.stdout).toContain(`sap-trust certificate ${ID} --url ${app.url}`);
    expect(run.stdout).toContain(`GET ${app.url}/api/onboardings/${ID}/attachments/certificate with header x-functions-key`);
    expect(run.stdout).toContain(`sap-trust resume ${ID} communicationSystem --url ${app.url}`);
  });

  it('without --no-wait keeps following through the manual step until the run ends', async () => {
    app.on('POST /api/onboardings', { status: 202, body: waitingView() });
    app.on(`GET /api/onboardings/${ID}`, { status: 200, body: waitingView() }, { status: 200, body: runningView(5) }, { status: 200, body: completedView() });
    const run = await cli(['onboard', requestFile, ...target]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Waiting for manual step');
    expect(run.stdout).toContain('token exchange verified');
  });

  it('says the key was refused on 401, naming the URL', async () => {
    const run = await cli(['onboard', requestFile, '--url', app.url, '--key', 'wrong']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`the function key (from --key) was refused by ${app.url} (HTTP 401)`);
  });

  it('exits 2 on bad usage and on an unreadable or invalid request file, sending nothing', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ not json');
    expect((await cli(['onboard', ...target])).code).toBe(2);
    expect((await cli(['onboard', join(dir, 'missing.json'), ...target])).code).toBe(2);
    const invalid = await cli(['onboard', bad, ...target]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('is not valid JSON');
    expect(app.seen).toHaveLength(0);
  });

  it('says when the function app cannot be reached', async () => {
    const closed = new ScriptedApp();
    await closed.start();
    await closed.stop();
    const run = await cli(['status', ID, '--url', closed.url, '--key', KEY]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`cannot reach ${closed.url}`);
  });
});

describe('other commands', () => {
  it('status prints one snapshot and exits by its status', async () => {
    app.on(`GET /api/onboardings/${ID}`, { status: 200, body: failedView() });
    const run = await cli(['status', ID, ...target]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('status: failed');
    expect(app.seen).toHaveLength(1);
  });

  it('status of an unknown id exits 1', async () => {
    const run = await cli(['status', 'nope', ...target]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('HTTP 404');
  });

  it('resume posts the manual step and follows the run to the end', async () => {
    app.on(`POST /api/onboardings/${ID}/manual-steps/communicationSystem`, { status: 202 });
    app.on(`GET /api/onboardings/${ID}`, { status: 200, body: waitingView() }, { status: 200, body: runningView(4) }, { status: 200, body: completedView() });
    const run = await cli(['resume', ID, 'communicationSystem', '--note', 'uploaded', ...target]);
    expect(run.code).toBe(0);
    // It reads the run first, so that the wait it confirms is not shown as the result of the check.
    expect(app.seen[1]).toMatchObject({ method: 'POST', url: `/api/onboardings/${ID}/manual-steps/communicationSystem` });
    expect(JSON.parse(app.seen[1].body)).toEqual({ note: 'uploaded' });
    expect(run.stdout).not.toContain('Waiting for manual step');
    expect(run.stdout).toContain('token exchange verified');
  });

  it('resume of a run that is not waiting exits 1 with the server message', async () => {
    app.on(`GET /api/onboardings/${ID}`, { status: 200, body: runningView(4) });
    app.on(`POST /api/onboardings/${ID}/manual-steps/communicationSystem`, { status: 409, body: { error: 'the run is not waiting for communicationSystem' } });
    const run = await cli(['resume', ID, 'communicationSystem', ...target]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('not waiting for communicationSystem');
  });

  it('list sends the status filter and prints a table', async () => {
    app.on('GET /api/onboardings', { status: 200, body: { items: [runningView(2), failedView()] } });
    const run = await cli(['list', '--status', 'running,failed', ...target]);
    expect(run.code).toBe(0);
    expect(app.seen[0].url).toBe('/api/onboardings?status=running%2Cfailed');
    expect(run.stdout.split('\n')[0]).toMatch(/^ID +STATUS +TENANT/);
    expect(run.stdout).toMatch(new RegExp(`${ID} +running +my100001`));
    expect(run.stdout).toMatch(new RegExp(`${ID} +failed`));
  });

  it('credentials set sends the value from stdin and never prints it', async () => {
    const secret = 'Sup3r-S3cret-Value!';
    app.on('PUT /api/credentials/s4-bootstrap', { status: 204 });
    const run = await cli(['credentials', 'set', 's4-bootstrap', '--from-stdin', ...target], { stdin: `${secret}\n` });
    expect(run.code).toBe(0);
    expect(JSON.parse(app.seen[0].body)).toEqual({ value: secret });
    expect(run.stdout + run.stderr).not.toContain(secret);
    expect(run.stdout).toContain("Stored credential 's4-bootstrap'");
  });

  it('credentials set sends a service key file as a JSON object, and a rejection does not echo it', async () => {
    const keyFile = join(dir, 'service-key.json');
    writeFileSync(keyFile, JSON.stringify({ clientid: 'sb-1', clientsecret: 'cs-XYZ-123', url: 'https://x.authentication.eu10.hana.ondemand.com' }));
    app.on('PUT /api/credentials/dest-key', { status: 400, body: { error: 'invalid request', fields: [{ field: 'value.uri', message: 'required' }] } });
    const run = await cli(['credentials', 'set', 'dest-key', '--from-file', keyFile, ...target]);
    expect(run.code).toBe(1);
    expect(JSON.parse(app.seen[0].body).value.clientsecret).toBe('cs-XYZ-123');
    expect(run.stderr).toContain('- value.uri: required');
    expect(run.stdout + run.stderr).not.toContain('cs-XYZ-123');
  });
});
