/**
 * What every offboarding step decides about its one object: delete it (it is ours), leave it
 * (already gone), or refuse (it exists but is not ours). The output says what the run removed.
 */
import { z } from 'zod';
import type { Diff } from '../../../shared/workflow/defineStep';
import type { FieldChange } from '../../../shared/workflow/stepPlan';

export const Removal = z.object({
  /** In the administrator's words: `communication system BTP_32FCEECC`. */
  object: z.string(),
  /** false when there was nothing to remove. */
  removed: z.boolean(),
});
export type Removal = z.infer<typeof Removal>;

export const alreadyGone = (object: string): Diff<Removal> => ({ action: 'unchanged', object, changes: [], detail: 'already gone', output: { object, removed: false } });

/** `changes` shows what goes with the object: each field's last value, with no new one. */
export const removal = (object: string, changes: FieldChange[] = [], detail?: string): Diff<Removal> => ({
  action: 'delete',
  object,
  changes,
  ...(detail ? { detail } : {}),
  output: { object, removed: true },
});

export const notOurs = (object: string, why: string, usedBy: string[], fix: string): Diff<Removal> => ({
  action: 'conflict',
  object,
  changes: [],
  detail: why,
  conflict: { usedBy, fix },
  output: { object, removed: false },
});

/** The fields of an object as the plan shows them before a delete: old value, no new one. */
export const goneFields = (fields: Record<string, unknown>): FieldChange[] =>
  Object.entries(fields)
    .filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([field, value]) => ({ field, from: String(value) }));
