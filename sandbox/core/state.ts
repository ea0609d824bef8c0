/**
 * The sandbox's in-memory state: one slice per service. Persisted to `<dataDir>/sandbox/state.json`
 * (debounced, written to a temporary file and renamed so a crash never leaves half a file) and
 * reloaded at start.
 *
 * Each write is a snapshot of the whole state, so its cost grows with the state: with a hundred
 * onboarded tenants it took ~11 ms of the sandbox's CPU per onboarding, writing every 50 ms. The next
 * write therefore waits at least PERSIST_COST_FACTOR × the last one's time (at most MAX_PERSIST_DELAY_MS),
 * which keeps persisting under ~1% of the sandbox's thread: the simulator shares its cores with the
 * product it is measured against. A hard kill loses at most that wait; stop() still flushes at once.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { SandboxService } from './service';

export const PERSIST_COST_FACTOR = 100;
const MAX_PERSIST_DELAY_MS = 2000;

const StateFile = z.object({ version: z.literal(1), slices: z.record(z.string(), z.unknown()) });

export class SandboxState {
  private readonly slices = new Map<string, unknown>();
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private lastWriteMs = 0;
  readonly file: string;

  constructor(
    private readonly services: readonly SandboxService[],
    dir: string,
    private readonly debounceMs = 50,
    private readonly now: () => Date = () => new Date(),
  ) {
    mkdirSync(dir, { recursive: true });
    this.file = path.join(dir, 'state.json');
  }

  /**
   * Loads state.json when it exists. Returns the services that have no persisted slice (all of them
   * on a fresh data directory): those get their initial state and need seeding.
   */
  load(): SandboxService[] {
    let persisted: Record<string, unknown> = {};
    if (existsSync(this.file)) {
      const parsed = StateFile.safeParse(JSON.parse(readFileSync(this.file, 'utf8')));
      if (!parsed.success) throw new Error(`${this.file} is not a sandbox state file; delete it to start fresh`);
      persisted = parsed.data.slices;
    }
    const unseeded: SandboxService[] = [];
    for (const service of this.services) {
      if (service.name in persisted) this.slices.set(service.name, persisted[service.name]);
      else {
        this.slices.set(service.name, service.initialState());
        unseeded.push(service);
      }
    }
    return unseeded;
  }

  slice(service: SandboxService): unknown {
    if (!this.slices.has(service.name)) this.slices.set(service.name, service.initialState());
    return this.slices.get(service.name);
  }

  /** The slice of the service with this name, if it runs (cross-service views such as the timeline). */
  sliceNamed(name: string): unknown {
    const service = this.services.find((s) => s.name === name);
    return service ? this.slice(service) : undefined;
  }

  /** Every service back to its empty state. */
  clear(): void {
    for (const service of this.services) this.slices.set(service.name, service.initialState());
    this.changed();
  }

  seed(seed: unknown, services: readonly SandboxService[] = this.services): void {
    for (const service of services) service.seed(this.slice(service), seed, this.now());
    this.changed();
  }

  describe(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const service of this.services) out[service.name] = service.describe(this.slice(service), this.now());
    return out;
  }

  changed(): void {
    if (this.timer) return;
    const delay = Math.max(this.debounceMs, Math.min(MAX_PERSIST_DELAY_MS, PERSIST_COST_FACTOR * this.lastWriteMs));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.writing = this.writing.then(() => this.write()).catch(() => undefined);
    }, delay);
  }

  private snapshot(): string {
    return JSON.stringify({ version: 1, slices: Object.fromEntries(this.slices) });
  }

  private async write(): Promise<void> {
    const tmp = `${this.file}.${process.pid}.tmp`;
    const started = performance.now();
    const bytes = Buffer.from(this.snapshot());
    // Serialising and encoding are the sandbox's own CPU; the file I/O that follows runs off its thread.
    this.lastWriteMs = performance.now() - started;
    await writeFile(tmp, bytes, { mode: 0o600 });
    await rename(tmp, this.file);
  }

  /** Writes pending changes now (stop, tests). */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    await this.writing;
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, this.snapshot(), { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}
