/**
 * The SP's metadata URL on the application: with it IAS renews the SP's expired certificates by
 * itself. Which key IAS honours is UNCONFIRMED (metadataUrlKey.ts), so the write tries each key,
 * reads the application back after each, and reports the one that took.
 */
import { z } from 'zod';
import { defineStep } from '../../../shared/workflow/defineStep';
import { PermanentStepError } from '../../../shared/workflow/stepOutcome';
import { authenticationPath } from '../../../shared/sap/ias/applicationSchemas';
import { METADATA_URL_KEYS, metadataUrlOf } from '../../../shared/sap/ias/metadataUrlKey';
import { readApplication } from '../applicationLookup';
import { ApplicationRef, iasSystem, IasTrustSpec } from '../spec';

const Input = z.object({ spec: IasTrustSpec, application: ApplicationRef, url: z.string().optional() });
type Input = z.infer<typeof Input>;
const Output = z.object({ key: z.string().optional() });

export const metadataUrl = defineStep({
  id: 'metadataUrl',
  title: 'SP metadata URL',
  system: ({ spec }: Input) => iasSystem(spec),
  input: Input,
  output: Output,
  read: async (deps, { spec, application }) => metadataUrlOf(await readApplication(deps, spec.ias, application)),
  diff(current, { spec, url }) {
    const object = `metadata URL of "${spec.applicationName}"`;
    if (url === undefined) {
      const kept = current ? `IAS keeps ${current.url} under ${current.key}` : 'the application has none';
      return { action: 'unchanged', object, changes: [], output: current ? { key: current.key } : {}, detail: `not in the request; ${kept}` };
    }
    if (current?.url === url) return { action: 'unchanged', object, changes: [], output: { key: current.key }, detail: `kept under ${current.key}` };
    return { action: current ? 'update' : 'create', object, changes: [{ field: 'metadata URL', ...(current ? { from: current.url } : {}), to: url }], output: { key: current?.key ?? METADATA_URL_KEYS[0] } };
  },
  async write(deps, { spec, application, url }) {
    if (url === undefined) throw new Error('metadataUrl.write without a URL: diff never plans a write then');
    const ias = await deps.ias(spec.ias.tenantHost, spec.ias.apiClientSecret);
    const dropped: string[] = [];
    for (const key of METADATA_URL_KEYS) {
      await ias.applications.patch(application.id, [{ op: 'replace', path: authenticationPath('saml2Configuration', key), value: url }]);
      const kept = metadataUrlOf(await ias.applications.get(application.id));
      if (kept?.url === url) {
        return {
          output: { key: kept.key },
          detail: `IAS kept it under ${kept.key}`,
          ...(dropped.length ? { warnings: [`IAS accepted the metadata URL under ${dropped.join(', ')} and dropped it; it honours ${kept.key}`] } : {}),
        };
      }
      dropped.push(key);
    }
    throw new PermanentStepError({
      system: iasSystem(spec),
      kind: 'NotKept',
      message: `IAS answered OK to the metadata URL under ${METADATA_URL_KEYS.join(' and ')} but keeps neither`,
      fix: 'Set the metadata URL in the IAS admin console (Trust > SAML 2.0 Configuration), or leave spMetadataUrl out of the request; the rest of the trust is in place.',
    });
  },
});
