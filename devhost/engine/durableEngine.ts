/**
 * The Durable engine: schedules orchestrator episodes (serialized per instance, several completions each),
 * a bounded activity pool, durable timers and sub-orchestrations, and keeps every change in the journal
 * before acting on it.
 */
import { randomUUID } from 'node:crypto';
import {
  InstanceAlreadyRunningError,
  InstanceNotFoundError,
  InstanceNotRunningError,
  UnknownOrchestratorError,
  type DurableEngine,
  type EngineClock,
  type EngineOptions,
  type InstanceStatus,
  type InvocationLogEntry,
  type ListQuery,
  type ListResult,
  type RegisteredFunction,
  type RuntimeStatus,
  type StatusQuery,
} from '../engineContract';
import { newExecutionId, pickDeliveries, planEpisode, prepareDelivery, roundTrip, type ChildStart } from './episodePlan';
import { errorMessage, EventType, failureFields, historyEvent, jsonText } from './historyEvents';
import {
  applyOperation,
  isTerminal,
  type InboxItem,
  type InstanceState,
  type JournalOperation,
  type PendingWork,
  type RetryTarget,
} from './instanceState';
import { invocationContextFor } from './invocationContext';
import { Journal } from './journal';
import { invokeOrchestrator } from './orchestratorInvocation';
import { listPage, matchesFilter, statusView } from './statusView';

export interface DevhostEngineOptions extends EngineOptions {
  /**
   * Completions delivered per orchestrator episode. 1 is the simple one-per-episode mode (quadratic replay
   * for fan-out); the default delivers everything that has arrived.
   */
  maxCompletionsPerEpisode?: number;
  /** How long stop() waits for in-flight activities. */
  stopGraceMs?: number;
  /** Journal size that triggers compaction. */
  compactAfterBytes?: number;
}

type ActivityJob = { instanceId: string; executionId: string; work: Extract<PendingWork, { kind: 'activity' }> };
type TimerWork = Extract<PendingWork, { kind: 'timer' }>;
type ArmedTimer = { handle: NodeJS.Timeout; fireAt: number; fire: () => void };
/** Someone in waitForCompletion: told when the instance ends, or let go (timer cleared) when the engine stops. */
type CompletionWaiter = { done: (state: InstanceState) => void; abandon: () => void };

const realTime: EngineClock = { now: () => Date.now() };

const MAX_TIMEOUT_MS = 2_147_483_647;
const INSTANCE_ID_FORBIDDEN = /[/\\#?\u0000-\u001f\u007f]/;

export class InvalidInstanceIdError extends Error {
  constructor(readonly instanceId: string, reason: string) {
    super(`Invalid instance id '${instanceId.slice(0, 300)}': ${reason}`);
    this.name = 'InvalidInstanceIdError';
  }
}

export class LocalDurableEngine implements DurableEngine {
  private readonly instances = new Map<string, InstanceState>();
  private readonly journal: Journal;
  private readonly maxActivities: number;
  private readonly maxPerEpisode: number;
  private startPromise: Promise<void> | undefined;
  private stopped = false;
  private readonly episodeRequests = new Set<string>();
  private readonly episodesRunning = new Set<string>();
  private pumpScheduled = false;
  private readonly activityQueue: ActivityJob[] = [];
  private activitiesRunning = 0;
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly timers = new Map<string, ArmedTimer>();
  private readonly clock: EngineClock;
  private stopWatchingClock: (() => void) | undefined;
  private readonly waiters = new Map<string, Set<CompletionWaiter>>();

  constructor(private readonly options: DevhostEngineOptions) {
    this.journal = new Journal(options.stateDir, options.compactAfterBytes);
    this.maxActivities = Math.max(1, options.maxConcurrentActivityFunctions ?? 10);
    this.maxPerEpisode = options.maxCompletionsPerEpisode ?? Number.POSITIVE_INFINITY;
    this.clock = options.clock ?? realTime;
    this.stopWatchingClock = this.clock.onAdvance?.(() => this.rearmTimers());
  }

  private now(): number {
    return this.clock.now();
  }

  // ---------------------------------------------------------------- lifecycle

  start(): Promise<void> {
    this.startPromise ??= this.load();
    return this.startPromise;
  }

  private async load(): Promise<void> {
    for (const operation of this.journal.load()) applyOperation(this.instances, operation);
    this.journal.rewrite(this.snapshot());
    for (const state of this.instances.values()) {
      if (!isTerminal(state.status)) this.resume(state);
    }
  }

  /** Re-arms what a running instance waits for after a restart. */
  private resume(state: InstanceState): void {
    for (const work of Object.values(state.work)) {
      if (work.kind === 'activity') this.enqueueActivity(state, work);
      else if (work.kind === 'timer') this.armTimer(state, work);
      else this.resumeChild(state, work);
    }
    if (state.inbox.length > 0) this.requestEpisode(state.instanceId);
  }

  private resumeChild(parent: InstanceState, work: Extract<PendingWork, { kind: 'subOrchestration' }>): void {
    const child = this.instances.get(work.childId);
    const ours = child?.parent?.instanceId === parent.instanceId && child.parent.taskId === work.id;
    if (!child || !ours) {
      this.startChildren(parent, [{ taskId: work.id, childId: work.childId, name: work.name, input: work.input }]);
    } else if (isTerminal(child.status)) {
      const notify = this.parentNotification(child);
      if (notify) this.commit([notify]);
      this.requestEpisode(parent.instanceId);
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    await this.startPromise?.catch(() => undefined);
    this.stopped = true;
    this.stopWatchingClock?.();
    for (const armed of this.timers.values()) clearTimeout(armed.handle);
    this.timers.clear();
    this.activityQueue.length = 0;
    const grace = new Promise((resolve) => setTimeout(resolve, this.options.stopGraceMs ?? 2000).unref());
    await Promise.race([Promise.allSettled([...this.inFlight]), grace]);
    // Settle every waiter and clear its timeout: a pending timer would keep the process (or a jest worker) alive.
    for (const waiters of this.waiters.values()) for (const waiter of waiters) waiter.abandon();
    this.waiters.clear();
    this.journal.close();
  }

  private async ready(): Promise<void> {
    if (this.stopped) throw new Error('devhost engine is stopped');
    await this.start();
  }

  // ---------------------------------------------------------------- journal

  private snapshot(): JournalOperation[] {
    return [...this.instances.values()].map((state) => ({ op: 'snapshot', state }));
  }

  /** Records operations, then applies them: nothing is acted on before it is in the journal. */
  private commit(operations: JournalOperation[]): void {
    if (this.stopped) throw new Error('devhost engine is stopped');
    this.journal.append(operations);
    for (const operation of operations) {
      const state = applyOperation(this.instances, operation);
      if (state && isTerminal(state.status)) this.settle(state);
    }
    if (this.journal.wantsCompaction) this.journal.rewrite(this.snapshot());
  }

  // ---------------------------------------------------------------- public API

  async startNew(orchestratorName: string, options: { instanceId?: string; input?: unknown }): Promise<string> {
    await this.ready();
    const orchestrator = this.options.registry.get(orchestratorName);
    if (!orchestrator || orchestrator.triggerType !== 'orchestrationTrigger') throw new UnknownOrchestratorError(orchestratorName);
    const instanceId = options.instanceId ?? randomUUID().replace(/-/g, '');
    validateInstanceId(instanceId);
    const existing = this.instances.get(instanceId);
    if (existing && !isTerminal(existing.status)) throw new InstanceAlreadyRunningError(instanceId);
    if (existing) this.disarmTimers(existing);
    this.commit([
      {
        op: 'start',
        id: instanceId,
        name: orchestrator.name,
        input: roundTrip(options.input),
        executionId: newExecutionId(),
        at: this.now(),
      },
    ]);
    this.requestEpisode(instanceId);
    return instanceId;
  }

  async getStatus(instanceId: string, query?: StatusQuery): Promise<InstanceStatus | undefined> {
    await this.ready();
    const state = this.instances.get(instanceId);
    return state && statusView(state, query);
  }

  async list(query: ListQuery = {}): Promise<ListResult> {
    await this.ready();
    const { page, continuationToken } = listPage(this.instances.values(), query);
    const instances = page.map((state) => statusView(state, { showInput: query.showInput ?? false }));
    return continuationToken ? { instances, continuationToken } : { instances };
  }

  async raiseEvent(instanceId: string, eventName: string, data: unknown): Promise<void> {
    await this.ready();
    const state = this.runningInstance(instanceId);
    const event = historyEvent(EventType.EventRaised, this.now(), { Name: eventName, Input: jsonText(roundTrip(data)) });
    this.commit([{ op: 'arrive', id: state.instanceId, item: { event }, at: this.now() }]);
    this.requestEpisode(instanceId);
  }

  async terminate(instanceId: string, reason: string): Promise<void> {
    await this.ready();
    const state = this.runningInstance(instanceId);
    const operations: JournalOperation[] = [{ op: 'terminate', id: instanceId, reason, at: this.now() }];
    this.commit(operations);
    const notify = this.parentNotification(state);
    if (notify) {
      this.commit([notify]);
      this.requestEpisode(notify.id);
    }
  }

  async purge(instanceId: string): Promise<boolean> {
    await this.ready();
    const state = this.instances.get(instanceId);
    if (!state || !isTerminal(state.status)) return false;
    this.commit([{ op: 'purge', id: instanceId }]);
    return true;
  }

  async purgeMany(query: { runtimeStatus?: RuntimeStatus[]; createdTimeFrom?: Date; createdTimeTo?: Date }): Promise<number> {
    await this.ready();
    const doomed = [...this.instances.values()].filter((state) => isTerminal(state.status) && matchesFilter(state, query));
    if (doomed.length > 0) this.commit(doomed.map((state) => ({ op: 'purge', id: state.instanceId })));
    return doomed.length;
  }

  async waitForCompletion(instanceId: string, timeoutMs = 60_000): Promise<InstanceStatus> {
    await this.ready();
    const state = this.instances.get(instanceId);
    if (!state) throw new InstanceNotFoundError(instanceId);
    if (isTerminal(state.status)) return statusView(state);
    return new Promise<InstanceStatus>((resolve, reject) => {
      const waiters = this.waiters.get(instanceId) ?? new Set();
      this.waiters.set(instanceId, waiters);
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        const current = this.instances.get(instanceId);
        reject(new Error(`Instance '${instanceId}' did not complete within ${timeoutMs} ms (it is ${current?.status ?? 'gone'})`));
      }, timeoutMs);
      const waiter: CompletionWaiter = {
        done: (done) => {
          clearTimeout(timer);
          resolve(statusView(done));
        },
        abandon: () => {
          clearTimeout(timer);
          reject(new Error(`devhost engine stopped before instance '${instanceId}' completed`));
        },
      };
      waiters.add(waiter);
    });
  }

  private runningInstance(instanceId: string): InstanceState {
    const state = this.instances.get(instanceId);
    if (!state) throw new InstanceNotFoundError(instanceId);
    if (isTerminal(state.status)) throw new InstanceNotRunningError(instanceId, state.status);
    return state;
  }

  /** An instance reached a terminal state: release what it held and wake who waits for it. */
  private settle(state: InstanceState): void {
    this.disarmTimers(state);
    const waiters = this.waiters.get(state.instanceId);
    if (!waiters) return;
    this.waiters.delete(state.instanceId);
    for (const waiter of waiters) waiter.done(state);
  }

  // ---------------------------------------------------------------- episodes

  private requestEpisode(instanceId: string): void {
    this.episodeRequests.add(instanceId);
    if (this.pumpScheduled || this.stopped) return;
    this.pumpScheduled = true;
    // setImmediate lets every completion that is already resolving land in the inbox first: batching.
    setImmediate(() => this.pump());
  }

  private pump(): void {
    this.pumpScheduled = false;
    if (this.stopped) return;
    const requested = [...this.episodeRequests];
    this.episodeRequests.clear();
    for (const instanceId of requested) {
      if (this.episodesRunning.has(instanceId)) continue; // re-requested when the running one ends
      const state = this.instances.get(instanceId);
      if (!state || isTerminal(state.status) || state.inbox.length === 0) continue;
      this.track(this.runEpisode(state));
    }
  }

  private track(work: Promise<unknown>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private async runEpisode(state: InstanceState): Promise<void> {
    const instanceId = state.instanceId;
    this.episodesRunning.add(instanceId);
    const started = performance.now();
    const invocationId = randomUUID();
    let outcome: InvocationLogEntry['outcome'] = 'Succeeded';
    let error: string | undefined;
    try {
      const orchestrator = this.options.registry.get(state.name);
      const now = this.now();
      const items = pickDeliveries(state.inbox, this.maxPerEpisode, now);
      const delivery = prepareDelivery(state, items, now);
      const executionId = state.executionId;
      const result = orchestrator
        ? await invokeOrchestrator({
            orchestrator,
            instanceId,
            parentInstanceId: state.parent?.instanceId,
            input: state.input,
            pastEvents: state.history,
            newEvents: delivery.newEvents,
            invocationId,
            durableClientBinding: this.options.durableClientBinding,
          })
        : ({ kind: 'failed', message: `the orchestrator function '${state.name}' is no longer registered` } as const);
      if (this.stopped || this.instances.get(instanceId) !== state || state.executionId !== executionId || isTerminal(state.status)) {
        return; // terminated, purged or restarted meanwhile
      }
      const plan = planEpisode(state, delivery, result, now);
      if (plan.failed) {
        outcome = 'Failed';
        error = String(plan.operation.output);
      }
      const cancelled = plan.cancelledTimers;
      this.commit([plan.operation]);
      for (const id of cancelled) this.disarmTimer(instanceId, executionId, id);
      if (plan.operation.continueAsNew) this.disarmTimers(state, executionId);
      if (isTerminal(state.status)) {
        const notify = this.parentNotification(state);
        if (notify) {
          this.commit([notify]);
          this.requestEpisode(notify.id);
        }
        return;
      }
      this.startChildren(state, plan.children);
      if (!plan.operation.continueAsNew) {
        for (const work of [...plan.operation.addWork]) {
          if (work.kind === 'activity') this.enqueueActivity(state, work);
          else if (work.kind === 'timer') this.armTimer(state, work);
        }
      }
    } catch (caught) {
      outcome = 'Failed';
      error = errorMessage(caught);
      if (!this.stopped) {
        console.error(`devhost engine: episode of '${instanceId}' failed: ${error}`);
        this.failInstance(state, `devhost internal error: ${error}`); // rather than retrying the same episode forever
      }
    } finally {
      this.episodesRunning.delete(instanceId);
      this.log({ function: state.name, kind: 'orchestrator', instanceId, invocationId, durationMs: performance.now() - started, outcome, error });
      const current = this.instances.get(instanceId);
      if (current && !isTerminal(current.status) && current.inbox.length > 0) this.requestEpisode(instanceId);
    }
  }

  private failInstance(state: InstanceState, message: string): void {
    if (this.instances.get(state.instanceId) !== state || isTerminal(state.status)) return;
    const now = this.now();
    const output = `Orchestrator function '${state.name}' failed: ${message}`;
    try {
      this.commit([
        {
          op: 'episode',
          id: state.instanceId,
          executionId: state.executionId,
          taken: state.inbox.map((item) => item.seq),
          append: [
            historyEvent(EventType.OrchestratorStarted, now),
            historyEvent(EventType.OrchestratorCompleted, now),
            historyEvent(EventType.ExecutionCompleted, now, { OrchestrationStatus: 'Failed', Result: jsonText(output) }),
          ],
          nextEventId: state.nextEventId,
          actions: [],
          addWork: [],
          removeWork: [],
          status: 'Failed',
          output,
          customStatus: state.customStatus,
          at: now,
        },
      ]);
      const notify = this.parentNotification(state);
      if (notify) {
        this.commit([notify]);
        this.requestEpisode(notify.id);
      }
    } catch (error) {
      console.error(`devhost engine: could not record the failure of '${state.instanceId}': ${errorMessage(error)}`);
    }
  }

  private log(entry: InvocationLogEntry): void {
    if (entry.error === undefined) delete entry.error;
    try {
      this.options.logInvocation?.(entry);
    } catch {
      // a logger must not break the engine
    }
  }

  // ---------------------------------------------------------------- sub-orchestrations

  private startChildren(parent: InstanceState, children: ChildStart[]): void {
    for (const child of children) {
      const problem = this.childProblem(parent, child);
      if (problem) {
        const event = historyEvent(EventType.SubOrchestrationInstanceFailed, this.now(), {
          TaskScheduledId: child.taskId,
          ...failureFields(problem, problem),
        });
        this.commit([
          { op: 'arrive', id: parent.instanceId, executionId: parent.executionId, done: child.taskId, item: { event }, at: this.now() },
        ]);
        this.requestEpisode(parent.instanceId);
        continue;
      }
      const existing = this.instances.get(child.childId);
      if (existing) this.disarmTimers(existing);
      this.commit([
        {
          op: 'start',
          id: child.childId,
          name: child.name,
          input: roundTrip(child.input),
          executionId: newExecutionId(),
          parent: { instanceId: parent.instanceId, executionId: parent.executionId, taskId: child.taskId },
          at: this.now(),
        },
      ]);
      this.requestEpisode(child.childId);
    }
  }

  private childProblem(parent: InstanceState, child: ChildStart): string | undefined {
    const registered = this.options.registry.get(child.name);
    if (!registered || registered.triggerType !== 'orchestrationTrigger') {
      return `The function '${child.name}' doesn't exist, is disabled, or is not an orchestrator function.`;
    }
    try {
      validateInstanceId(child.childId);
    } catch (error) {
      return errorMessage(error);
    }
    if (child.childId === parent.instanceId || child.childId === parent.parent?.instanceId) {
      return `A sub-orchestration cannot use the id '${child.childId}' of its parent or grandparent.`;
    }
    const existing = this.instances.get(child.childId);
    if (existing && !isTerminal(existing.status)) return `An orchestration with id '${child.childId}' is already running.`;
    return undefined;
  }

  /** The completion a parent receives when its sub-orchestration ends, if the parent still waits for it. */
  private parentNotification(child: InstanceState): Extract<JournalOperation, { op: 'arrive' }> | undefined {
    const link = child.parent;
    if (!link) return undefined;
    const parent = this.instances.get(link.instanceId);
    const work = parent?.work[link.taskId];
    if (!parent || isTerminal(parent.status) || parent.executionId !== link.executionId || work?.kind !== 'subOrchestration') {
      return undefined;
    }
    const at = this.now();
    let item: Omit<InboxItem, 'seq'>;
    if (child.status === 'Completed') {
      item = {
        event: historyEvent(EventType.SubOrchestrationInstanceCompleted, at, { TaskScheduledId: link.taskId, Result: jsonText(child.output) }),
      };
    } else {
      const reason =
        child.status === 'Terminated'
          ? `Orchestration instance '${child.instanceId}' was terminated: ${String(child.output)}`
          : String(child.output);
      item = {
        event: historyEvent(EventType.SubOrchestrationInstanceFailed, at, {
          TaskScheduledId: link.taskId,
          Reason: reason,
          Details: reason,
        }),
      };
      if (work.retry) {
        item.retryFailure = {
          kind: 'subOrchestration',
          name: work.name,
          input: work.input,
          instanceId: work.explicitInstanceId,
          retry: work.retry,
        };
      }
    }
    return { op: 'arrive', id: parent.instanceId, executionId: parent.executionId, done: link.taskId, item, at };
  }

  // ---------------------------------------------------------------- activities

  private enqueueActivity(state: InstanceState, work: ActivityJob['work']): void {
    this.activityQueue.push({ instanceId: state.instanceId, executionId: state.executionId, work });
    this.drainActivities();
  }

  private drainActivities(): void {
    while (!this.stopped && this.activitiesRunning < this.maxActivities && this.activityQueue.length > 0) {
      const job = this.activityQueue.shift() as ActivityJob;
      this.activitiesRunning++;
      this.track(
        this.runActivity(job).finally(() => {
          this.activitiesRunning--;
          this.drainActivities();
        }),
      );
    }
  }

  private stillOwed(job: { instanceId: string; executionId: string; work: PendingWork }): InstanceState | undefined {
    const state = this.instances.get(job.instanceId);
    if (!state || isTerminal(state.status) || state.executionId !== job.executionId) return undefined;
    return state.work[job.work.id] === job.work ? state : undefined;
  }

  private async runActivity(job: ActivityJob): Promise<void> {
    if (!this.stillOwed(job)) return;
    const { work } = job;
    const invocationId = randomUUID();
    const started = performance.now();
    const registered = this.options.registry.get(work.name);
    let event;
    let failed: unknown;
    try {
      const result = await this.invokeActivity(registered, work, invocationId);
      event = historyEvent(EventType.TaskCompleted, this.now(), { TaskScheduledId: work.id, Result: jsonText(roundTrip(result)) });
    } catch (error) {
      failed = error;
      const reason = registered
        ? `Activity function '${work.name}' failed: ${errorMessage(error)}`
        : errorMessage(error);
      event = historyEvent(EventType.TaskFailed, this.now(), { TaskScheduledId: work.id, ...failureFields(reason, error) });
    }
    this.log({
      function: work.name,
      kind: 'activity',
      instanceId: job.instanceId,
      invocationId,
      durationMs: performance.now() - started,
      outcome: failed === undefined ? 'Succeeded' : 'Failed',
      error: failed === undefined ? undefined : errorMessage(failed),
    });
    if (this.stopped || !this.stillOwed(job)) return; // at-least-once: an unrecorded result runs again after restart
    const item: Omit<InboxItem, 'seq'> = { event };
    if (failed !== undefined && work.retry) {
      const retryFailure: RetryTarget = { kind: 'activity', name: work.name, input: work.input, retry: work.retry };
      item.retryFailure = retryFailure;
    }
    this.commit([
      { op: 'arrive', id: job.instanceId, executionId: job.executionId, done: work.id, item, at: this.now() },
    ]);
    this.requestEpisode(job.instanceId);
  }

  private async invokeActivity(
    registered: RegisteredFunction | undefined,
    work: ActivityJob['work'],
    invocationId: string,
  ): Promise<unknown> {
    if (!registered || registered.triggerType !== 'activityTrigger') {
      throw new Error(`The function '${work.name}' doesn't exist, is disabled, or is not an activity function.`);
    }
    const context = invocationContextFor(registered, invocationId, this.options.durableClientBinding);
    return await registered.handler(roundTrip(work.input), context);
  }

  // ---------------------------------------------------------------- timers

  private timerKey(instanceId: string, executionId: string, id: number): string {
    return `${instanceId}\u0000${executionId}\u0000${id}`;
  }

  private armTimer(state: InstanceState, work: TimerWork): void {
    if (this.stopped) return;
    const key = this.timerKey(state.instanceId, state.executionId, work.id);
    const job = { instanceId: state.instanceId, executionId: state.executionId, work };
    const fire = (): void => {
      this.timers.delete(key);
      if (this.stopped || !this.stillOwed(job)) return;
      if (work.fireAt > this.now()) {
        this.setTimer(key, work.fireAt, fire);
        return;
      }
      const event = historyEvent(EventType.TimerFired, this.now(), {
        TimerId: work.id,
        FireAt: new Date(work.fireAt).toISOString(),
      });
      const item: Omit<InboxItem, 'seq'> = { event };
      if (work.retryOf) item.retryTimer = work.retryOf;
      if (work.longTimer) item.longTimer = work.longTimer;
      this.commit([{ op: 'arrive', id: job.instanceId, executionId: job.executionId, done: work.id, item, at: this.now() }]);
      this.requestEpisode(job.instanceId);
    };
    this.setTimer(key, work.fireAt, fire);
  }

  private setTimer(key: string, fireAt: number, fire: () => void): void {
    const previous = this.timers.get(key);
    if (previous) clearTimeout(previous.handle);
    const delay = Math.max(0, Math.min(fireAt - this.now(), MAX_TIMEOUT_MS));
    this.timers.set(key, { handle: setTimeout(fire, delay), fireAt, fire });
  }

  /** The clock jumped forward: every armed timer is re-checked against the new time. */
  private rearmTimers(): void {
    if (this.stopped) return;
    for (const [key, armed] of [...this.timers]) this.setTimer(key, armed.fireAt, armed.fire);
  }

  private disarmTimer(instanceId: string, executionId: string, id: number): void {
    const key = this.timerKey(instanceId, executionId, id);
    const armed = this.timers.get(key);
    if (armed) clearTimeout(armed.handle);
    this.timers.delete(key);
  }

  private disarmTimers(state: InstanceState, executionId?: string): void {
    const prefix = executionId === undefined ? `${state.instanceId}\u0000` : `${state.instanceId}\u0000${executionId}\u0000`;
    for (const [key, armed] of this.timers) {
      if (key.startsWith(prefix)) {
        clearTimeout(armed.handle);
        this.timers.delete(key);
      }
    }
  }
}

/** Instance id rules of the extension (notes §2.3). */
export function validateInstanceId(instanceId: string): void {
  if (instanceId.length === 0) throw new InvalidInstanceIdError(instanceId, 'it is empty');
  if (instanceId.length > 256) throw new InvalidInstanceIdError(instanceId, 'it is longer than 256 characters');
  if (instanceId.startsWith('@')) throw new InvalidInstanceIdError(instanceId, "it starts with '@'");
  if (INSTANCE_ID_FORBIDDEN.test(instanceId)) {
    throw new InvalidInstanceIdError(instanceId, 'it contains /, \\, #, ? or a control character');
  }
}
