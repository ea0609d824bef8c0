/**
 * Step 5: the arrangement's "OAuth 2.0 Details" (Client ID, Token Service URL, SAML2 Audience).
 * No API field carries them (contracts B.6), so they are derived in the S/4 unconfirmed-fields
 * module from the tenant host and the client id S/4 assigned to the inbound user.
 */
import { oauth2Details } from '../sap/s4/unconfirmedFields';
import type { OnboardingPlan } from './onboardingPlan';
import type { ArrangementRef, CommunicationSystemRef, OAuthDetails } from './stepReferences';
import { asActivityOutcome, unchanged, type ActivityOutcome } from './stepResult';

export function readOAuthDetails(
  { plan, system }: { plan: OnboardingPlan; system: CommunicationSystemRef; arrangement: ArrangementRef },
): Promise<ActivityOutcome<OAuthDetails>> {
  return asActivityOutcome('oauthDetails', plan.s4.tenant, async () => {
    const details = oauth2Details(plan.s4.host, { OAuth2ClientID: system.oauthClientId });
    const clientId = details.clientId ?? system.oauthClientId;
    return unchanged({ clientId, tokenServiceURL: details.tokenServiceURL, audience: details.audience }, `client ID ${clientId}`);
  });
}
