/**
 * Step 7: ask the Destination service for the destination. For OAuth2SAMLBearerAssertion it signs a
 * SAML assertion with the subaccount key and exchanges it at S/4's token endpoint: the real proof that
 * the trust works. Token values are never kept.
 */
import { SapError } from '../sap/errors';
import type { OnboardingPlan } from './onboardingPlan';
import type { StepDependencies } from './stepDependencies';
import type { DestinationRef, TokenExchangeResult } from './stepReferences';
import { asActivityOutcome, PermanentStepError, unchanged, type ActivityOutcome } from './stepResult';

export function verifyTokenExchange(
  { plan, destination }: { plan: OnboardingPlan; destination: DestinationRef },
  deps: StepDependencies,
): Promise<ActivityOutcome<TokenExchangeResult>> {
  return asActivityOutcome('verify', `subaccount ${plan.btp.subaccountId}`, async () => {
    const destinations = await deps.destinationService(plan.btp.destinationServiceKeySecret, plan.btp.subaccountId, plan.btp.region);
    const found = await destinations.findDestination(destination.name);
    if (!found.tokenExchange.ok) {
      const sapMessage = found.tokenExchange.error ?? 'no token and no error text';
      if (isTemporaryTokenServiceFailure(sapMessage)) {
        // The Destination service answered 200 but S/4's token endpoint was busy or away: the activity's retry policy takes it.
        throw new SapError({ api: 'Destination', kind: 'Transient', system: plan.s4.tenant, operation: 'find destination token exchange', sapMessage });
      }
      throw new PermanentStepError({
        system: plan.s4.tenant,
        kind: 'TokenExchangeFailed',
        message: `the SAML bearer token exchange through destination ${destination.name} failed: ${sapMessage}`,
        fix: tokenExchangeFix(sapMessage, plan),
      });
    }
    return unchanged({ tokenObtained: true }, `token obtained from ${plan.s4.host}`);
  });
}

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
function tokenExchangeFix(sapMessage: string, plan: OnboardingPlan): string {
  const rerun = plan.btp.trustCertificatePem
    ? "The request supplied btp.trustCertificatePem: it must be the subaccount's current trust certificate (BTP cockpit, Connectivity > Destination Trust); leave it out and the onboarding reads it itself."
    : 'Re-running the onboarding repairs both.';
  if (/invalid_client/i.test(sapMessage)) {
    return `S/4 rejected the client: check that communication system ${plan.s4.communicationSystemId} has "OAuth 2.0 SAML Issuer" equal to the certificate CN and that the inbound user's password matches the destination's tokenServicePassword. ${rerun}`;
  }
  if (/invalid_grant/i.test(sapMessage)) {
    return `S/4 rejected the assertion: the signing certificate on communication system ${plan.s4.communicationSystemId} must be the subaccount's current trust certificate, and the destination audience must be https://${plan.s4.uiHost}. ${rerun}`;
  }
  return `Check that ${plan.s4.host} is reachable from BTP and that arrangement ${plan.s4.arrangementName} is active.`;
}
