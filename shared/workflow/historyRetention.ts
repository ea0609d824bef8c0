/**
 * Which Durable instances the history purge removes. Durable history (inputs, outputs, every step's
 * event) is never purged by the platform, so it grows with every run. Kept:
 *  - every run that has not ended (running, pending, suspended, waiting for a manual step);
 *  - every run that ended within the retention period;
 *  - the latest run of each workflow key (`onboard-<tenant>-<subaccount>-r<n>`, the highest n), however
 *    old: `GET /api/<kind>?status=`, the CLI's `status <tenant>` and the next run number read it;
 *  - instances that are not runs of a known workflow.
 * Removed: older runs of a key and plans (`…-plan-<hex8>`) that ended before the retention period.
 * The tenant registry is Table Storage of its own and needs no history.
 */
export interface InstanceSummary {
  instanceId: string;
  name: string;
  runtimeStatus: string;
  lastUpdatedTime: Date;
}

export interface RetainedWorkflow {
  name: string;
  idPrefix: string;
}

const ENDED = new Set(['Completed', 'Failed', 'Terminated', 'Canceled']);
const PLAN = /-plan-[0-9a-f]{8}$/;
const RUN_NUMBER = /-r(\d+)$/;

/** The key part shared by all runs of one target: the id without `-r<n>`. */
function runBase(id: string): { base: string; n: number } {
  const m = RUN_NUMBER.exec(id);
  return m ? { base: id.slice(0, m.index), n: Number(m[1]) } : { base: id, n: 1 };
}

export function instancesToPurge(instances: readonly InstanceSummary[], workflows: readonly RetainedWorkflow[], cutoff: Date): string[] {
  const ours = (s: InstanceSummary) => workflows.some((w) => w.name === s.name && s.instanceId.startsWith(`${w.idPrefix}-`));
  const latest = new Map<string, number>();
  for (const s of instances) {
    if (!ours(s) || PLAN.test(s.instanceId)) continue;
    const { base, n } = runBase(s.instanceId);
    latest.set(base, Math.max(latest.get(base) ?? 0, n));
  }
  return instances
    .filter((s) => ours(s) && ENDED.has(s.runtimeStatus) && s.lastUpdatedTime.getTime() < cutoff.getTime())
    .filter((s) => {
      if (PLAN.test(s.instanceId)) return true;
      const { base, n } = runBase(s.instanceId);
      return n < (latest.get(base) ?? n);
    })
    .map((s) => s.instanceId)
    .sort();
}
