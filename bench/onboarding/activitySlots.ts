/**
 * How long one run's activities held the host's activity slots: the sum, over the activities in its
 * durable history, of completion − scheduling. Steps that `run.together` runs share one activity and
 * count once; steps that `run.all` runs count each. With N slots, M runs at once need at least
 * M × this ÷ N, which is the floor of bench (b).
 */
type HistoryRow = Record<string, unknown>;

const COMPLETIONS = new Set(['TaskCompleted', 'TaskFailed']);

export function activitySlotMs(history: readonly HistoryRow[]): number {
  let total = 0;
  for (const row of history) {
    if (!COMPLETIONS.has(String(row.EventType))) continue;
    const scheduled = Date.parse(String(row.ScheduledTime));
    const completed = Date.parse(String(row.Timestamp));
    if (!Number.isFinite(scheduled) || !Number.isFinite(completed)) throw new Error(`history row without times: ${JSON.stringify(row).slice(0, 200)}`);
    total += completed - scheduled;
  }
  return total;
}
