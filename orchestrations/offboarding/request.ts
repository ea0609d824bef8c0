/**
 * An offboarding takes the very body its onboarding got: the same schema, the same defaults for the
 * names, the same credentials (so `sap-trust offboard request.json` takes the onboarding's file).
 * Fields only an onboarding uses (destination properties, adopt) are accepted and have no effect.
 */
import { OnboardingRequest } from '../../shared/schemas/onboardingRequest';
import { prepareOnboarding } from '../onboarding/request';

export const OffboardingRequest = OnboardingRequest;
export const prepareOffboarding = prepareOnboarding;
