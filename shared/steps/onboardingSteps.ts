/** The onboarding chain as data (DESIGN §5): status, CLI progress and docs all read this list. */
export const ONBOARDING_STEPS = [
  { id: 'preflight', title: 'Preflight: credentials, BTP token, S/4 $metadata' },
  { id: 'trustCertificate', title: 'Subaccount trust certificate' },
  { id: 'communicationUser', title: 'S/4 communication user' },
  { id: 'communicationSystem', title: 'S/4 communication system (OAuth 2.0 IdP, signing certificate, SAML issuer)' },
  { id: 'arrangement', title: 'S/4 communication arrangement' },
  { id: 'oauthDetails', title: 'OAuth 2.0 details' },
  { id: 'destination', title: 'BTP destination (OAuth2SAMLBearerAssertion)' },
  { id: 'verify', title: 'Verify the SAML bearer token exchange' },
  { id: 'record', title: 'Record the tenant' },
] as const;

export type OnboardingStepId = (typeof ONBOARDING_STEPS)[number]['id'];
