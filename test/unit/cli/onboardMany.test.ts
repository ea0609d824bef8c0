/**
 * Several onboardings from the CLI against a fake run API that records how many runs are in flight:
 * the concurrency bound, a 409 followed instead of failing, refused and waiting runs, the exit code,
 * Ctrl-C, and request files read (and rejected) before anything starts.
 */
import { parseCommandLine, UsageError } from '../../../cli/commandLine';
import { EXIT } from '../../../cli/exitCodes';
import { ApiError, UnreachableError } from '../../../cli/onboardingApi';
import type { OnboardingView } from '../../../cli/onboardingView';
import { batchExitCode, onboardMany, runBatch, type BatchApi } from '../../../cli/onboardMany';
import { readBatchRequests, type BatchRequest } from '../../../cli/requestFiles';
import { completedView, runningView, waitingView } from './onboardingViews';

const tick = () => new Promise((r) => setTimeout(r, 1));

/** Tenant my10000<n> finishes after `pollsOf(n)` polls; what a tenant's start does can be scripted. */
class FakeRunApi implements BatchApi {
  inFlight = 0;
  maxInFlight = 0;
  starts: string[] = [];
  private readonly polls = new Map<string, number>();
  private readonly ended = new Set<string>();

  constructor(
    private readonly pollsOf: (tenant: string) => number = () => 2,
    /** A tenant's start that throws (409, 400, unreachable), or a run that ends waiting for a person. */
    private readonly script: Record<string, (() => never) | 'waits'> = {},
  ) {}

  async startOnboarding(request: unknown): Promise<OnboardingView> {
    const tenant = (request as { tenant: string }).tenant;
    this.starts.push(tenant);
    await tick();
    const id = `onboard-${tenant}-r1`;
    const scripted = this.script[tenant];
    if (typeof scripted === 'function') scripted();
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    return this.view(id, runningView(0));
  }

  async getOnboarding(id: string): Promise<OnboardingView> {
    await tick();
    const tenant = id.split('-')[1];
    const polls = (this.polls.get(id) ?? 0) + 1;
    this.polls.set(id, polls);
    if (polls < this.pollsOf(tenant)) return this.view(id, runningView(Math.min(polls, 8)));
    const waits = this.script[tenant] === 'waits';
    if (!this.ended.has(id)) {
      this.ended.add(id);
      this.inFlight--;
    }
    return this.view(id, waits ? waitingView() : completedView());
  }

  private view(id: string, view: OnboardingView): OnboardingView {
    return { ...view, id, tenant: id.split('-')[1] };
  }
}

const requests = (count: number): BatchRequest[] =>
  Array.from({ length: count }, (_, i) => ({ source: `t${i + 1}.json`, tenant: `my10000${i + 1}`, request: { tenant: `my10000${i + 1}` } }));

describe('onboarding several tenants at once', () => {
  it('never has more than --concurrency runs in flight, and uses all of them', async () => {
    const api = new FakeRunApi((tenant) => 1 + (Number(tenant.slice(-1)) % 3));
    const outcome = await runBatch(requests(7), api, { concurrency: 3, intervalMs: 1 });
    expect(api.maxInFlight).toBe(3);
    expect(api.starts).toHaveLength(7);
    expect(outcome.runs.map((r) => r.view?.status)).toEqual(Array(7).fill('completed'));
    expect(batchExitCode(outcome)).toBe(EXIT.success);
  });

  it('with --concurrency 1 runs the tenants one after another', async () => {
    const api = new FakeRunApi();
    await runBatch(requests(3), api, { concurrency: 1, intervalMs: 1 });
    expect(api.maxInFlight).toBe(1);
    expect(api.starts).toEqual(['my100001', 'my100002', 'my100003']);
  });

  it('follows the run already going when a tenant answers 409, instead of failing the batch', async () => {
    const api = new FakeRunApi(() => 2, {
      my100002: () => {
        throw new ApiError('Onboarding onboard-my100002-r7 for the same target is still running', 409, [], 'onboard-my100002-r7');
      },
    });
    const outcome = await runBatch(requests(3), api, { concurrency: 2, intervalMs: 1 });
    const second = outcome.runs[1];
    expect(second.alreadyRunning).toBe(true);
    expect(second.view).toMatchObject({ id: 'onboard-my100002-r7', status: 'completed' });
    expect(batchExitCode(outcome)).toBe(EXIT.success);
  });

  it('fails only the tenant whose request is refused, and then exits 1', async () => {
    const api = new FakeRunApi(() => 2, {
      my100001: () => {
        throw new ApiError('the request has 1 field error', 400, [{ field: 's4.host', message: 'must be an S/4HANA Cloud API host' }]);
      },
    });
    const outcome = await runBatch(requests(3), api, { concurrency: 2, intervalMs: 1 });
    expect(outcome.runs[0]).toMatchObject({ phase: 'ended', refused: { status: 400, fields: [{ field: 's4.host' }] } });
    expect(outcome.runs.slice(1).map((r) => r.view?.status)).toEqual(['completed', 'completed']);
    expect(batchExitCode(outcome)).toBe(EXIT.failure);
  });

  it('frees the place of a run that waits for a manual step, and exits 3 when nothing failed', async () => {
    const api = new FakeRunApi(() => 2, { my100001: 'waits' });
    const outcome = await runBatch(requests(2), api, { concurrency: 1, intervalMs: 1 });
    expect(outcome.runs.map((r) => r.view?.status)).toEqual(['waiting for manual step', 'completed']);
    expect(batchExitCode(outcome)).toBe(EXIT.waitingForManualStep);
  });

  it('starts nothing more once the function app cannot be reached', async () => {
    const api = new FakeRunApi(() => 2, {
      my100001: () => {
        throw new UnreachableError('http://127.0.0.1:7071', new Error('ECONNREFUSED'));
      },
    });
    const outcome = await runBatch(requests(5), api, { concurrency: 1, intervalMs: 1 });
    expect(api.starts).toEqual(['my100001']);
    expect(outcome.fatal).toBeInstanceOf(UnreachableError);
    expect(outcome.runs.every((r) => r.phase === 'queued')).toBe(true);
    expect(batchExitCode(outcome)).toBe(EXIT.failure);
  });

  it('on Ctrl-C starts nothing more and stops following, leaving the runs going', async () => {
    const stop = new AbortController();
    const api = new FakeRunApi(() => 1000);
    const outcome = await runBatch(requests(4), api, {
      concurrency: 2,
      intervalMs: 1,
      signal: stop.signal,
      onChange: (runs) => runs.filter((r) => r.view).length === 2 && stop.abort(),
    });
    expect(api.starts).toHaveLength(2);
    expect(outcome.runs.map((r) => r.view?.status)).toEqual(['running', 'running', undefined, undefined]);
    expect(batchExitCode(outcome)).toBe(EXIT.interrupted);
  });
});

describe('request files', () => {
  const files: Record<string, string> = {
    'a.json': JSON.stringify({ s4: { host: 'my100001-api.s4hana.ondemand.com' } }),
    'dir/many.json': JSON.stringify([{ s4: { host: 'my100002-api.s4hana.ondemand.com' } }, { s4: { host: 'my100003-api.s4hana.ondemand.com' } }]),
    'dir/list.txt': '# tenants of wave 1\nb.json\n\n/abs/c.json\n',
    'dir/b.json': JSON.stringify({ s4: { host: 'my100004-api.s4hana.ondemand.com' } }),
    '/abs/c.json': JSON.stringify({ s4: { host: 'my100005-api.s4hana.ondemand.com' } }),
    'broken.json': '{ "s4": ',
    'dir/bad-list.txt': 'missing.json\n',
    'number.json': '42',
  };
  const readFile = async (path: string) => {
    if (!(path in files)) throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
    return files[path];
  };

  it('takes request files, JSON arrays of requests and lists of request files relative to the list', async () => {
    const read = await readBatchRequests(['a.json', 'dir/many.json', 'dir/list.txt'], readFile);
    expect(read).toEqual({
      ok: true,
      requests: [
        expect.objectContaining({ source: 'a.json', tenant: 'my100001' }),
        expect.objectContaining({ source: 'dir/many.json[0]', tenant: 'my100002' }),
        expect.objectContaining({ source: 'dir/many.json[1]', tenant: 'my100003' }),
        expect.objectContaining({ source: 'dir/b.json', tenant: 'my100004' }),
        expect.objectContaining({ source: '/abs/c.json', tenant: 'my100005' }),
      ],
    });
  });

  it('refuses two requests for the same tenant and subaccount before anything starts', async () => {
    const request = { s4: { host: 'my100001-api.s4hana.ondemand.com' }, btp: { subaccountId: 'ABC-1' } };
    const twice: Record<string, string> = { 'x.json': JSON.stringify(request), 'y.json': JSON.stringify([{ ...request, btp: { subaccountId: 'abc-1' } }]) };
    expect(await readBatchRequests(['x.json', 'y.json'], async (p) => twice[p])).toEqual({
      ok: false,
      problems: ['x.json and y.json[0]: both onboard tenant my100001 to subaccount abc-1; keep one'],
    });
    // The same tenant to another subaccount is another onboarding.
    twice['y.json'] = JSON.stringify({ ...request, btp: { subaccountId: 'other' } });
    expect(await readBatchRequests(['x.json', 'y.json'], async (p) => twice[p])).toMatchObject({ ok: true });
  });

  it('names every file that cannot be used, with its path, and starts nothing', async () => {
    const api = new FakeRunApi();
    let stderr = '';
    const code = await onboardMany(
      { kind: 'onboard many', files: ['a.json', 'broken.json', 'dir/bad-list.txt', 'number.json'], concurrency: 2 },
      api,
      undefined,
      1,
      { stdout: { write: () => true }, stderr: { write: (t: string) => (stderr += t) }, readFile, onInterrupt: () => () => undefined },
      { color: false },
    );
    expect(code).toBe(EXIT.usage);
    expect(api.starts).toEqual([]);
    expect(stderr).toContain('nothing was started: 3 request files cannot be used');
    expect(stderr).toMatch(/- broken\.json: not valid JSON/);
    expect(stderr).toContain('- dir/missing.json (listed in dir/bad-list.txt): cannot read it (ENOENT)');
    expect(stderr).toContain('- number.json: not an onboarding request');
  });
});

describe('the command line for several tenants', () => {
  it('takes several files with --concurrency (default 4), and keeps one file the single onboarding', () => {
    expect(parseCommandLine(['onboard', 'a.json', 'b.json', '--concurrency', '2']).command).toEqual({ kind: 'onboard many', files: ['a.json', 'b.json'], concurrency: 2 });
    expect(parseCommandLine(['onboard', 'a.json', 'b.json']).command).toMatchObject({ concurrency: 4 });
    expect(parseCommandLine(['onboard', 'tenants.txt', '--concurrency', '3']).command).toEqual({ kind: 'onboard many', files: ['tenants.txt'], concurrency: 3 });
    expect(parseCommandLine(['onboard', 'a.json']).command).toEqual({ kind: 'onboard', file: 'a.json', wait: true });
  });

  it('rejects a concurrency that is not a whole number from 1 to 64, and --no-wait with several files', () => {
    for (const n of ['0', '1.5', 'many', '65']) expect(() => parseCommandLine(['onboard', 'a.json', 'b.json', '--concurrency', n])).toThrow(/--concurrency must be a whole number from 1 to 64/);
    expect(() => parseCommandLine(['onboard', 'a.json', 'b.json', '--no-wait'])).toThrow(UsageError);
  });
});
