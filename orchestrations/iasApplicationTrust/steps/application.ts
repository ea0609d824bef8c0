/**
 * Step 1 of seed 000 on the IAS side: the application, found by name (created when missing,
 * repaired when its SAML 2.0 configuration differs from the SP metadata), read back after the write.
 */
import { z } from 'zod';
import { defineStep } from '../../../shared/workflow/defineStep';
import { PermanentStepError } from '../../../shared/workflow/stepOutcome';
import { authenticationPath, IAS_AUTHENTICATION, type IasApplication } from '../../../shared/sap/ias/applicationSchemas';
import { ambiguityMessage, applicationsNamed, PLANNED_APPLICATION_ID } from '../applicationLookup';
import { currentSamlConfiguration, samlConfigurationChanges } from '../samlConfigurationChanges';
import { ApplicationRef, iasSystem, IasTrustSpec, ServiceProvider } from '../spec';

const Input = z.object({ spec: IasTrustSpec, sp: ServiceProvider });
type Input = z.infer<typeof Input>;

function wantedChanges(app: IasApplication | undefined, sp: ServiceProvider) {
  const saml = samlConfigurationChanges(currentSamlConfiguration(app), sp.saml);
  const ssoType = app?.[IAS_AUTHENTICATION]?.ssoType;
  if (app && ssoType !== 'saml2') {
    saml.changes.unshift({ field: 'ssoType', ...(ssoType ? { from: ssoType } : {}), to: 'saml2' });
    saml.operations.unshift({ op: 'replace', path: authenticationPath('ssoType'), value: 'saml2' });
  }
  return saml;
}

export const application = defineStep({
  id: 'application',
  title: 'IAS application with SAML 2.0 configuration',
  system: ({ spec }: Input) => iasSystem(spec),
  input: Input,
  output: ApplicationRef,
  async read(deps, { spec }) {
    const ias = await deps.ias(spec.ias.tenantHost, spec.ias.apiClientSecret);
    const found = await applicationsNamed(ias.applications, spec.applicationName);
    if (found.length > 1) {
      throw new PermanentStepError({ system: iasSystem(spec), kind: 'Ambiguous', message: `the application name "${spec.applicationName}" ${ambiguityMessage(spec.applicationName, found)}`, fix: 'Make the name unique in IAS, then start the run again.' });
    }
    return found[0];
  },
  diff(app, { spec, sp }) {
    const object = `IAS application "${spec.applicationName}"`;
    if (!app) {
      const { changes } = samlConfigurationChanges({}, sp.saml);
      return { action: 'create', object, changes: [{ field: 'name', to: spec.applicationName }, ...changes], output: { id: PLANNED_APPLICATION_ID, name: spec.applicationName }, ...(sp.metadataWarnings.length ? { warnings: sp.metadataWarnings } : {}) };
    }
    const { changes } = wantedChanges(app, sp);
    return {
      action: changes.length ? 'update' : 'unchanged',
      object,
      changes,
      output: { id: app.id, name: spec.applicationName },
      detail: `id ${app.id}`,
      ...(sp.metadataWarnings.length ? { warnings: sp.metadataWarnings } : {}),
    };
  },
  async write(deps, { spec, sp }, app) {
    const ias = await deps.ias(spec.ias.tenantHost, spec.ias.apiClientSecret);
    let id: string;
    if (!app) {
      id = await ias.applications.create({
        name: spec.applicationName,
        description: `SAML 2.0 service provider ${sp.entityId}`.slice(0, 255),
        [IAS_AUTHENTICATION]: { ssoType: 'saml2', saml2Configuration: sp.saml },
      });
    } else {
      id = app.id;
      await ias.applications.patch(id, wantedChanges(app, sp).operations);
    }
    const readBack = await ias.applications.get(id);
    const left = wantedChanges(readBack, sp).changes;
    if (left.length > 0) {
      throw new PermanentStepError({
        system: iasSystem(spec),
        kind: 'NotKept',
        message: `IAS accepted the SAML 2.0 configuration of application ${id} but does not show ${left.map((c) => c.field).join(', ')} as written`,
        fix: 'Open the application in the IAS admin console (Trust > SAML 2.0 Configuration), upload the SP metadata there, then start the run again: it will find the configuration and change nothing.',
      });
    }
    return { output: { id, name: spec.applicationName }, detail: `id ${id}, read back` };
  },
});
