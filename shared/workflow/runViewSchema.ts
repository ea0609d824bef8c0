/**
 * The one view of a run that every workflow's API returns, as zod schemas: the run API answers with
 * it, openapi.json documents it, and the CLI reads the API with it.
 */
import { z } from 'zod';
import { STEP_STATES } from './stepOutcome';
import { StepPlan } from './stepPlan';

export const RUN_STATUSES = ['pending', 'running', 'waiting for manual step', 'suspended', 'completed', 'failed', 'terminated', 'canceled'] as const;
export const RunStatus = z.enum(RUN_STATUSES);
export type RunStatus = z.infer<typeof RunStatus>;

/** A run that has not ended: one at a time per key, DELETE stops it, GET answers 202. */
export const ACTIVE_STATUSES: readonly RunStatus[] = ['pending', 'running', 'waiting for manual step', 'suspended'];

/** Short words a person types: `--status waiting` means "waiting for manual step". */
export const STATUS_ALIASES: Record<string, RunStatus> = { waiting: 'waiting for manual step', cancelled: 'canceled' };

export const StepView = z.object({
  id: z.string(),
  title: z.string(),
  outcome: z.enum(STEP_STATES).optional(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  durationMs: z.number().optional(),
  detail: z.string().optional(),
  warnings: z.array(z.string()).optional(),
  plan: StepPlan.optional().meta({ description: 'What the step found and would change (plans) or changed (runs); secret values are masked' }),
});
export type StepView = z.infer<typeof StepView>;

export const AttachmentView = z.object({ name: z.string(), fileName: z.string(), contentType: z.string(), description: z.string(), url: z.string() });

export const ManualActionView = z.object({
  step: z.string(),
  title: z.string(),
  instructions: z.array(z.string()),
  attachments: z.array(AttachmentView),
  facts: z.record(z.string(), z.string()),
  deadline: z.string(),
  resumeUrl: z.string(),
  lastVerification: z.string().optional().meta({ description: 'Set when a confirmation was checked and the change was not found yet' }),
});

export const RunError = z.object({ step: z.string(), system: z.string(), kind: z.string().optional(), message: z.string(), fix: z.string() });

export const RunViewBase = z.object({
  id: z.string(),
  kind: z.string().meta({ description: 'The workflow, as in its route: onboardings, offboardings, …' }),
  mode: z.enum(['run', 'plan']),
  status: RunStatus,
  createdAt: z.string(),
  updatedAt: z.string(),
  current: z.object({ step: z.string(), index: z.number().int(), total: z.number().int(), message: z.string() }).optional(),
  steps: z.array(StepView),
  manualAction: ManualActionView.optional(),
  error: RunError.optional(),
});

/** A workflow's view: the base, what it is about (e.g. tenant and subaccount), and its result. */
export function runViewSchema<S extends z.ZodRawShape, R extends z.ZodType>(subject: z.ZodObject<S>, result: R) {
  return RunViewBase.extend(subject.shape).extend({ result: result.optional() });
}

export type RunView = z.infer<typeof RunViewBase> & Record<string, unknown> & { result?: unknown };

/** `?status=running,failed,waiting` */
export const RunListQuery = z.object({
  status: z
    .string()
    .optional()
    .transform((s, ctx) => {
      const wanted = (s ?? '').split(',').map((x) => x.trim()).filter(Boolean).map((w) => STATUS_ALIASES[w] ?? w);
      for (const w of wanted) {
        if (!(RUN_STATUSES as readonly string[]).includes(w)) ctx.addIssue({ code: 'custom', message: `unknown status "${w}"; one of ${RUN_STATUSES.join(', ')} (or waiting)` });
      }
      return wanted as RunStatus[];
    }),
});

export const ManualStepConfirmation = z.strictObject({ note: z.string().max(1000).optional() });
