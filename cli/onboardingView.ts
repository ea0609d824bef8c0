/**
 * The answers of the onboarding HTTP API as the CLI reads them: the server's own schemas
 * (shared/schemas/onboardingApi.ts), so a changed shape fails loudly on both sides. Parsing drops
 * unknown fields, which also keeps anything the CLI does not know how to show off the screen.
 */
import { ConflictBody, FieldErrorsBody, type OnboardingView } from '../shared/schemas/onboardingApi';

export { ONBOARDING_STATUSES, OnboardingList, OnboardingView, STEP_OUTCOMES } from '../shared/schemas/onboardingApi';
export type OnboardingStatus = OnboardingView['status'];
export type StepView = OnboardingView['steps'][number];
export type StepOutcome = NonNullable<StepView['outcome']>;
export type ManualActionView = NonNullable<OnboardingView['manualAction']>;

export const FINAL_STATUSES: ReadonlySet<OnboardingStatus> = new Set(['completed', 'failed', 'terminated']);

/** 400 / 422 answers: every field that was wrong, and why (a proxy in front may answer without fields). */
export const FieldErrorsAnswer = FieldErrorsBody.partial({ fields: true });

/** 409 on POST /api/onboardings: a run for this tenant and subaccount is still going. */
export const ConflictAnswer = ConflictBody.partial({ id: true, statusUrl: true });
