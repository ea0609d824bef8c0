/**
 * `sap-trust onboard a.json b.json … [--concurrency N]`: several tenants at once. Every request is
 * read before the first run starts; then at most N runs are in flight, a new one starting when one
 * ends or stops to wait for a person. A request whose tenant already has a run going (409) follows
 * that run instead of failing the batch. Ctrl-C stops following; the runs go on on the server.
 */
import { reportError } from './errorReport';
import { EXIT, type ExitCode } from './exitCodes';
import { FollowInterrupted, followOnboarding } from './followOnboarding';
import { ApiError, UnreachableError, type ApiTarget, type FieldError, type OnboardingApi } from './onboardingApi';
import type { OnboardingView } from './onboardingView';
import { ManyView, runState, type ManyOutput, type ManyRenderOptions } from './manyView';
import type { OnboardManyCommand } from './onboardManyCommand';
import { readBatchRequests, type BatchRequest } from './requestFiles';

/** All the batch needs of the API; tests give a fake. */
export type BatchApi = Pick<OnboardingApi, 'startOnboarding' | 'getOnboarding'>;

/** One tenant of the batch, as it goes: the table's row and the summary's entry. */
export interface TenantRun extends BatchRequest {
  phase: 'queued' | 'starting' | 'following' | 'ended';
  /** The run as last seen; set once started (or, on a 409, the run that was already going). */
  view?: OnboardingView;
  /** The start answered 409: `view` is the run that was already going, followed instead. */
  alreadyRunning?: boolean;
  /** The start was refused (400, 422, …): no run exists for this request. */
  refused?: { message: string; status?: number; fields: FieldError[] };
  /** Following stopped on an error; the run itself may go on. */
  lost?: string;
}

export interface BatchOptions {
  concurrency: number;
  intervalMs: number;
  /** Ctrl-C: start nothing more, stop following (the runs go on). */
  signal?: AbortSignal;
  /** Called after every change of any run. */
  onChange?: (runs: readonly TenantRun[]) => void;
}

export interface BatchOutcome {
  runs: TenantRun[];
  interrupted: boolean;
  /** The function app could not be reached, or refused the key: nothing more was started. */
  fatal?: unknown;
}

export async function runBatch(requests: BatchRequest[], api: BatchApi, options: BatchOptions): Promise<BatchOutcome> {
  const runs: TenantRun[] = requests.map((r) => ({ ...r, phase: 'queued' }));
  const changed = () => options.onChange?.(runs);
  let next = 0;
  let fatal: unknown;
  const stopped = () => options.signal?.aborted || fatal !== undefined;

  const follow = async (run: TenantRun) => {
    try {
      run.view = await followOnboarding(api, run.view!, (view) => ((run.view = view), changed()), {
        intervalMs: options.intervalMs,
        // A run that waits for a person frees its place: the manual step may take days.
        stopWhenWaiting: true,
        signal: options.signal,
      });
    } catch (e) {
      if (e instanceof FollowInterrupted) return;
      run.lost = e instanceof Error ? e.message : String(e);
    }
    run.phase = 'ended';
    changed();
  };

  const start = async (run: TenantRun) => {
    run.phase = 'starting';
    changed();
    try {
      run.view = await api.startOnboarding(run.request);
    } catch (e) {
      if (e instanceof ApiError && e.status === 409 && e.conflictId) {
        run.alreadyRunning = true;
        try {
          run.view = await api.getOnboarding(e.conflictId);
        } catch (second) {
          return refuse(run, second);
        }
      } else if (e instanceof UnreachableError || (e instanceof ApiError && (e.status === 401 || e.status === 403))) {
        fatal ??= e;
        run.phase = 'queued';
        changed();
        return;
      } else {
        return refuse(run, e);
      }
    }
    run.phase = 'following';
    changed();
    await follow(run);
  };

  const refuse = (run: TenantRun, e: unknown) => {
    run.refused = e instanceof ApiError ? { message: e.message, status: e.status, fields: e.fields } : { message: e instanceof Error ? e.message : String(e), fields: [] };
    run.phase = 'ended';
    changed();
  };

  const worker = async () => {
    while (!stopped() && next < runs.length) await start(runs[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, runs.length) }, worker));
  return { runs, interrupted: Boolean(options.signal?.aborted), fatal };
}

/** 130 after Ctrl-C; 1 when any run failed or never started; else 3 when some wait for a person; else 0. */
export function batchExitCode(outcome: BatchOutcome): ExitCode {
  if (outcome.interrupted) return EXIT.interrupted;
  const states = outcome.runs.map(runState);
  if (outcome.fatal !== undefined || states.some((s) => s === 'failed' || s === 'queued')) return EXIT.failure;
  if (states.includes('waiting')) return EXIT.waitingForManualStep;
  return EXIT.success;
}

export interface BatchIo {
  stdout: ManyOutput;
  stderr: { write(text: string): unknown };
  readFile(path: string): Promise<string>;
  onInterrupt(handler: () => void): () => void;
}

/** The command: read every request, run the batch in one table, then the summary and the exit code. */
export async function onboardMany(
  command: OnboardManyCommand,
  api: BatchApi,
  target: ApiTarget | undefined,
  intervalMs: number,
  io: BatchIo,
  render: ManyRenderOptions,
): Promise<ExitCode> {
  const read = await readBatchRequests(command.files, io.readFile);
  if (!read.ok) {
    io.stderr.write(`sap-trust: nothing was started: ${read.problems.length === 1 ? 'a request file cannot be used' : `${read.problems.length} request files cannot be used`}\n`);
    for (const problem of read.problems) io.stderr.write(`  - ${problem}\n`);
    return EXIT.usage;
  }
  const view = new ManyView(io.stdout, render);
  const stop = new AbortController();
  const unsubscribe = io.onInterrupt(() => stop.abort());
  let outcome: BatchOutcome;
  try {
    view.begin(read.requests.length, command.concurrency);
    outcome = await runBatch(read.requests, api, { concurrency: command.concurrency, intervalMs, signal: stop.signal, onChange: (runs) => view.update(runs) });
  } finally {
    unsubscribe();
    view.close();
  }
  view.end(outcome.runs, outcome.interrupted);
  if (outcome.fatal !== undefined) reportError(outcome.fatal, target, (line) => io.stderr.write(`${line}\n`));
  return batchExitCode(outcome);
}
