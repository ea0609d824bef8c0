/**
 * How much SAP latency one onboarding cannot avoid, from the sandbox's request log.
 *
 * Method: every SAP call the run made is an interval [arrival, arrival + duration] in
 * GET /__sandbox/requests. Calls that overlap in time ran in parallel, so they cost one latency
 * slot together; calls that follow each other cost one slot each. The critical path is therefore
 * the longest chain of calls each starting after the previous one ended, which is the maximum set
 * of non-overlapping intervals (greedy by earliest end, exact for intervals). Its length times the
 * injected per-call latency is the SAP time no orchestration can beat; the benchmark divides the
 * wall time by it. A small tolerance absorbs the log's millisecond rounding.
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
  /** Calls on the longest sequential chain. */
  sequentialCalls: number;
}

export function criticalPath(log: readonly LoggedCall[], toleranceMs = 2): CriticalPath {
  const intervals = log
    .map((c) => ({ start: Date.parse(c.at), end: Date.parse(c.at) + c.ms }))
    .filter((i) => Number.isFinite(i.start))
    .sort((a, b) => a.end - b.end);
  let chain = 0;
  let lastEnd = -Infinity;
  for (const i of intervals) {
    if (i.start >= lastEnd - toleranceMs) {
      chain += 1;
      lastEnd = i.end;
    }
  }
  return { calls: intervals.length, sequentialCalls: chain };
}
