/** Remember which tenant trusts which certificate, for the certificate check and rotation. */
import { z } from 'zod';
import { registryAccess, REGISTRY } from '../../../shared/workflow/registryAccess';
import type { TenantRecord } from '../../../shared/registry/tenantRecord';
import { recordedCertificate } from '../../../shared/registry/recordedCertificate';
import { defineStep } from '../../../shared/workflow/defineStep';
import type { StepDependencies } from '../../../shared/workflow/stepDependencies';
import { fieldChanges } from '../../../shared/workflow/stepPlan';
import { ArrangementRef, CommunicationSystemRef, DestinationRef, TrustCertificateRef } from '../references';
import { OnboardingSpec } from '../spec';

const Input = z.object({
  spec: OnboardingSpec,
  cert: TrustCertificateRef,
  system: CommunicationSystemRef,
  arrangement: ArrangementRef,
  destination: DestinationRef,
  onboardingId: z.string(),
  /** The run's clock (replay-safe), so that every attempt records the same time. */
  at: z.string(),
});
type Input = z.infer<typeof Input>;


export const record = defineStep({
  id: 'record',
  title: 'Record the tenant',
  system: () => REGISTRY,
  input: Input,
  output: z.object({ tenantHost: z.string() }),
  read: (deps, { spec }) => registryAccess(() => deps.registry.get(spec.s4.host, spec.btp.subaccountId)),
  diff(existing, input) {
    const wanted = recordOf(input, existing);
    const comparable = ({ lastVerifiedAt: _l, onboardingId: _o, onboardedAt: _a, trustCertificate, ...rest }: TenantRecord) => ({ ...rest, certificate: trustCertificate.fingerprintSha256, certificateNotAfter: trustCertificate.notAfter });
    const changes = fieldChanges(existing && comparable(existing), comparable(wanted));
    const object = `registry row of ${input.spec.s4.host}`;
    const output = { tenantHost: input.spec.s4.host };
    if (!existing) return { action: 'create', object, changes, output };
    return changes.length ? { action: 'update', object, changes, output } : { action: 'unchanged', object, changes, output };
  },
  // The row as read() found it is the upsert's starting point: the table writes on its ETag without a second read.
  async write(deps: StepDependencies, input, existing, diff) {
    await registryAccess(() => deps.registry.upsert(recordOf(input, existing), { lastRead: existing }));
    return { output: diff.output };
  },
  // Nothing about the trust changed, but the registry learns which run verified it last, and when.
  async touch(deps, input, existing) {
    await registryAccess(() => deps.registry.upsert(recordOf(input, existing), { lastRead: existing }));
  },
});

function recordOf({ spec, cert, system, arrangement, destination, onboardingId, at }: Input, existing: TenantRecord | undefined): TenantRecord {
  return {
    tenantHost: spec.s4.host,
    subaccountId: spec.btp.subaccountId,
    region: spec.btp.region,
    communicationSystemId: system.systemId,
    scenarioId: arrangement.scenarioId,
    arrangementName: arrangement.arrangementName,
    destinationName: destination.name,
    trustCertificate: recordedCertificate(cert),
    onboardedAt: existing?.onboardedAt ?? at,
    lastVerifiedAt: at,
    onboardingId,
    destinationServiceKeySecret: spec.btp.destinationServiceKeySecret,
    bootstrapUserSecret: spec.s4.bootstrapUserSecret,
  };
}

