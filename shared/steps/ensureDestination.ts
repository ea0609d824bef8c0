/**
 * Step 6: the OAuth2SAMLBearerAssertion destination in the subaccount (contracts A.6). Read with its
 * ETag, compare the properties we own, write only when one differs (PUT with If-Match) or when the
 * destination is missing (POST). Properties someone added by hand are kept.
 */
import type { DestinationProperties } from '../sap/destination/destinationSchemas';
import { USER_ID_MAPPING_MODES } from '../sap/s4/unconfirmedFields';
import type { OnboardingPlan } from './onboardingPlan';
import { readRequiredSecret, type StepDependencies } from './stepDependencies';
import type { CommunicationUserRef, DestinationRef, OAuthDetails } from './stepReferences';
import { asActivityOutcome, created, unchanged, updated, type ActivityOutcome } from './stepResult';

/**
 * Every required property of A.6 plus the credentials. NameID format and source follow the S/4 User
 * ID Mapping Mode (the A.6 interaction rule, kept in the S/4 unconfirmed-fields module).
 */
export function desiredDestination(plan: OnboardingPlan, oauth: OAuthDetails, tokenServicePassword: string): DestinationProperties {
  return {
    Description: `SAP S/4HANA Cloud ${plan.s4.tenant} (${plan.s4.scenarioId}), managed by sap-trust-onboarding`,
    URL: `https://${plan.s4.host}`,
    ProxyType: 'Internet',
    Authentication: 'OAuth2SAMLBearerAssertion',
    audience: oauth.audience,
    clientKey: oauth.clientId,
    tokenServiceURLType: 'Dedicated',
    tokenServiceURL: oauth.tokenServiceURL,
    tokenServiceUser: oauth.clientId,
    tokenServicePassword,
    authnContextClassRef: 'urn:oasis:names:tc:SAML:2.0:ac:classes:X509',
    ...USER_ID_MAPPING_MODES[plan.s4.userIdMappingMode].destination,
    ...plan.destinationProperties,
    Name: plan.btp.destinationName,
    Type: 'HTTP',
  };
}

export function ensureDestination(
  { plan, oauth, user }: { plan: OnboardingPlan; oauth: OAuthDetails; user: CommunicationUserRef },
  deps: StepDependencies,
): Promise<ActivityOutcome<DestinationRef>> {
  return asActivityOutcome('destination', `subaccount ${plan.btp.subaccountId}`, async () => {
    const destinations = await deps.destinationService(plan.btp.destinationServiceKeySecret, plan.btp.subaccountId, plan.btp.region);
    const password = await readRequiredSecret(deps.secrets, user.passwordSecret, plan.s4.tenant, 'communication user password');
    const wanted = desiredDestination(plan, oauth, password);
    const ref: DestinationRef = { name: wanted.Name, url: wanted.URL };

    const existing = await destinations.getDestination(wanted.Name);
    if (!existing) {
      await destinations.createDestination(wanted);
      return created(ref);
    }
    const drifted = Object.keys(wanted).filter((key) => String(existing.destination[key] ?? '') !== wanted[key]);
    if (drifted.length === 0) return unchanged(ref);
    const merged: DestinationProperties = { ...stringProperties(existing.destination), ...wanted };
    await destinations.updateDestination(merged, { ifMatch: existing.etag });
    return updated(ref, `repaired ${drifted.map((k) => (k === 'tokenServicePassword' ? 'tokenServicePassword (value not shown)' : k)).join(', ')}`);
  });
}

function stringProperties(destination: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(destination).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
}
