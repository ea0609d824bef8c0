/**
 * Trust between a SAML 2.0 service provider and SAP Cloud Identity Services (seed 000):
 * the SP metadata, either parsed at the edge or built from a Neo subaccount (local service provider
 * made Custom with a generated key pair, written by the Neo helper's safe import) → the IAS
 * application with its SAML 2.0 configuration → the assertion attributes → the metadata URL.
 */
import { defineWorkflow } from '../../shared/workflow/defineWorkflow';
import { prepareIasTrust, IasTrustRequest } from './request';
import { IasTrustResult, IasTrustSubject } from './result';
import { iasTrustKey, IasTrustSpec } from './spec';
import { application } from './steps/application';
import { assertionAttributes } from './steps/assertionAttributes';
import { metadataUrl } from './steps/metadataUrl';
import { neoLocalServiceProvider } from './steps/neoLocalServiceProvider';
import { neoSpMetadata } from './steps/neoServiceProviderMetadata';
import { neoTrustSafeImportSteps, safeNeoTrustImport } from '../neoTrust/safeImport';
import type { WorkflowRun } from '../../shared/workflow/workflowRun';

const NEO_STEPS = [neoLocalServiceProvider, ...neoTrustSafeImportSteps, neoSpMetadata];
const skip = (run: WorkflowRun, steps: readonly { id: string }[], detail: string) => steps.forEach((s) => run.progress.finish(s.id, { outcome: 'skipped', detail }));

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
  steps: [...NEO_STEPS, application, assertionAttributes, metadataUrl],
  result: IasTrustResult,

  *orchestrate(run, spec) {
    let sp = spec.serviceProvider;
    if (spec.neo) {
      const lsp = yield* run.step(neoLocalServiceProvider.with({ neo: spec.neo }));
      if (lsp.documentSecret) {
        yield* safeNeoTrustImport(run, { target: spec.neo.target, documentSecret: lsp.documentSecret });
        skip(run, neoTrustSafeImportSteps.filter((s) => s.id === 'neoTrustRestore'), 'read back equal to what was imported: nothing to restore');
      } else {
        skip(run, neoTrustSafeImportSteps, run.mode === 'plan' && lsp.signingCertificate ? 'a plan generates no key pair to keep; the run imports it through the safe import' : 'the subaccount already holds a Custom local service provider with a valid certificate');
      }
      sp = yield* run.step(neoSpMetadata.with({ neo: spec.neo, name: lsp.name, signingCertificate: lsp.signingCertificate, at: run.now().toISOString() }));
    } else {
      skip(run, NEO_STEPS, 'SP metadata given as XML');
    }
    if (!sp) return run.fail(application.id, { system: `IAS tenant ${spec.ias.tenantHost}`, kind: 'Invalid', message: 'the request carries no SP metadata', fix: 'Give spMetadataXml or neoSubaccount.' });
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
