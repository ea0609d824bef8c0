/**
 * Remembers, per run and step, the write a step was about to make. Activities run at least once: when
 * the host dies after SAP carried out a create but before the activity reported it, the step runs
 * again, finds the object and would call it "unchanged". The journal lets it say "created". The intent
 * is sent just before the write and awaited with it (stepActivity.ts).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { TableClient } from '@azure/data-tables';
import type { PlanAction } from './stepPlan';

export type IntendedWrite = Extract<PlanAction, 'create' | 'update' | 'delete'>;

export interface StepJournal {
  /**
   * Records the intent unless the run recorded one for this step before, and returns the run's first intent:
   * one round trip before a write, where asking afterwards would be a second.
   */
  recordIntent(runId: string, stepId: string, action: IntendedWrite): Promise<IntendedWrite>;
  intentOf(runId: string, stepId: string): Promise<IntendedWrite | undefined>;
}

export function memoryStepJournal(): StepJournal {
  const intents = new Map<string, IntendedWrite>();
  return {
    async recordIntent(runId, stepId, action) {
      const key = `${runId}|${stepId}`;
      if (!intents.has(key)) intents.set(key, action);
      return intents.get(key) as IntendedWrite;
    },
    async intentOf(runId, stepId) {
      return intents.get(`${runId}|${stepId}`);
    },
  };
}

/** One small file per run and step under `dir`; the first intent wins (a retry must not turn "created" into "updated"). */
export function fileStepJournal(dir: string): StepJournal {
  const fileOf = (runId: string, stepId: string) => path.join(dir, encodeURIComponent(runId), `${encodeURIComponent(stepId)}.intent`);
  return {
    async recordIntent(runId, stepId, action) {
      const file = fileOf(runId, stepId);
      await fs.mkdir(path.dirname(file), { recursive: true });
      try {
        await fs.writeFile(file, action, { flag: 'wx' });
        return action;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        return (await fs.readFile(file, 'utf8')) as IntendedWrite;
      }
    },
    async intentOf(runId, stepId) {
      try {
        return (await fs.readFile(fileOf(runId, stepId), 'utf8')) as IntendedWrite;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw e;
      }
    },
  };
}

/**
 * In Azure the app's files are read-only, so the journal lives beside the registry: one row per run
 * (PartitionKey) and step (RowKey) in the function app's storage account. Creating the row is the
 * write; a row that already exists (409) keeps the first intent.
 */
export function tableStepJournal(client: TableClient): StepJournal {
  let created: Promise<unknown> | undefined;
  const ensureTable = () =>
    (created ??= client.createTable().catch((e) => {
      if ((e as { statusCode?: number }).statusCode === 409) return undefined;
      created = undefined; // try again on the next call
      throw e;
    }));
  const key = (value: string) => encodeURIComponent(value);
  return {
    async recordIntent(runId, stepId, action) {
      await ensureTable();
      try {
        await client.createEntity({ partitionKey: key(runId), rowKey: key(stepId), action });
        return action;
      } catch (e) {
        if ((e as { statusCode?: number }).statusCode !== 409) throw e;
        return (await client.getEntity<{ action: IntendedWrite }>(key(runId), key(stepId))).action;
      }
    },
    async intentOf(runId, stepId) {
      await ensureTable();
      try {
        const entity = await client.getEntity<{ action: IntendedWrite }>(key(runId), key(stepId));
        return entity.action;
      } catch (e) {
        if ((e as { statusCode?: number }).statusCode === 404) return undefined;
        throw e;
      }
    },
  };
}
