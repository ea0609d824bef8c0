/**
 * The BTP application sends exactly the subject name identifier and email, first_name, last_name,
 * groups, each from the source the corporate IdP's federation setting makes work. The mapping is
 * validated before anything is written; every problem is reported at once.
 */
import { z } from 'zod';
import { defineStep } from '../../../shared/workflow/defineStep';
import { PermanentStepError } from '../../../shared/workflow/stepOutcome';
import { authenticationPath, IAS_AUTHENTICATION, type IasApplication } from '../../../shared/sap/ias/applicationSchemas';
import { AttributeMapping, describeMapping, iasListsOf, mappingChanges, mappingsOf, noChanges } from '../../../shared/ias/attributeSources';
import { mappingFieldChanges } from '../../../shared/ias/mappingFieldChanges';
import { platformMappingProblems, wantedPlatformMapping, type PlatformMapping } from '../../../shared/ias/platformUserMapping';
import { ambiguityMessage, applicationsNamed } from '../../iasApplicationTrust/applicationLookup';
import { CorporateIdpFacts, iasSystem, MappingSpec } from '../spec';
import type { FieldChange } from '../../../shared/workflow/stepPlan';

const Input = z.object({ spec: MappingSpec, idp: CorporateIdpFacts });
type Input = z.infer<typeof Input>;
const Output = z.object({ applicationId: z.string(), subjectNameIdentifier: z.string(), attributes: z.array(AttributeMapping) });

function wanted({ spec, idp }: Input): PlatformMapping {
  return wantedPlatformMapping({ identityFederation: idp.identityFederation, corporateIdpAttributes: spec.corporateIdpAttributes, ...(spec.groupsExpression !== undefined ? { groupsExpression: spec.groupsExpression } : {}), subjectNameIdentifier: spec.subjectNameIdentifier });
}

function sent(app: IasApplication) {
  const auth = app[IAS_AUTHENTICATION];
  return { subjectNameIdentifier: auth?.subjectNameIdentifier ?? '', attributes: mappingsOf({ assertionAttributes: auth?.assertionAttributes ?? [], advancedAssertionAttributes: auth?.advancedAssertionAttributes ?? [] }) };
}

function changesOf(app: IasApplication, want: PlatformMapping): FieldChange[] {
  const have = sent(app);
  const subject: FieldChange[] = have.subjectNameIdentifier === want.subjectNameIdentifier ? [] : [{ field: 'subject name identifier', ...(have.subjectNameIdentifier ? { from: have.subjectNameIdentifier } : {}), to: want.subjectNameIdentifier }];
  const attributes = mappingChanges(have.attributes, want.attributes);
  return noChanges(attributes) ? subject : [...subject, ...mappingFieldChanges(attributes)];
}

export const attributeMapping = defineStep({
  id: 'attributeMapping',
  title: 'Attributes sent to SAP BTP',
  system: ({ spec }: Input) => iasSystem(spec),
  input: Input,
  output: Output,
  async read(deps, { spec }) {
    const ias = await deps.ias(spec.ias.tenantHost, spec.ias.apiClientSecret);
    const found = await applicationsNamed(ias.applications, spec.applicationName);
    if (found.length !== 1) {
      throw new PermanentStepError({
        system: iasSystem(spec),
        kind: found.length ? 'Ambiguous' : 'NotFound',
        message: found.length ? `the application name "${spec.applicationName}" ${ambiguityMessage(spec.applicationName, found)}` : `no IAS application is called "${spec.applicationName}"`,
        fix: found.length ? 'Make the name unique in IAS, then start the run again.' : 'Establish trust between the BTP global account and this IAS tenant first (BTP creates the application), or give its name in applicationName.',
      });
    }
    return found[0];
  },
  diff(app, input) {
    const want = wanted(input);
    const problems = platformMappingProblems(want, input.idp.identityFederation);
    if (problems.length > 0) {
      throw new PermanentStepError({
        system: iasSystem(input.spec),
        kind: 'InvalidMapping',
        message: `the mapping for "${input.spec.applicationName}" cannot work with corporate IdP "${input.idp.displayName}" (identity federation ${input.idp.identityFederation ? 'on' : 'off'}), so nothing was written: ${problems.join('; ')}`,
        fix: 'Correct the request (corporateIdpAttributes, groupsExpression, subjectNameIdentifier) and start it again.',
      });
    }
    const changes = changesOf(app, want);
    return {
      action: changes.length ? 'update' : 'unchanged',
      object: `attributes of IAS application "${input.spec.applicationName}"`,
      changes,
      output: { applicationId: app.id, ...want },
      detail: [`subject ${want.subjectNameIdentifier}`, ...want.attributes.map(describeMapping)].join(', '),
    };
  },
  async write(deps, input, app) {
    const want = wanted(input);
    const ias = await deps.ias(input.spec.ias.tenantHost, input.spec.ias.apiClientSecret);
    const lists = iasListsOf(want.attributes);
    await ias.applications.patch(app.id, [
      { op: 'replace', path: authenticationPath('subjectNameIdentifier'), value: want.subjectNameIdentifier },
      { op: 'replace', path: authenticationPath('assertionAttributes'), value: lists.assertionAttributes },
      { op: 'replace', path: authenticationPath('advancedAssertionAttributes'), value: lists.advancedAssertionAttributes },
    ]);
    const left = changesOf(await ias.applications.get(app.id), want);
    if (left.length > 0) {
      throw new PermanentStepError({ system: iasSystem(input.spec), kind: 'NotKept', message: `IAS did not keep the attributes of application ${app.id} as written (${left.map((c) => c.field).join(', ')})`, fix: 'Set them in the IAS admin console (the application > Attributes), then start the run again.' });
    }
    return { output: { applicationId: app.id, ...want }, detail: 'read back' };
  },
});
