/**
 * Timer-triggered functions: NCRONTAB schedules, runOnStartup, isPastDue after downtime (the last run per
 * timer is kept in `<dataDir>/timers/<function>.json`), never two runs of one timer at once.
 */
import { Cron } from 'croner';
import fs from 'node:fs';
import path from 'node:path';
import type { RegisteredFunction } from '../engineContract';
import type { FunctionInvoker } from './functionInvoker';
import {
  isPastDue,
  parseNcrontab,
  resolveScheduleSetting,
  statusAfterRun,
  TimerStatus,
  type NcrontabSchedule,
} from './timerSchedule';

interface ScheduledTimer {
  fn: RegisteredFunction;
  schedule: NcrontabSchedule;
  runOnStartup: boolean;
  job?: Cron;
  running?: Promise<void>;
}

/** The timer trigger input, camel-cased as @azure/functions hands it to the handler. */
export interface TimerInput {
  isPastDue: boolean;
  schedule: { adjustForDST: boolean };
  scheduleStatus?: { last: string; next: string; lastUpdated: string };
}

export class TimerTriggers {
  readonly #timers = new Map<string, ScheduledTimer>();
  readonly #problems: string[] = [];
  #stopped = false;

  constructor(
    functions: RegisteredFunction[],
    private readonly invoker: FunctionInvoker,
    private readonly statusDir: string,
    private readonly reportError: (message: string) => void,
  ) {
    for (const fn of functions) {
      if (fn.triggerType.toLowerCase() !== 'timertrigger') continue;
      const trigger = Object.values(fn.metadata.bindings).find((b) => b.type.toLowerCase() === 'timertrigger')!;
      try {
        const schedule = parseNcrontab(resolveScheduleSetting(String(trigger.schedule ?? '')));
        this.#timers.set(fn.name, { fn, schedule, runOnStartup: trigger.runOnStartup === true });
      } catch (error) {
        this.#problems.push(`${fn.name}: ${(error as Error).message}`);
      }
    }
  }

  /** Schedules that could not be read; those timers do not run. */
  get problems(): string[] {
    return [...this.#problems];
  }

  describe(): { name: string; schedule: string; next?: string }[] {
    return [...this.#timers.values()].map((t) => ({
      name: t.fn.name,
      schedule: t.schedule.expression,
      next: t.schedule.nextAfter(new Date())?.toISOString(),
    }));
  }

  start(): void {
    fs.mkdirSync(this.statusDir, { recursive: true });
    const now = new Date();
    for (const timer of this.#timers.values()) {
      const status = this.readStatus(timer.fn.name);
      const pastDue = isPastDue(status, timer.schedule, now);
      if (!status) this.writeStatus(timer.fn.name, statusAfterRun(timer.schedule, now));
      timer.job = new Cron(
        timer.schedule.expression,
        { mode: '6-part', timezone: timer.schedule.timezone, domAndDow: true, protect: true },
        () => this.fire(timer.fn.name, false),
      );
      if (pastDue || timer.runOnStartup) void this.fire(timer.fn.name, pastDue);
    }
  }

  has(name: string): boolean {
    return this.#timers.has(name);
  }

  /** Runs the timer now (unless a run is in flight, like the host's singleton lock) and records the run. */
  fire(name: string, pastDue: boolean): Promise<void> {
    const timer = this.#timers.get(name);
    if (!timer || this.#stopped) return Promise.resolve();
    if (timer.running) return timer.running;
    const run = async () => {
      const status = this.readStatus(name);
      const input: TimerInput = {
        isPastDue: pastDue,
        schedule: { adjustForDST: true },
        scheduleStatus: status ? { last: status.last, next: status.next, lastUpdated: status.lastUpdated } : undefined,
      };
      try {
        await this.invoker.invoke(timer.fn, input, { kind: 'timer' });
      } catch {
        // logged by the invoker; a failed run still counts as a run, as in Azure
      }
      if (!this.#stopped) this.writeStatus(name, statusAfterRun(timer.schedule, new Date()));
    };
    timer.running = run().finally(() => {
      timer.running = undefined;
    });
    return timer.running;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const timer of this.#timers.values()) timer.job?.stop();
    await Promise.all([...this.#timers.values()].map((t) => t.running));
  }

  private file(name: string): string {
    return path.join(this.statusDir, `${name.replace(/[^A-Za-z0-9_.-]/g, '_')}.json`);
  }

  private readStatus(name: string): TimerStatus | undefined {
    try {
      return TimerStatus.parse(JSON.parse(fs.readFileSync(this.file(name), 'utf8')));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.reportError(`timer status of ${name} unreadable; starting fresh`);
      return undefined;
    }
  }

  private writeStatus(name: string, status: TimerStatus): void {
    const file = this.file(name);
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify(status));
    fs.renameSync(temporary, file);
  }
}
