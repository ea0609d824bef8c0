/**
 * Ask the Destination service for the destination. For OAuth2SAMLBearerAssertion it signs a SAML
 * assertion with the subaccount key and exchanges it at S/4's token endpoint: the real proof that the
 * trust works. Token values are never kept. A plan does not run it: the objects it needs may not exist.
 */
import { z } from 'zod';
import { defineStep } from '../../../shared/workflow/defineStep';
import { PermanentStepError, TransientStepError } from '../../../shared/workflow/stepOutcome';
import { DestinationRef, TokenExchangeResult } from '../references';
import { btpSystem, OnboardingSpec } from '../spec';

export const verify = defineStep({
  kind: 'check',
  id: 'verify',
  title: 'Verify the SAML bearer token exchange',
  outcome: 'verified',
  system: ({ spec }) => btpSystem(spec),
  input: z.object({ spec: OnboardingSpec, destination: DestinationRef }),
  output: TokenExchangeResult,
  assumeInPlan: ({ spec, destination }) => ({ output: { tokenObtained: false }, detail: `a run asks the Destination service for ${destination.name} and exchanges a SAML assertion at ${spec.s4.host}` }),
  async check(deps, { spec, destination }) {
    const destinations = await deps.destinationService(spec.btp.destinationServiceKeySecret, spec.btp.subaccountId, spec.btp.region);
    const found = await destinations.findDestination(destination.name);
    if (!found.tokenExchange.ok) {
      const sapMessage = found.tokenExchange.error ?? 'no token and no error text';
      // The Destination service answered 200 but S/4's token endpoint was busy or away: try again later.
      if (isTemporaryTokenServiceFailure(sapMessage)) throw new TransientStepError(spec.s4.tenant, `the token service of ${spec.s4.host} did not decide: ${sapMessage}`);
      throw new PermanentStepError({
        system: spec.s4.tenant,
        kind: 'TokenExchangeFailed',
        message: `the SAML bearer token exchange through destination ${destination.name} failed: ${sapMessage}`,
        fix: tokenExchangeFix(sapMessage, spec),
      });
    }
    return { output: { tokenObtained: true }, detail: `token obtained from ${spec.s4.host}` };
  },
});

/**
 * The Destination service reports a failed exchange as text in authTokens[].error (contracts A.5).
 * An OAuth error code means S/4 refused the trust; an HTTP 408/429/5xx or an unreachable token
 * service means it did not decide, and asking again later can succeed.
 */
export function isTemporaryTokenServiceFailure(sapMessage: string): boolean {
  if (/\b(invalid_client|invalid_grant|invalid_request|unauthorized_client|unsupported_grant_type|invalid_scope)\b/i.test(sapMessage)) return false;
  return /\b(HTTP|status)\s*(code\s*)?(408|429|5\d\d)\b|service unavailable|too many requests|gateway time-?out|timed out|could not be reached|unreachable/i.test(sapMessage);
}

/** S/4's OAuth errors say little; these are the causes SAP's guides name for each (contracts B.8). */
function tokenExchangeFix(sapMessage: string, spec: OnboardingSpec): string {
  const rerun = spec.btp.trustCertificatePem
    ? "The request supplied btp.trustCertificatePem: it must be the subaccount's current trust certificate (BTP cockpit, Connectivity > Destination Trust); leave it out and the onboarding reads it itself."
    : 'Re-running the onboarding repairs both.';
  if (/invalid_client/i.test(sapMessage)) {
    return `S/4 rejected the client: check that communication system ${spec.s4.communicationSystemId} has "OAuth 2.0 SAML Issuer" equal to the certificate CN and that the inbound user's password matches the destination's tokenServicePassword. ${rerun}`;
  }
  if (/invalid_grant/i.test(sapMessage)) {
    return `S/4 rejected the assertion: the signing certificate on communication system ${spec.s4.communicationSystemId} must be the subaccount's current trust certificate, and the destination audience must be https://${spec.s4.uiHost}. ${rerun}`;
  }
  return `Check that ${spec.s4.host} is reachable from BTP and that arrangement ${spec.s4.arrangementName} is active and references the inbound user.`;
}
