/**
 * Daily at 02:15 UTC: purges the Durable history of ended runs older than DURABLE_HISTORY_RETENTION_DAYS
 * (default 30), keeping what the run API and the CLI still read (shared/workflow/historyRetention.ts).
 */
import * as df from 'durable-functions';
import type { Timer } from '@azure/functions';
import { instancesToPurge } from '../../shared/workflow/historyRetention';
import { operatorLog } from '../../shared/telemetry/telemetry';
import type { RetainedWorkflow } from '../../shared/workflow/historyRetention';

const DAY_MS = 86_400_000;

export async function purgeHistory(client: df.DurableClient, workflows: readonly RetainedWorkflow[]): Promise<void> {
  // The settings' schemas load at the first purge, not with the entry (bench/coldStart).
  const { settings } = await import('../../shared/config/settings');
  const days = settings().historyRetentionDays;
  const cutoff = new Date(Date.now() - days * DAY_MS);
  const instances = await client.getStatusBy({});
  const ids = instancesToPurge(
    instances.map((s) => ({ instanceId: s.instanceId, name: s.name, runtimeStatus: String(s.runtimeStatus), lastUpdatedTime: new Date(s.lastUpdatedTime) })),
    workflows,
    cutoff,
  );
  let purged = 0;
  for (const id of ids) {
    const result = await client.purgeInstanceHistory(id);
    purged += result.instancesDeleted;
  }
  operatorLog('info', `history purge: removed ${purged} of ${instances.length} instances that ended before ${cutoff.toISOString()} (DURABLE_HISTORY_RETENTION_DAYS=${days}); kept running runs and the latest run of each target`);
}

/** Registered from functions/index.ts with the app's workflows. */
export function registerHistoryPurge(workflows: readonly RetainedWorkflow[]): void {
  df.app.client.timer('purgeHistory', { schedule: '0 15 2 * * *', handler: (_timer: Timer, client: df.DurableClient) => purgeHistory(client, workflows) });
}
