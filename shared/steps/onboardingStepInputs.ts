/** The input of each onboarding activity, validated at the activity door. */
import { z } from 'zod';
import { OnboardingPlan } from './onboardingPlan';
import {
  ArrangementRef,
  CommunicationSystemRef,
  CommunicationUserRef,
  DestinationRef,
  OAuthDetails,
  TokenExchangeResult,
  TrustCertificateRef,
} from './stepReferences';

export const PlanInput = z.object({ plan: OnboardingPlan });
export const CommunicationSystemInput = PlanInput.extend({
  cert: TrustCertificateRef,
  user: CommunicationUserRef,
  uploadCertificate: z.boolean(),
});
export const ArrangementInput = PlanInput.extend({ system: CommunicationSystemRef });
export const OAuthDetailsInput = PlanInput.extend({ system: CommunicationSystemRef, arrangement: ArrangementRef });
export const DestinationInput = PlanInput.extend({ oauth: OAuthDetails, user: CommunicationUserRef });
export const VerifyInput = PlanInput.extend({ destination: DestinationRef });
export const RecordInput = PlanInput.extend({
  cert: TrustCertificateRef,
  system: CommunicationSystemRef,
  arrangement: ArrangementRef,
  destination: DestinationRef,
  verified: TokenExchangeResult,
  onboardingId: z.string(),
});
