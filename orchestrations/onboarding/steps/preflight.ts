/**
 * Before any write, prove every credential works and learn what the tenant offers: the BTP token
 * (the service key works), the SAP_COM_0A48 user (through $metadata of the three services), and
 * whether the signing certificate can be written by API. It reads no object: the steps do.
 */
import { defineStep } from '../../../shared/workflow/defineStep';
import { Preflight } from '../references';
import { SpecInput } from '../spec';

export const preflight = defineStep({
  kind: 'check',
  id: 'preflight',
  title: 'Preflight: credentials, BTP token, S/4 $metadata',
  outcome: 'checked',
  system: ({ spec }) => spec.s4.tenant,
  input: SpecInput,
  output: Preflight,
  async check(deps, { spec }) {
    const destinations = await deps.destinationService(spec.btp.destinationServiceKeySecret, spec.btp.subaccountId, spec.btp.region);
    const s4 = await deps.s4(spec.s4.host, spec.s4.bootstrapUserSecret);
    const [, capabilities] = await Promise.all([destinations.proveCredentials(), s4.capabilities()]);
    return {
      output: { certificateUploadByApi: capabilities.certificateUploadByApi, missingProperties: capabilities.missing },
      detail: 'the BTP service key and the SAP_COM_0A48 user work',
      warnings: capabilities.certificateUploadByApi
        ? []
        : [`${spec.s4.tenant} does not offer ${capabilities.missing.join(', ')} in its API: a person will upload the signing certificate in Fiori`],
    };
  },
});
