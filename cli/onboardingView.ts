/**
 * The answers of the onboarding HTTP API as the CLI reads them (docs/module-contracts.md,
 * "Onboarding HTTP API"). Validated so that a changed server shape fails loudly; unknown fields are
 * dropped, which also keeps anything the CLI does not know how to show off the screen.
 */
import { z } from 'zod';

export const ONBOARDING_STATUSES = ['pending', 'running', 'waiting for manual step', 'completed', 'failed', 'terminated'] as const;
export const OnboardingStatus = z.enum(ONBOARDING_STATUSES);
export type OnboardingStatus = z.infer<typeof OnboardingStatus>;

export const StepView = z.object({
  id: z.string(),
  title: z.string(),
  outcome: z.enum(['created', 'updated', 'unchanged', 'failed', 'waiting']).optional(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  durationMs: z.number().optional(),
  detail: z.string().optional(),
});
export type StepView = z.infer<typeof StepView>;

export const ManualActionView = z.object({
  step: z.string(),
  title: z.string(),
  instructions: z.array(z.string()),
  fioriApp: z.string(),
  /** Absolute, or relative to the API base (the workflow status carries `certificatePath`). */
  certificateUrl: z.string().optional(),
  certificatePath: z.string().optional(),
  samlIssuer: z.string(),
  deadline: z.string(),
  resumeUrl: z.string().optional(),
  lastVerification: z.string().optional(),
});
export type ManualActionView = z.infer<typeof ManualActionView>;

export const OnboardingResultView = z.object({
  destinationName: z.string(),
  destinationUrl: z.string(),
  tokenServiceURL: z.string(),
  audience: z.string(),
  clientId: z.string(),
  tokenExchangeVerified: z.boolean(),
  certificateFingerprint: z.string().optional(),
  certificateNotAfter: z.string().optional(),
});
export type OnboardingResultView = z.infer<typeof OnboardingResultView>;

export const OnboardingErrorView = z.object({
  step: z.string(),
  system: z.string(),
  message: z.string(),
  fix: z.string(),
});

export const OnboardingView = z.object({
  id: z.string(),
  status: OnboardingStatus,
  /** Absent while the run has not published its input yet. */
  tenant: z.string().optional(),
  subaccountId: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  current: z.object({ step: z.string(), index: z.number(), total: z.number(), message: z.string() }).optional(),
  steps: z.array(StepView),
  manualAction: ManualActionView.optional(),
  result: OnboardingResultView.optional(),
  error: OnboardingErrorView.optional(),
});
export type OnboardingView = z.infer<typeof OnboardingView>;

export const OnboardingList = z.object({ items: z.array(OnboardingView) });

export const FINAL_STATUSES: ReadonlySet<OnboardingStatus> = new Set(['completed', 'failed', 'terminated']);

/** 400 / 422 answers: every field that was wrong, and why. */
export const FieldErrorsAnswer = z.object({
  error: z.string(),
  fields: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});

/** 409 on POST /api/onboardings: a run for this tenant and subaccount is still going. */
export const ConflictAnswer = z.object({ error: z.string(), id: z.string().optional(), statusUrl: z.string().optional() });
