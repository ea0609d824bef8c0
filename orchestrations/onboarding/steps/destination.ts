/**
 * The OAuth2SAMLBearerAssertion destination in the subaccount (contracts A.6). Read with its ETag,
 * compare the properties we own, write only when one differs (PUT with If-Match) or when it is
 * missing (POST). Properties someone added by hand are kept. A destination of that name that the
 * product did not create, or that another onboarding owns, is not repaired but reported.
 */
import { z } from 'zod';
import type { DestinationProperties } from '../../../shared/sap/destination/destinationSchemas';
import { USER_ID_MAPPING_MODES } from '../../../shared/sap/s4/unconfirmedFields';
import { defineStep } from '../../../shared/workflow/defineStep';
import { readRequiredSecret } from '../../../shared/workflow/stepDependencies';
import { fieldChanges } from '../../../shared/workflow/stepPlan';
import { DESTINATION_OWNER_PROPERTY, destinationHolder, destinationOwner, destinationOwnership } from '../ownership';
import { CommunicationUserRef, DestinationRef, OAuthDetails } from '../references';
import { btpSystem, OnboardingSpec } from '../spec';

const Input = z.object({ spec: OnboardingSpec, oauth: OAuthDetails, user: CommunicationUserRef });
type Input = z.infer<typeof Input>;

const SECRET_PROPERTIES = ['tokenServicePassword'] as const;

/** Every required property of A.6, the credentials and the owner mark. NameID format and source follow the S/4 User ID Mapping Mode. */
export function desiredDestination({ spec, oauth }: Pick<Input, 'spec' | 'oauth'>, tokenServicePassword: string): DestinationProperties {
  return {
    Description: `SAP S/4HANA Cloud ${spec.s4.tenant} (${spec.s4.scenarioId}), managed by sap-trust-onboarding`,
    URL: `https://${spec.s4.host}`,
    ProxyType: 'Internet',
    Authentication: 'OAuth2SAMLBearerAssertion',
    audience: oauth.audience,
    clientKey: oauth.clientId,
    tokenServiceURLType: 'Dedicated',
    tokenServiceURL: oauth.tokenServiceURL,
    tokenServiceUser: oauth.clientId,
    tokenServicePassword,
    authnContextClassRef: 'urn:oasis:names:tc:SAML:2.0:ac:classes:X509',
    ...USER_ID_MAPPING_MODES[spec.s4.userIdMappingMode].destination,
    ...spec.destinationProperties,
    [DESTINATION_OWNER_PROPERTY]: destinationOwner(spec),
    Name: spec.btp.destinationName,
    Type: 'HTTP',
  };
}

export const destination = defineStep({
  id: 'destination',
  title: 'BTP destination (OAuth2SAMLBearerAssertion)',
  system: ({ spec }) => btpSystem(spec),
  input: Input,
  output: DestinationRef,
  async read(deps, { spec, user }) {
    const destinations = await deps.destinationService(spec.btp.destinationServiceKeySecret, spec.btp.subaccountId, spec.btp.region);
    const [existing, password] = await Promise.all([
      destinations.getDestination(spec.btp.destinationName),
      // In a plan the user may not exist yet, and neither may its password.
      deps.secrets.get(user.passwordSecret),
    ]);
    return { existing, password };
  },
  diff({ existing, password }, input) {
    const { spec } = input;
    const wanted = desiredDestination(input, password ?? '');
    const object = `destination ${wanted.Name}`;
    const output = { name: wanted.Name, url: wanted.URL };
    const changes = fieldChanges(existing?.destination, wanted, { secretFields: SECRET_PROPERTIES });
    if (!existing) return { action: 'create', object, changes, output };
    const owner = destinationOwnership(existing.destination, spec);
    if (owner !== 'ours' && !(owner === 'not ours' && spec.adopt.includes('destination'))) {
      const heldBy = destinationHolder(existing.destination);
      return {
        action: 'conflict',
        object,
        changes: [],
        output,
        detail: `it belongs to ${heldBy}`,
        conflict: {
          usedBy: [heldBy],
          fix:
            owner === 'another onboarding'
              ? `Another onboarding owns ${wanted.Name}: check btp.subaccountId and s4.host, or offboard that onboarding first, or choose another "btp.destinationName".`
              : `Choose another "btp.destinationName", or send "adopt": ["destination"] to take ${wanted.Name} over knowingly (its properties are replaced; properties added by hand are kept).`,
        },
      };
    }
    if (changes.length === 0) return { action: 'unchanged', object, changes, output };
    return { action: 'update', object, changes, output, detail: `repaired ${changes.map((c) => c.field).join(', ')}` };
  },
  async write(deps, input, { existing }, diff) {
    const { spec, user } = input;
    const destinations = await deps.destinationService(spec.btp.destinationServiceKeySecret, spec.btp.subaccountId, spec.btp.region);
    const password = await readRequiredSecret(deps.secrets, user.passwordSecret, spec.s4.tenant, 'communication user password');
    const wanted = desiredDestination(input, password);
    if (!existing) await destinations.createDestination(wanted);
    else await destinations.updateDestination({ ...stringProperties(existing.destination), ...wanted }, { ifMatch: existing.etag });
    return { output: diff.output };
  },
});

function stringProperties(destination: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(destination).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
}
