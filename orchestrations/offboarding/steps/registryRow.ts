/**
 * The tenant's row in the registry goes last: while anything of the onboarding is left in SAP, the
 * certificate check still knows the tenant. A row that records other names than the request's
 * belongs to an onboarding with another request: deleting it would forget objects that still exist.
 */
import type { TenantRecord } from '../../../shared/registry';
import { registryAccess, REGISTRY } from '../../../shared/workflow/registryAccess';
import { defineStep } from '../../../shared/workflow/defineStep';
import { fieldChanges } from '../../../shared/workflow/stepPlan';
import { SpecInput, type OnboardingSpec } from '../../onboarding/spec';
import { alreadyGone, goneFields, notOurs, Removal, removal } from './removal';


export const registryRow = defineStep({
  id: 'registryRow',
  title: 'Remove the tenant from the registry',
  system: () => REGISTRY,
  input: SpecInput,
  output: Removal,
  read: (deps, { spec }) => registryAccess(() => deps.registry.get(spec.s4.host, spec.btp.subaccountId)),
  diff(row, { spec }) {
    const object = `registry row of ${spec.s4.host} and subaccount ${spec.btp.subaccountId}`;
    if (!row) return alreadyGone(object);
    const differing = fieldChanges(namesOf(row), namesOf(spec));
    if (differing.length > 0) {
      const recorded = differing.map((c) => `${c.field} ${c.from}`).join(', ');
      return notOurs(
        object,
        `the onboarding recorded ${recorded}; this request names ${differing.map((c) => c.to).join(', ')}`,
        [`the onboarding ${row.onboardingId}`],
        `Offboard with the request that onboarding got (it recorded ${recorded}): the objects it created may still exist.`,
      );
    }
    return removal(object, goneFields({ onboardingId: row.onboardingId, certificate: row.trustCertificate.fingerprintSha256 }));
  },
  async write(deps, { spec }, _row, diff) {
    const removed = await registryAccess(() => deps.registry.remove(spec.s4.host, spec.btp.subaccountId));
    return { output: { ...diff.output, removed } };
  },
});

function namesOf(source: TenantRecord | OnboardingSpec): Record<string, string> {
  if ('tenantHost' in source) return { communicationSystemId: source.communicationSystemId, arrangementName: source.arrangementName, destinationName: source.destinationName };
  return { communicationSystemId: source.s4.communicationSystemId, arrangementName: source.s4.arrangementName, destinationName: source.btp.destinationName };
}

