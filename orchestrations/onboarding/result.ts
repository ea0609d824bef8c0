/** What a completed onboarding returns (the orchestration output, shown as the run's result). */
import { z } from 'zod';

export const OnboardingResult = z.object({
  destinationName: z.string(),
  destinationUrl: z.string(),
  tokenServiceURL: z.string(),
  audience: z.string(),
  clientId: z.string(),
  tokenExchangeVerified: z.boolean(),
  certificateFingerprint: z.string(),
  certificateNotAfter: z.string(),
});
export type OnboardingResult = z.infer<typeof OnboardingResult>;

/** What the views show about an onboarding besides its steps. */
export const OnboardingSubject = z.object({ tenant: z.string(), subaccountId: z.string() });
