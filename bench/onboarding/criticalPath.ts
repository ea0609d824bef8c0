/**
 * How much SAP latency one onboarding cannot avoid, from the sandbox's request log.
 *
 * Method: every SAP call the run made is an interval [arrival, arrival + duration] in
 * GET /__sandbox/requests. Calls that overlap in time ran in parallel, so they cost one latency
 * slot together; calls that follow each other cost one slot each. A call made by SAP while it
 * answers another (find destination posting the assertion to S/4's token endpoint) lies inside
 * that call and adds its own slot to it, since the outer call waits for it. The critical path is
 * the chain of calls, each starting after the previous one ended, with the most slots (weighted
 * interval scheduling). Its slots times the injected per-call latency is the SAP time no
 * orchestration can beat; the benchmark divides the wall time by it. A small tolerance absorbs the
 * log's millisecond rounding.
 *
 * The same chain weighted by how long each call really took (`sapMs`) is the SAP time the run could
 * not avoid as this SAP answered: the injected latency plus the simulator's own processing (signing
 * and checking a SAML assertion takes it milliseconds). What the wall time holds beyond it is the
 * product's own.
 */
export interface LoggedCall {
  at: string;
  ms: number;
  method: string;
  host: string;
  path: string;
}

export interface CriticalPath {
  /** Calls in the window. */
  calls: number;
  /** Latency slots on the longest sequential chain (nested calls included). */
  sequentialCalls: number;
  /** Milliseconds SAP took on the chain of calls that took longest, each after the previous one ended. */
  sapMs: number;
  /** When the first call arrived and the last one was answered (epoch ms); undefined without calls. */
  firstStart?: number;
  lastEnd?: number;
}

interface Interval {
  start: number;
  end: number;
}

/**
 * Calls a step makes in parallel start within a few milliseconds of each other; a call SAP makes
 * while answering another starts at least one processing delay later and ends before the outer one.
 */
const NESTED_LEAD_MS = 10;

export function criticalPath(log: readonly LoggedCall[], toleranceMs = 2): CriticalPath {
  const intervals = log
    .map((c) => ({ start: Date.parse(c.at), end: Date.parse(c.at) + c.ms }))
    .filter((i) => Number.isFinite(i.start));
  return {
    calls: intervals.length,
    sequentialCalls: longestChain(intervals, toleranceMs),
    sapMs: longestSapTime(intervals, toleranceMs),
    ...(intervals.length ? { firstStart: Math.min(...intervals.map((i) => i.start)), lastEnd: Math.max(...intervals.map((i) => i.end)) } : {}),
  };
}

/** Weighted interval scheduling on durations; a nested call lies inside its outer call's time, so it never extends a chain. */
function longestSapTime(intervals: readonly Interval[], toleranceMs: number): number {
  const sorted = [...intervals].sort((a, b) => a.end - b.end);
  const best: number[] = [];
  sorted.forEach((interval, i) => {
    let value = interval.end - interval.start;
    for (let j = 0; j < i; j++) {
      // Within the rounding tolerance the next call may start a little before the previous one's logged end: count that overlap once.
      if (sorted[j].end <= interval.start + toleranceMs) value = Math.max(value, best[j] + interval.end - Math.max(interval.start, sorted[j].end));
    }
    best.push(value);
  });
  return Math.max(0, ...best);
}

function longestChain(intervals: readonly Interval[], toleranceMs: number): number {
  const sorted = [...intervals].sort((a, b) => a.end - b.end);
  const inside = (outer: Interval, inner: Interval) =>
    inner !== outer && inner.start >= outer.start + NESTED_LEAD_MS && inner.end <= outer.end + toleranceMs;
  const weight = sorted.map((outer) => 1 + longestChain(sorted.filter((inner) => inside(outer, inner)), toleranceMs));
  const best: number[] = [];
  sorted.forEach((interval, i) => {
    let before = 0;
    for (let j = 0; j < i; j++) {
      if (sorted[j].end <= interval.start + toleranceMs && !inside(interval, sorted[j])) before = Math.max(before, best[j]);
    }
    best.push(weight[i] + before);
  });
  return Math.max(0, ...best);
}
