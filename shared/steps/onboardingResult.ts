/** What a completed onboarding returns (the orchestration output). */
export interface OnboardingResult {
  destinationName: string;
  destinationUrl: string;
  tokenServiceURL: string;
  audience: string;
  clientId: string;
  tokenExchangeVerified: boolean;
  certificateFingerprint: string;
  certificateNotAfter: string;
}
