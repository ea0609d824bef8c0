/**
 * Paces requests to SAP's Neo trust API per subaccount (SAP: "100 requests per minute per
 * subaccount", 429 without Retry-After, contracts D update 2026-12), so that no run has to be told
 * no. Every run and every activity that calls a subaccount reserves a slot in one ledger: the slots
 * of a subaccount are `60 s / limit` apart (600 ms at 100 per minute), so any 60 s window holds at
 * most `limit` of them, whatever SAP's window alignment.
 *
 * Why a ledger and not only a durable timer in the orchestrator: a timer between the calls of one
 * orchestration is deterministic and survives restarts, but it cannot see the calls of the other runs
 * that hit the same subaccount (an export of A while an import into A runs). The ledger is shared and
 * persisted (a file under DATA_DIR here), so it survives restarts too: after a crash the first call
 * still waits for the slot the ledger holds. Short waits (up to `maxInlineWaitMs`) happen inside the
 * activity; a longer one comes back as a transient failure with `retryAfterMs`, and the orchestrator
 * waits on a durable timer (workflowRun's retry), so no activity sleeps for minutes.
 *
 * A 429 (which SAP sends without Retry-After) pushes the subaccount's next slot `backoffMs` out for
 * every caller, and the failing call returns that as its retryAfterMs.
 *
 * One process writes the file; several instances of the app would need a shared ledger (a Table row
 * per subaccount with an ETag): not built yet.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TransientStepError } from '../workflow/stepOutcome';

export const NEO_REQUESTS_PER_MINUTE = 100;
/** How long a 429 without Retry-After holds a subaccount back. */
export const NEO_429_BACKOFF_MS = 10_000;

export interface PacerOptions {
  requestsPerMinute?: number;
  maxInlineWaitMs?: number;
  backoffMs?: number;
  /** JSON file of the ledger; absent: memory only. */
  file?: string;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface SubaccountPacer {
  readonly intervalMs: number;
  /** Returns when a request to `subaccount` may go, or throws TransientStepError(retryAfterMs) when that is far off. */
  slot(subaccount: string): Promise<void>;
  /** When the next request to `subaccount` may go (epoch ms). */
  nextSlot(subaccount: string): number;
  /** SAP answered 429: hold everyone back; returns the wait. */
  tooManyRequests(subaccount: string, retryAfterMs?: number): number;
}

export function subaccountPacer(options: PacerOptions = {}): SubaccountPacer {
  const limit = options.requestsPerMinute ?? NEO_REQUESTS_PER_MINUTE;
  const intervalMs = Math.ceil(60_000 / limit);
  const maxInline = options.maxInlineWaitMs ?? 20_000;
  const backoffMs = options.backoffMs ?? NEO_429_BACKOFF_MS;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const ledger = new Map<string, number>(Object.entries(load(options.file)));

  function persist(): void {
    if (!options.file) return;
    const at = now();
    // Slots in the past tell nothing: keep the file small.
    for (const [key, next] of ledger) if (next < at - 60_000) ledger.delete(key);
    mkdirSync(path.dirname(options.file), { recursive: true });
    const tmp = `${options.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(Object.fromEntries(ledger)));
    renameSync(tmp, options.file);
  }

  return {
    intervalMs,
    async slot(subaccount) {
      const at = now();
      const free = Math.max(at, ledger.get(subaccount) ?? 0);
      const wait = free - at;
      if (wait > maxInline) {
        throw new TransientStepError(subaccount, `the Neo trust API allows ${limit} requests per minute for subaccount ${subaccount}; this request waits ${Math.ceil(wait / 1000)} s for its turn`, wait);
      }
      ledger.set(subaccount, free + intervalMs);
      persist();
      if (wait > 0) await sleep(wait);
    },
    nextSlot: (subaccount) => Math.max(now(), ledger.get(subaccount) ?? 0),
    tooManyRequests(subaccount, retryAfterMs) {
      const wait = Math.max(retryAfterMs ?? 0, backoffMs);
      ledger.set(subaccount, Math.max(ledger.get(subaccount) ?? 0, now() + wait));
      persist();
      return wait;
    },
  };
}

function load(file: string | undefined): Record<string, number> {
  if (!file) return {};
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (!parsed || typeof parsed !== 'object') return {};
    return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, number] => typeof e[1] === 'number'));
  } catch {
    return {};
  }
}
