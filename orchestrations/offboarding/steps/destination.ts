/**
 * The OAuth2SAMLBearerAssertion destination goes first: without it no BTP application can reach
 * the tenant any more. Only a destination whose `sapTrustOwner` names this onboarding is deleted.
 */
import { defineStep } from '../../../shared/workflow/defineStep';
import { DESTINATION_OWNER_PROPERTY, destinationOwnership } from '../../onboarding/ownership';
import { btpSystem, SpecInput } from '../../onboarding/spec';
import { alreadyGone, goneFields, notOurs, Removal, removal } from './removal';

export const destination = defineStep({
  id: 'destination',
  title: 'Delete the BTP destination',
  system: ({ spec }) => btpSystem(spec),
  input: SpecInput,
  output: Removal,
  async read(deps, { spec }) {
    const destinations = await deps.destinationService(spec.btp.destinationServiceKeySecret, spec.btp.subaccountId, spec.btp.region);
    return (await destinations.getDestination(spec.btp.destinationName))?.destination;
  },
  diff(existing, { spec }) {
    const name = spec.btp.destinationName;
    const object = `destination ${name}`;
    if (!existing) return alreadyGone(object);
    const owner = destinationOwnership(existing, spec);
    if (owner !== 'ours') {
      const heldBy = owner === 'another onboarding' ? String(existing[DESTINATION_OWNER_PROPERTY]) : 'someone else (it has no sap-trust owner mark)';
      return notOurs(object, `it belongs to ${heldBy}`, [heldBy], `Leave ${name} alone, or delete it in the BTP cockpit (Connectivity > Destinations) if nobody needs it; check "btp.destinationName" if this is not the destination the onboarding created.`);
    }
    return removal(object, goneFields({ URL: existing.URL, Authentication: existing.Authentication, tokenServiceURL: existing.tokenServiceURL }));
  },
  async write(deps, { spec }, _existing, diff) {
    const destinations = await deps.destinationService(spec.btp.destinationServiceKeySecret, spec.btp.subaccountId, spec.btp.region);
    const removed = await destinations.deleteDestination(spec.btp.destinationName);
    return { output: { ...diff.output, removed }, ...(removed ? {} : { detail: 'already gone when the delete arrived' }) };
  },
});
