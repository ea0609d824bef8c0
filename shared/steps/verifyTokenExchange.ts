/**
 * Step 7: ask the Destination service for the destination. For OAuth2SAMLBearerAssertion it signs a
 * SAML assertion with the subaccount key and exchanges it at S/4's token endpoint: the real proof that
 * the trust works. Token values are never kept.
 */
import type { OnboardingPlan } from './onboardingPlan';
import type { StepDependencies } from './stepDependencies';
import type { DestinationRef, TokenExchangeResult } from './stepReferences';
import { asActivityOutcome, PermanentStepError, unchanged, type ActivityOutcome } from './stepResult';

export function verifyTokenExchange(
  { plan, destination }: { plan: OnboardingPlan; destination: DestinationRef },
  deps: StepDependencies,
): Promise<ActivityOutcome<TokenExchangeResult>> {
  return asActivityOutcome('verify', `subaccount ${plan.btp.subaccountId}`, async () => {
    const destinations = await deps.destinationService(plan.btp.destinationServiceKeySecret, plan.btp.subaccountId);
    const found = await destinations.findDestination(destination.name);
    if (!found.tokenExchange.ok) {
      const sapMessage = found.tokenExchange.error ?? 'no token and no error text';
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

/** S/4's OAuth errors say little; these are the causes SAP's guides name for each (contracts B.8). */
function tokenExchangeFix(sapMessage: string, plan: OnboardingPlan): string {
  if (/invalid_client/i.test(sapMessage)) {
    return `S/4 rejected the client: check that communication system ${plan.s4.communicationSystemId} has "OAuth 2.0 SAML Issuer" equal to the certificate CN and that the inbound user's password matches the destination's tokenServicePassword. Re-running the onboarding repairs both.`;
  }
  if (/invalid_grant/i.test(sapMessage)) {
    return `S/4 rejected the assertion: the signing certificate on communication system ${plan.s4.communicationSystemId} must be the subaccount's current trust certificate, and the destination audience must be https://${plan.s4.uiHost}. Re-running the onboarding repairs both.`;
  }
  return `Check that ${plan.s4.host} is reachable from BTP and that arrangement ${plan.s4.arrangementName} is active.`;
}
