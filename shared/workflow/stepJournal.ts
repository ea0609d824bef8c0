/**
 * Remembers, per run and step, the write a step was about to make. Activities run at least once: when
 * the host dies after SAP carried out a create but before the activity reported it, the step runs
 * again, finds the object and would call it "unchanged". The journal lets it say "created".
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { PlanAction } from './stepPlan';

export type IntendedWrite = Extract<PlanAction, 'create' | 'update' | 'delete'>;

export interface StepJournal {
  recordIntent(runId: string, stepId: string, action: IntendedWrite): Promise<void>;
  intentOf(runId: string, stepId: string): Promise<IntendedWrite | undefined>;
}

export function memoryStepJournal(): StepJournal {
  const intents = new Map<string, IntendedWrite>();
  return {
    async recordIntent(runId, stepId, action) {
      intents.set(`${runId}|${stepId}`, action);
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
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
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
