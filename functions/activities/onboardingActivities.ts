/**
 * The onboarding chain's activities: one thin, typed door per step (DESIGN §3). Each validates its
 * input with zod and calls the ensure-step in shared/steps. Permanent failures come back as values;
 * only Transient SAP errors are thrown, and the RetryOptions below retry exactly those.
 */
import * as df from 'durable-functions';
import type { Task } from 'durable-functions';
import type { z } from 'zod';
import { stepDependencies } from '../../shared/steps/stepDependencies';
import * as steps from '../../shared/steps/onboardingStepInputs';
import { preflight } from '../../shared/steps/preflight';
import { ensureTrustCertificate } from '../../shared/steps/ensureTrustCertificate';
import { ensureCommunicationUser } from '../../shared/steps/ensureCommunicationUser';
import { ensureCommunicationSystem } from '../../shared/steps/ensureCommunicationSystem';
import { ensureArrangement } from '../../shared/steps/ensureArrangement';
import { readOAuthDetails } from '../../shared/steps/readOAuthDetails';
import { ensureDestination } from '../../shared/steps/ensureDestination';
import { verifyTokenExchange } from '../../shared/steps/verifyTokenExchange';
import { recordTenant } from '../../shared/steps/recordTenant';
import type { StepDependencies } from '../../shared/steps/stepDependencies';
import type { ActivityOutcome } from '../../shared/steps/stepResult';

/**
 * SAP answers 429/5xx/timeouts now and then; back off up to ~1.5 minutes in total before giving up.
 * A create (POST) is never repeated inside the client, so every failed create costs the step a whole
 * attempt: with 25 % of calls failing, 6 attempts still let one onboarding in a few hundred fail
 * (one run in ten of the fault test's 50 tenants saw it); 10 make that negligible.
 */
export function transientRetryPolicy(): df.RetryOptions {
  const retry = new df.RetryOptions(1000, 10);
  retry.backoffCoefficient = 2;
  retry.maxRetryIntervalInMilliseconds = 15_000;
  return retry;
}

function activity<S extends z.ZodType>(
  name: string,
  schema: S,
  run: (input: z.infer<S>, deps: StepDependencies) => Promise<ActivityOutcome<unknown>>,
): (input: z.input<S>) => Task {
  const register = df.app.activity(name, {
    handler: async (input: unknown) => run(schema.parse(input), await stepDependencies()),
  });
  return (input) => register(input).withRetry(transientRetryPolicy());
}

export const activities = {
  preflight: activity('onboarding_preflight', steps.PlanInput, preflight),
  ensureTrustCertificate: activity('onboarding_ensureTrustCertificate', steps.PlanInput, ensureTrustCertificate),
  ensureCommunicationUser: activity('onboarding_ensureCommunicationUser', steps.PlanInput, ensureCommunicationUser),
  ensureCommunicationSystem: activity('onboarding_ensureCommunicationSystem', steps.CommunicationSystemInput, ensureCommunicationSystem),
  ensureArrangement: activity('onboarding_ensureArrangement', steps.ArrangementInput, ensureArrangement),
  readOAuthDetails: activity('onboarding_readOAuthDetails', steps.OAuthDetailsInput, readOAuthDetails),
  ensureDestination: activity('onboarding_ensureDestination', steps.DestinationInput, ensureDestination),
  verifyTokenExchange: activity('onboarding_verifyTokenExchange', steps.VerifyInput, verifyTokenExchange),
  recordTenant: activity('onboarding_recordTenant', steps.RecordInput, recordTenant),
};
