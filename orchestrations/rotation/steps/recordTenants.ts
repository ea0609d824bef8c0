/**
 * The registry learns what the rotation did, per tenant of a batch: the certificate the system now
 * holds (fingerprint, CN, notAfter) and the rotation's outcome for it.
 */
import { z } from 'zod';
import { registryAccess, REGISTRY } from '../../../shared/workflow/registryAccess';
import { TenantRotation, type TenantRecord } from '../../../shared/registry';
import { recordedCertificate } from '../../../shared/registry/recordedCertificate';
import { defineStep } from '../../../shared/workflow/defineStep';
import { CertificateRef } from '../references';
import { RotationTenant } from '../spec';


const Input = z.object({
  subaccountId: z.string(),
  tenants: z.array(RotationTenant),
  /** The certificate each of these tenants holds now; none when the tenant was left as it was. */
  cert: CertificateRef.optional(),
  rotation: TenantRotation,
  /** Verified just now (the run's clock). */
  verified: z.boolean(),
});
type Input = z.infer<typeof Input>;

export const recordTenants = defineStep({
  id: 'recordTenants',
  title: 'Record each tenant\'s certificate and rotation',
  system: () => REGISTRY,
  input: Input,
  output: z.object({ recorded: z.number() }),
  async read(deps, { subaccountId, tenants }) {
    return registryAccess(() => Promise.all(tenants.map((t) => deps.registry.get(t.tenantHost, subaccountId))));
  },
  diff(records, input) {
    const stale = records.filter((r): r is TenantRecord => r !== undefined && JSON.stringify(wanted(r, input)) !== JSON.stringify(r));
    const object = `registry rows of ${records.length} tenant(s)`;
    const output = { recorded: records.filter(Boolean).length };
    if (stale.length === 0) return { action: 'unchanged', object, changes: [], output };
    return { action: 'update', object, changes: stale.map((r) => ({ field: r.tenantHost, to: `${input.rotation.outcome}${input.cert ? `, certificate ${input.cert.fingerprintSha256}` : ''}` })), output };
  },
  async write(deps, input, records) {
    await registryAccess(() =>
      Promise.all(
        records.map(async (r) => {
          // The row carries lastRotation already: one upsert, not an upsert and a second read-change-write.
          if (r) await deps.registry.upsert(wanted(r, input), { lastRead: r });
        }),
      ),
    );
    return { output: { recorded: records.filter(Boolean).length } };
  },
});

function wanted(r: TenantRecord, { cert, rotation, verified }: Input): TenantRecord {
  return {
    ...r,
    ...(cert ? { trustCertificate: recordedCertificate(cert) } : {}),
    ...(verified ? { lastVerifiedAt: rotation.at } : {}),
    lastRotation: rotation,
  };
}

