/**
 * The arithmetic of SAP's "100 requests per minute per subaccount" (contracts D, update 2026-12), as a
 * sliding window over the send times of one subaccount: a request may go when fewer than `limit` were
 * sent in the last `windowMs`. That lets a burst go at once and throttles only when the window is full,
 * and it is safe whatever SAP's window is (a fixed minute, a minute from the first request, a rolling
 * minute): any minute SAP counts lies inside one of our windows.
 *
 * The window is a minute plus a margin because the ledger records when a request was let go, and SAP
 * counts when it arrives (after a token fetch and the network): the margin covers that delay.
 */
export interface PacingRule {
  limit: number;
  windowMs: number;
}

export interface PacingState {
  /** Send times (epoch ms), ascending, only those inside the window. */
  sent: number[];
  /** After a 429 nobody sends before this (epoch ms). */
  heldUntil?: number;
}

export const EMPTY_PACING: PacingState = { sent: [] };

/** The state without the send times that left the window, nor a hold that passed. */
export function current(state: PacingState, now: number, rule: PacingRule): PacingState {
  // Several instances append with their own clocks: sort before keeping the newest `limit`.
  const sent = state.sent.filter((t) => t > now - rule.windowMs).sort((a, b) => a - b).slice(-rule.limit);
  return state.heldUntil !== undefined && state.heldUntil > now ? { sent, heldUntil: state.heldUntil } : { sent };
}

/** When the next request may go (epoch ms; `now` when it may go at once). */
export function nextFree(state: PacingState, now: number, rule: PacingRule): number {
  const s = current(state, now, rule);
  const windowFreesAt = s.sent.length < rule.limit ? now : s.sent[s.sent.length - rule.limit] + rule.windowMs;
  return Math.max(now, windowFreesAt, s.heldUntil ?? 0);
}

/** Lets one request go now when the window has room: the new state, and when the next one may go; or how long to wait. */
export function reserve(state: PacingState, now: number, rule: PacingRule): { granted: true; state: PacingState; nextAt: number } | { granted: false; state: PacingState; waitMs: number } {
  const s = current(state, now, rule);
  const freeAt = nextFree(s, now, rule);
  if (freeAt > now) return { granted: false, state: s, waitMs: freeAt - now };
  const after = { ...s, sent: [...s.sent, now] };
  return { granted: true, state: after, nextAt: nextFree(after, now, rule) };
}

/** SAP answered 429: nobody sends to the subaccount for `waitMs`. */
export function hold(state: PacingState, now: number, waitMs: number, rule: PacingRule): PacingState {
  const s = current(state, now, rule);
  return { ...s, heldUntil: Math.max(s.heldUntil ?? 0, now + waitMs) };
}
