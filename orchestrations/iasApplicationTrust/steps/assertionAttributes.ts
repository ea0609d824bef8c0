/**
 * Step 2 of seed 000 on the IAS side: the assertion attributes first_name, last_name, mail and
 * display_name (plus the request's extras) from the Identity Directory, and nothing else from it.
 * Attributes from other sources (advancedAssertionAttributes) are left as they are.
 */
import { z } from 'zod';
import { defineStep } from '../../../shared/workflow/defineStep';
import { PermanentStepError } from '../../../shared/workflow/stepOutcome';
import { authenticationPath, IAS_AUTHENTICATION, type IasApplication } from '../../../shared/sap/ias/applicationSchemas';
import { AttributeMapping, describeMapping, iasListsOf, mappingChanges, mappingsOf, noChanges } from '../../../shared/ias/attributeSources';
import { mappingFieldChanges } from '../../../shared/ias/mappingFieldChanges';
import { readApplication } from '../applicationLookup';
import { ApplicationRef, iasSystem, IasTrustSpec } from '../spec';

const Input = z.object({ spec: IasTrustSpec, application: ApplicationRef });
type Input = z.infer<typeof Input>;
const Output = z.object({ attributes: z.array(AttributeMapping) });

const identityDirectoryMappings = (app: IasApplication | undefined) => mappingsOf({ assertionAttributes: app?.[IAS_AUTHENTICATION]?.assertionAttributes ?? [] });

export const assertionAttributes = defineStep({
  id: 'assertionAttributes',
  title: 'Assertion attributes',
  system: ({ spec }: Input) => iasSystem(spec),
  input: Input,
  output: Output,
  read: (deps, { spec, application }) => readApplication(deps, spec.ias, application),
  diff(app, { spec }) {
    const changes = mappingChanges(identityDirectoryMappings(app), spec.attributes);
    return {
      action: noChanges(changes) ? 'unchanged' : 'update',
      object: `assertion attributes of "${spec.applicationName}"`,
      changes: mappingFieldChanges(changes),
      output: { attributes: spec.attributes },
      detail: spec.attributes.map(describeMapping).join(', '),
    };
  },
  async write(deps, { spec, application }) {
    const ias = await deps.ias(spec.ias.tenantHost, spec.ias.apiClientSecret);
    const { assertionAttributes: wanted } = iasListsOf(spec.attributes);
    await ias.applications.patch(application.id, [{ op: 'replace', path: authenticationPath('assertionAttributes'), value: wanted }]);
    const left = mappingChanges(identityDirectoryMappings(await ias.applications.get(application.id)), spec.attributes);
    if (!noChanges(left)) {
      throw new PermanentStepError({ system: iasSystem(spec), kind: 'NotKept', message: `IAS did not keep the assertion attributes of application ${application.id} as written (${mappingFieldChanges(left).map((c) => c.field).join(', ')})`, fix: 'Set them in the IAS admin console (Trust > SAML 2.0 Configuration > Assertion Attributes), then start the run again.' });
    }
    return { output: { attributes: spec.attributes }, detail: 'read back' };
  },
});
