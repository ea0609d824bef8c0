/**
 * Trust between a SAML 2.0 service provider and SAP Cloud Identity Services (seed 000, IAS side):
 * the SP metadata (parsed at the edge) → the IAS application with its SAML 2.0 configuration →
 * the assertion attributes → the metadata URL, when there is one.
 */
import { defineWorkflow } from '../../shared/workflow/defineWorkflow';
import { prepareIasTrust, IasTrustRequest } from './request';
import { IasTrustResult, IasTrustSubject } from './result';
import { iasTrustKey, IasTrustSpec } from './spec';
import { application } from './steps/application';
import { assertionAttributes } from './steps/assertionAttributes';
import { metadataUrl } from './steps/metadataUrl';

export const iasApplicationTrust = defineWorkflow<IasTrustSpec, IasTrustResult>({
  kind: 'ias-trusts',
  name: 'iasApplicationTrust',
  noun: 'IAS application trust',
  idPrefix: 'iastrust',
  request: IasTrustRequest,
  prepare: prepareIasTrust,
  input: IasTrustSpec,
  key: iasTrustKey,
  exclusiveGroup: 'ias-application',
  subject: IasTrustSubject,
  subjectOf: (spec) => ({ iasTenant: spec.ias.tenantHost, applicationName: spec.applicationName }),
  steps: [application, assertionAttributes, metadataUrl],
  result: IasTrustResult,

  *orchestrate(run, spec) {
    const sp = spec.serviceProvider;
    if (!sp) return run.fail(application.id, { system: `IAS tenant ${spec.ias.tenantHost}`, kind: 'Invalid', message: 'the request carries no SP metadata', fix: 'Give spMetadataXml.' });
    const app = yield* run.step(application.with({ spec, sp }));
    const attributes = yield* run.step(assertionAttributes.with({ spec, application: app }));
    const url = yield* run.step(metadataUrl.with({ spec, application: app, ...(spec.metadataUrl ? { url: spec.metadataUrl } : {}) }));
    return {
      applicationId: app.id,
      applicationName: app.name,
      entityId: sp.entityId,
      acsEndpoints: sp.saml.acsEndpoints.length,
      signingCertificates: sp.signingCertificates,
      assertionAttributes: attributes.attributes,
      ...(spec.metadataUrl && url.key ? { metadataUrlKey: url.key } : {}),
    };
  },
});
