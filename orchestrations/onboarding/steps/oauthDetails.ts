/**
 * The arrangement's "OAuth 2.0 Details" (Client ID, Token Service URL, SAML2 Audience). No API field
 * carries them (contracts B.6): they are derived from the tenant host and the client id S/4 assigned
 * to the inbound user, inside the orchestrator, with no activity hop.
 */
import { z } from 'zod';
import { oauth2Details } from '../../../shared/sap/s4/unconfirmedFields';
import { defineStep } from '../../../shared/workflow/defineStep';
import { CommunicationSystemRef, OAuthDetails } from '../references';
import { OnboardingSpec } from '../spec';

export const oauthDetails = defineStep({
  kind: 'derive',
  id: 'oauthDetails',
  title: 'OAuth 2.0 details',
  system: ({ spec }) => spec.s4.tenant,
  input: z.object({ spec: OnboardingSpec, system: CommunicationSystemRef }),
  output: OAuthDetails,
  derive({ spec, system }) {
    const details = oauth2Details(spec.s4.host, { OAuth2ClientID: system.oauthClientId });
    const clientId = details.clientId ?? system.oauthClientId;
    return { output: { clientId, tokenServiceURL: details.tokenServiceURL, audience: details.audience }, detail: `client ID ${clientId}` };
  },
});
