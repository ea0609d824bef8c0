/**
 * The bodies of the onboarding HTTP API (docs/module-contracts.md), as zod schemas: the functions
 * validate with them and openapi.ts documents them. Nothing here can hold a secret value except
 * CredentialPut, which is write-only.
 */
import { z } from 'zod';
import { OnboardingResult, OnboardingSubject } from '../../orchestrations/onboarding/result';
import { RunListQuery, RunStatus, RunViewBase, runViewSchema, STATUS_ALIASES, RUN_STATUSES } from '../workflow/runViewSchema';

export { ManualStepConfirmation, StepView, ManualActionView } from '../workflow/runViewSchema';
export { STEP_STATES as STEP_OUTCOMES } from '../workflow/stepOutcome';

/** Kept under their first names: the CLI and older clients read these. */
export const ONBOARDING_STATUSES = RUN_STATUSES;
export const OnboardingStatus = RunStatus;
export { STATUS_ALIASES };

export const FieldErrorSchema = z.object({ field: z.string(), message: z.string() });

/** 400 (malformed request) and 422 (well-formed but unusable, e.g. an unknown credential name). */
export const FieldErrorsBody = z.object({ error: z.string(), fields: z.array(FieldErrorSchema) });

export const ConflictBody = z
  .object({ error: z.string(), id: z.string(), statusUrl: z.string() })
  .meta({ description: 'A run for the same tenant and subaccount is still running' });

export const ErrorBody = z.object({ error: z.string() });

export const OnboardingResultView = OnboardingResult;

export const OnboardingView = runViewSchema(OnboardingSubject, OnboardingResult);
export type OnboardingView = z.infer<typeof OnboardingView>;

export const OnboardingList = z.object({ items: z.array(OnboardingView) });

/** `?status=running,failed,waiting` */
export const OnboardingListQuery = RunListQuery;
export { RunViewBase };


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

/** 503 from every route, health included, while the app's settings are invalid. */
export const SettingsUnavailableBody = z
  .object({ error: z.string(), settings: z.array(z.object({ setting: z.string(), message: z.string() })) })
  .meta({ description: "The app's settings are invalid; each bad setting is named. Fix them and restart the app." });
