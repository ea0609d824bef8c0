/**
 * A step's plan: what a run would do to one object, read and compared but not written. The same value
 * drives the write, so a plan cannot drift from what a run does.
 */
import { z } from 'zod';

export const PLAN_ACTIONS = ['create', 'update', 'delete', 'unchanged', 'check', 'conflict', 'manual'] as const;
export type PlanAction = (typeof PLAN_ACTIONS)[number];

export const FieldChange = z.object({
  field: z.string(),
  /** Absent when the object or field does not exist yet. Secret values are masked. */
  from: z.string().optional(),
  to: z.string().optional(),
});
export type FieldChange = z.infer<typeof FieldChange>;

export const StepPlan = z.object({
  action: z.enum(PLAN_ACTIONS),
  /** The object the step is about, in the administrator's words: `communication user COM0501_32FCEECC`. */
  object: z.string().optional(),
  changes: z.array(FieldChange),
  detail: z.string().optional(),
  /** For a conflict: who else uses the object, and how to go on. */
  conflict: z.object({ usedBy: z.array(z.string()), fix: z.string() }).optional(),
});
export type StepPlan = z.infer<typeof StepPlan>;

export const MASKED = '(secret, not shown)';

/** The changes between what exists and what is wanted, field by field; secret fields are masked both ways. */
export function fieldChanges(
  current: Record<string, unknown> | undefined,
  wanted: Record<string, unknown>,
  options: { secretFields?: readonly string[]; equal?: (field: string, have: unknown, want: unknown) => boolean } = {},
): FieldChange[] {
  const secret = new Set(options.secretFields ?? []);
  const equal = options.equal ?? ((_f, have, want) => String(have ?? '') === String(want ?? ''));
  const show = (field: string, value: unknown) => (value === undefined || value === null ? undefined : secret.has(field) ? MASKED : String(value));
  return Object.keys(wanted)
    .filter((field) => !current || !equal(field, current[field], wanted[field]))
    .map((field) => ({ field, ...optional('from', current ? show(field, current[field]) : undefined), ...optional('to', show(field, wanted[field])) }));
}

const optional = <K extends string>(key: K, value: string | undefined) => (value === undefined ? {} : ({ [key]: value } as Record<K, string>));
