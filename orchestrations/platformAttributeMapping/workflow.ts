/**
 * Platform-user attribute mapping (seeds 001/002): the corporate IdP's settings ∥ the uniqueness of
 * e-mail addresses → the attributes the BTP application sends, validated before they are written.
 */
import { defineWorkflow } from '../../shared/workflow/defineWorkflow';
import { AttributeMappingRequest, prepareAttributeMapping } from './request';
import { MappingResult, MappingSubject } from './result';
import { mappingKey, MappingSpec } from './spec';
import { corporateIdp } from './steps/corporateIdp';
import { userDirectory } from './steps/userDirectory';
import { attributeMapping } from './steps/attributeMapping';

export const platformAttributeMapping = defineWorkflow<MappingSpec, MappingResult>({
  kind: 'attribute-mappings',
  name: 'platformAttributeMapping',
  noun: 'attribute mapping',
  idPrefix: 'attrmap',
  request: AttributeMappingRequest,
  prepare: prepareAttributeMapping,
  input: MappingSpec,
  key: mappingKey,
  exclusiveGroup: 'ias-application',
  subject: MappingSubject,
  subjectOf: (spec) => ({ iasTenant: spec.ias.tenantHost, applicationName: spec.applicationName }),
  steps: [corporateIdp, userDirectory, attributeMapping],
  result: MappingResult,

  *orchestrate(run, spec) {
    const [idp, users] = yield* run.together(corporateIdp.with({ spec }), userDirectory.with({ spec }));
    const mapping = yield* run.step(attributeMapping.with({ spec, idp }));
    return {
      applicationId: mapping.applicationId,
      applicationName: spec.applicationName,
      corporateIdp: idp.displayName,
      identityFederation: idp.identityFederation,
      subjectNameIdentifier: mapping.subjectNameIdentifier,
      attributes: mapping.attributes,
      users: users.users,
      duplicateEmails: users.duplicateEmails,
    };
  },
});
