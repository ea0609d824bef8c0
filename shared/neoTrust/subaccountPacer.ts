/**
 * Paces requests to SAP's Neo trust API per subaccount (SAP: "100 requests per minute per
 * subaccount", 429 without Retry-After, contracts D update 2026-12), so that no run has to be told
 * no. Every run and every activity that calls a subaccount takes its place in one ledger shared by all
 * runs, workers and instances and kept across restarts (pacingLedger.ts): a request goes at once while
 * the subaccount's sliding window has room (pacingWindow.ts), so a burst is not slowed down.
 *
 * No activity sleeps for its turn: when the window is full, `slot` throws a TransientStepError with
 * the wait as retryAfterMs, and the orchestrator waits on a durable timer (workflowRun's retry); steps
 * also hand `nextAt` on, and the safe import waits for it on a durable timer before its next step.
 *
 * A 429 (which SAP sends without Retry-After) holds the subaccount back `backoffMs` for every caller,
 * and the failing call returns that as its retryAfterMs.
 */
import { TransientStepError } from '../workflow/stepOutcome';
import { memoryPacingLedger, type PacingLedger } from './pacingLedger';
import { hold, reserve, type PacingRule, type PacingState } from './pacingWindow';

export const NEO_REQUESTS_PER_MINUTE = 100;
/** How long a 429 without Retry-After holds a subaccount back. */
export const NEO_429_BACKOFF_MS = 10_000;
/** Between letting a request go and SAP counting it: a token fetch and the network (see pacingWindow.ts). */
export const NEO_PACING_MARGIN_MS = 2_000;

export interface PacerOptions {
  requestsPerMinute?: number;
  marginMs?: number;
  backoffMs?: number;
  ledger?: PacingLedger;
  /** Names the ledger in errors, e.g. "the table NeoTrustPacing in the app's storage account". */
  ledgerName?: string;
  now?: () => number;
}

export interface SubaccountPacer {
  readonly rule: PacingRule;
  /** Takes a place in the subaccount's budget and returns when the next request may go (epoch ms), or throws TransientStepError(retryAfterMs) when the budget is spent. */
  slot(subaccount: string): Promise<number>;
  /** SAP answered 429: hold everyone back; returns the wait. */
  tooManyRequests(subaccount: string, retryAfterMs?: number): Promise<number>;
}

export function subaccountPacer(options: PacerOptions = {}): SubaccountPacer {
  const limit = options.requestsPerMinute ?? NEO_REQUESTS_PER_MINUTE;
  const rule: PacingRule = { limit, windowMs: 60_000 + (options.marginMs ?? NEO_PACING_MARGIN_MS) };
  const backoffMs = options.backoffMs ?? NEO_429_BACKOFF_MS;
  const now = options.now ?? Date.now;
  const ledger = options.ledger ?? memoryPacingLedger();
  const ledgerName = options.ledgerName ?? 'the pacing ledger';

  async function change<T>(subaccount: string, fn: (state: PacingState) => { state: PacingState; result: T }): Promise<T> {
    try {
      return await ledger.change(subaccount, fn);
    } catch (e) {
      throw new TransientStepError(ledgerName, `${ledgerName} could not be read or written (${(e as Error).message.split('\n')[0]}); no request was sent to ${subaccount}`);
    }
  }

  return {
    rule,
    async slot(subaccount) {
      const outcome = await change(subaccount, (state) => {
        const r = reserve(state, now(), rule);
        return { state: r.state, result: r };
      });
      if (!outcome.granted) {
        throw new TransientStepError(
          subaccount,
          `the Neo trust API allows ${limit} requests per minute for subaccount ${subaccount}; this request waits ${Math.ceil(outcome.waitMs / 1000)} s for its turn`,
          outcome.waitMs,
        );
      }
      return outcome.nextAt;
    },
    async tooManyRequests(subaccount, retryAfterMs) {
      const wait = Math.max(retryAfterMs ?? 0, backoffMs);
      await change(subaccount, (state) => ({ state: hold(state, now(), wait, rule), result: undefined }));
      return wait;
    },
  };
}
