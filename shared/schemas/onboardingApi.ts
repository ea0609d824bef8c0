/**
 * The bodies of the onboarding HTTP API (docs/module-contracts.md), as zod schemas: the functions
 * validate with them and openapi.ts documents them. Nothing here can hold a secret value except
 * CredentialPut, which is write-only.
 */
import { z } from 'zod';
import { ONBOARDING_STEPS } from '../steps/onboardingSteps';

const stepIds = ONBOARDING_STEPS.map((s) => s.id) as [string, ...string[]];
export const OnboardingStepId = z.enum(stepIds);

export const ONBOARDING_STATUSES = ['pending', 'running', 'waiting for manual step', 'completed', 'failed', 'terminated'] as const;
export const OnboardingStatus = z.enum(ONBOARDING_STATUSES);

export const FieldErrorSchema = z.object({ field: z.string(), message: z.string() });

/** 400 (malformed request) and 422 (well-formed but unusable, e.g. an unknown credential name). */
export const FieldErrorsBody = z.object({ error: z.string(), fields: z.array(FieldErrorSchema) });

export const ConflictBody = z
  .object({ error: z.string(), id: z.string(), statusUrl: z.string() })
  .meta({ description: 'A run for the same tenant and subaccount is still running' });

export const ErrorBody = z.object({ error: z.string() });

/**
 * What a step did, in honest words: it wrote (`created`, `updated`, `deleted`), it found SAP as
 * wanted (`unchanged`), it only read (`checked`), it proved something end to end (`verified`), a
 * person did it and the run read it back (`done by hand`); or it `failed`, or is `waiting` for a person.
 */
export const STEP_OUTCOMES = ['created', 'updated', 'unchanged', 'deleted', 'checked', 'verified', 'done by hand', 'failed', 'waiting'] as const;
export const StepOutcome = z.enum(STEP_OUTCOMES);

export const StepView = z.object({
  id: OnboardingStepId,
  title: z.string(),
  outcome: StepOutcome.optional(),
  /** Things the administrator must know about a step that did not fail (e.g. a manual step ahead). */
  warnings: z.array(z.string()).optional(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  durationMs: z.number().optional(),
  detail: z.string().optional(),
});

export const ManualActionView = z.object({
  step: OnboardingStepId,
  title: z.string(),
  instructions: z.array(z.string()),
  fioriApp: z.string(),
  certificateUrl: z.string(),
  samlIssuer: z.string(),
  deadline: z.string(),
  resumeUrl: z.string(),
  lastVerification: z.string().optional().meta({ description: 'Set when a confirmation was checked and S/4 did not show the change yet' }),
});

export const OnboardingResultView = z.object({
  destinationName: z.string(),
  destinationUrl: z.string(),
  tokenServiceURL: z.string(),
  audience: z.string(),
  clientId: z.string(),
  tokenExchangeVerified: z.boolean(),
  certificateFingerprint: z.string(),
  certificateNotAfter: z.string(),
});

export const OnboardingView = z
  .object({
    id: z.string().meta({ description: 'Deterministic: onboard-<tenant>-<subaccount>' }),
    status: OnboardingStatus,
    tenant: z.string(),
    subaccountId: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    current: z.object({ step: z.string(), index: z.number().int(), total: z.number().int(), message: z.string() }).optional(),
    steps: z.array(StepView),
    manualAction: ManualActionView.optional(),
    result: OnboardingResultView.optional(),
    error: z.object({ step: z.string(), system: z.string(), message: z.string(), fix: z.string() }).optional(),
  })
;
export type OnboardingView = z.infer<typeof OnboardingView>;

export const OnboardingList = z.object({ items: z.array(OnboardingView) });

/** `?status=running,failed` */
export const OnboardingListQuery = z.object({
  status: z
    .string()
    .optional()
    .transform((s, ctx) => {
      const wanted = (s ?? '').split(',').map((x) => x.trim()).filter(Boolean);
      for (const w of wanted) {
        if (!(ONBOARDING_STATUSES as readonly string[]).includes(w)) {
          ctx.addIssue({ code: 'custom', message: `unknown status "${w}"; one of ${ONBOARDING_STATUSES.join(', ')}` });
        }
      }
      return wanted as (typeof ONBOARDING_STATUSES)[number][];
    }),
});

export const ManualStepConfirmation = z.strictObject({ note: z.string().max(1000).optional() });

export const CredentialPut = z
  .strictObject({
    value: z.union([z.string().min(1, 'must not be empty'), z.record(z.string(), z.unknown())]).meta({
      description: 'The credential: a string, or a JSON object such as a Destination service key or {"user","password"}. Write-only.',
      writeOnly: true,
    }),
    contentType: z.string().max(255).optional(),
  })
;

export const CredentialMetadata = z
  .object({ name: z.string(), exists: z.literal(true), contentType: z.string().optional(), updatedOn: z.string().optional() });

export const Health = z.object({ status: z.literal('ok') });
