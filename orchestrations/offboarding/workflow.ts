/**
 * Offboard an S/4HANA Cloud tenant from a BTP subaccount: Terraform's destroy for one onboarding.
 * It removes what the onboarding created, in reverse order, and only what the onboarding owns:
 * destination → arrangement → communication system (with its inbound user) → communication user →
 * its password secret → the registry row. The subaccount's trust certificate stays: it is the
 * subaccount's, and other tenants trust it.
 *
 * Each step finds its object gone (unchanged), ours (deleted) or someone else's (Conflict: the run
 * fails there). Steps run one after the other, so a failed step leaves the later objects as they
 * were, and what came before it is gone: after the fix, the same request finishes the job.
 */
import { defineWorkflow } from '../../shared/workflow/defineWorkflow';
import { OnboardingSubject } from '../onboarding/result';
import { onboardingKey, OnboardingSpec } from '../onboarding/spec';
import { OffboardingRequest, prepareOffboarding } from './request';
import { OffboardingResult, offboardingResult } from './result';
import { destination } from './steps/destination';
import { arrangement } from './steps/arrangement';
import { communicationSystem } from './steps/communicationSystem';
import { communicationUser } from './steps/communicationUser';
import { passwordSecret } from './steps/passwordSecret';
import { registryRow } from './steps/registryRow';

export const offboarding = defineWorkflow<OnboardingSpec, OffboardingResult>({
  kind: 'offboardings',
  name: 'offboarding',
  noun: 'offboarding',
  idPrefix: 'offboard',
  request: OffboardingRequest,
  prepare: prepareOffboarding,
  input: OnboardingSpec,
  key: onboardingKey,
  // An offboarding and an onboarding of the same tenant and subaccount never run at once.
  exclusiveGroup: 'tenant',
  subject: OnboardingSubject,
  subjectOf: (spec) => ({ tenant: spec.s4.tenant, subaccountId: spec.btp.subaccountId }),
  steps: [destination, arrangement, communicationSystem, communicationUser, passwordSecret, registryRow],
  result: OffboardingResult,

  *orchestrate(run, spec) {
    const removals = [
      yield* run.step(destination.with({ spec })),
      yield* run.step(arrangement.with({ spec })),
      yield* run.step(communicationSystem.with({ spec })),
      yield* run.step(communicationUser.with({ spec })),
      yield* run.step(passwordSecret.with({ spec })),
      yield* run.step(registryRow.with({ spec })),
    ];
    return offboardingResult(removals);
  },
});
