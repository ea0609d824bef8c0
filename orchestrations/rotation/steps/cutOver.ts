/**
 * The cut-over in one activity, so that BTP rotates the moment the last tenant holds the new certificate,
 * without an orchestration hop in between (the window is what a tenant spends between its PATCH and the
 * rotation):
 *   1. everything that can happen before the first push does: read every tenant's communication system
 *      and BTP's certificates; the reads also resolve each tenant's client and credential, fetch its
 *      CSRF token and leave its TLS connection open, so that the push that follows is one request per
 *      tenant and nothing else;
 *   2. PATCH every tenant that does not hold `cert` yet, ROTATION_PUSH_CONCURRENCY at a time, without
 *      asking for the entity back;
 *   3. only if every tenant holds it: make `cert` BTP's active certificate (rotateCertificate).
 * A tenant that refuses, or does not decide after a few quick tries, leaves BTP as it is and comes back as
 * a value: the orchestrator retries or rolls back. Every part is an ensure, so an activity run again after a
 * crash pushes only what is missing and rotates only if `cert` is not active yet.
 */
import { z } from 'zod';
import type { S4Client } from '../../../shared/sap/s4';
import { holdsSigningCertificate, oauth2IdentityProviderFields, OAUTH2_IDP_FIELDS, SIGNING_CERTIFICATE_FIELD } from '../../../shared/sap/s4/unconfirmedFields';
import { defineStep } from '../../../shared/workflow/defineStep';
import type { StepDependencies } from '../../../shared/workflow/stepDependencies';
import { PermanentStepError } from '../../../shared/workflow/stepOutcome';
import { CertificateRef, certificateRef, TenantCertificateState } from '../references';
import { RotationTenant, Subaccount, subaccountSystem } from '../spec';
import { eachTenant, isTransientError, settleQuickly, type TenantProblem } from '../tenantOutcome';

const Input = z.object({ subaccount: Subaccount, tenants: z.array(RotationTenant), cert: CertificateRef, concurrency: z.number().int().positive() });
type Input = z.infer<typeof Input>;

export const CutOverOutput = z.object({
  tenants: z.array(TenantCertificateState),
  /** BTP signs with `cert` now. */
  rotated: z.boolean(),
  /** When the last push landed and when the rotation did (activity clock, for the report). */
  pushedAt: z.string().optional(),
  rotatedAt: z.string().optional(),
});
export type CutOverOutput = z.infer<typeof CutOverOutput>;

interface TenantSystem {
  uuid: string;
  holds: boolean;
}
interface Current {
  activeFingerprint?: string;
  passiveFingerprint?: string;
  /** `s4`: the tenant's client, resolved by the read so that the push does not read its credential again. */
  systems: Array<{ tenant: RotationTenant; s4?: S4Client; system?: TenantSystem; problem?: TenantProblem }>;
}

async function readSystem(s4: S4Client, t: RotationTenant, cert: CertificateRef): Promise<TenantSystem> {
  // A token held since the preflight (or a manual step days ago) may have expired: a fresh one comes with this read.
  const system = await s4.systems.findById(t.communicationSystemId, { renewCsrfToken: true });
  if (!system) throw new PermanentStepError({ system: t.tenant, kind: 'NotFound', message: `communication system ${t.communicationSystemId} on ${t.tenant} does not exist any more`, fix: `Onboard ${t.tenantHost} again.` });
  // A plan may carry a certificate BTP has not generated yet: no system holds that one.
  return { uuid: system.UUID, holds: cert.pem !== '' && holdsSigningCertificate(system, cert.pem) && system[OAUTH2_IDP_FIELDS.samlIssuer] === cert.commonName };
}

async function btpCertificates(deps: StepDependencies, subaccount: Input['subaccount']) {
  const destinations = await deps.destinationService(subaccount.destinationServiceKeySecret, subaccount.subaccountId, subaccount.region);
  const [active, passive] = await Promise.all([destinations.getActiveCertificate(), destinations.getPassiveCertificate()]);
  return { destinations, active: active ? certificateRef(active).fingerprintSha256 : undefined, passive: passive ? certificateRef(passive).fingerprintSha256 : undefined };
}

export function cutOverStep(id: string, title: string) {
  return defineStep({
    id,
    title,
    system: ({ subaccount }: Input) => subaccountSystem(subaccount),
    input: Input,
    output: CutOverOutput,
    async read(deps: StepDependencies, { subaccount, tenants, cert, concurrency }: Input): Promise<Current> {
      const clients = new Map<RotationTenant, S4Client>();
      const [btp, systems] = await Promise.all([
        btpCertificates(deps, subaccount),
        eachTenant(
          id,
          tenants,
          async (t) => {
            const s4 = await deps.s4(t.tenantHost, t.bootstrapUserSecret);
            clients.set(t, s4);
            return readSystem(s4, t, cert);
          },
          concurrency,
        ),
      ]);
      return {
        activeFingerprint: btp.active,
        passiveFingerprint: btp.passive,
        systems: systems.map(({ tenant, value, problem }) => ({ tenant, s4: clients.get(tenant), ...(value ? { system: value } : {}), ...(problem ? { problem } : {}) })),
      };
    },
    diff(current, { cert, subaccount }) {
      const rotated = current.activeFingerprint === cert.fingerprintSha256;
      const toPush = current.systems.filter((c) => !c.system?.holds);
      const object = `${current.systems.length} communication system(s) and the trust certificate of subaccount ${subaccount.subaccountId}`;
      const tenants = current.systems.map((c) => ({ tenantHost: c.tenant.tenantHost, holds: true, changed: !c.system?.holds }));
      if (rotated && toPush.length === 0) return { action: 'unchanged', object, changes: [], output: { tenants, rotated: true }, detail: `every tenant holds ${cert.fingerprintSha256} and BTP signs with it` };
      const changes = [
        ...toPush.map((c) => ({ field: `${c.tenant.tenant} ${c.tenant.communicationSystemId} signing certificate`, to: `certificate ${cert.fingerprintSha256}` })),
        ...(rotated ? [] : [{ field: 'BTP active certificate', from: current.activeFingerprint ?? '(none)', to: cert.fingerprintSha256 === '(generated by BTP)' ? 'the passive certificate' : cert.fingerprintSha256 }]),
      ];
      return { action: 'update', object, changes, output: { tenants, rotated: true }, detail: `push to ${toPush.length} of ${current.systems.length} tenant(s) at once, then rotate` };
    },
    async write(deps, { subaccount, cert, concurrency }, current) {
      const fields = certificateFields(cert);
      const before = new Map(current.systems.map((c) => [c.tenant, c]));
      const pushed = await eachTenant(
        id,
        current.systems.map((c) => c.tenant),
        async (t) => {
          const read = before.get(t)!;
          if (read.system?.holds) return false;
          const s4 = read.s4 ?? (await deps.s4(t.tenantHost, t.bootstrapUserSecret));
          let known = read.problem ? undefined : read.system;
          // A PATCH whose answer got lost may have landed: read before writing again.
          return settleQuickly(async () => {
            const system = known ?? (await readSystem(s4, t, cert));
            known = undefined;
            if (!system.holds) await s4.systems.update(system.uuid, fields);
            return true;
          }, isTransientError);
        },
        concurrency,
      );
      const pushedAt = new Date().toISOString();
      const tenants = pushed.map(({ tenant, value, problem }) => ({ tenantHost: tenant.tenantHost, holds: !problem, changed: value === true, ...(problem ? { problem } : {}) }));
      const refused = tenants.filter((t) => !t.holds);
      if (refused.length > 0) {
        return { output: { tenants, rotated: false, pushedAt }, detail: `${refused.length} of ${tenants.length} tenant(s) did not take ${cert.fingerprintSha256}: BTP not rotated`, warnings: refused.map((r) => `${r.tenantHost}: ${r.problem!.message}`) };
      }
      if (current.activeFingerprint !== cert.fingerprintSha256) {
        // The first try goes on what the read found (no round trip inside the window); a retry reads again.
        let known: { active?: string; passive?: string } | undefined = { active: current.activeFingerprint, passive: current.passiveFingerprint };
        const destinations = await deps.destinationService(subaccount.destinationServiceKeySecret, subaccount.subaccountId, subaccount.region);
        await settleQuickly(async () => {
          const btp = known ?? (await btpCertificates(deps, subaccount));
          known = undefined;
          if (btp.active === cert.fingerprintSha256) return;
          if (btp.passive !== cert.fingerprintSha256) {
            throw new PermanentStepError({
              system: subaccountSystem(subaccount),
              kind: 'Conflict',
              message: `BTP's passive certificate is ${btp.passive ?? 'gone'}, not ${cert.fingerprintSha256}: someone changed the trust certificates during the rotation`,
              fix: 'Check the tenants with a certificate check, repair the ones in mismatch, then rotate again.',
            });
          }
          await destinations.rotateCertificate();
        }, isTransientError);
      }
      return { output: { tenants, rotated: true, pushedAt, rotatedAt: new Date().toISOString() }, detail: `${tenants.filter((t) => t.changed).length} pushed at once, then BTP rotated to ${cert.fingerprintSha256}` };
    },
  });
}

function certificateFields(cert: CertificateRef): Record<string, string | boolean> {
  const all = oauth2IdentityProviderFields({ samlIssuer: cert.commonName, signingCertificatePem: cert.pem, userIdMappingMode: 'user_uuid' });
  return { [OAUTH2_IDP_FIELDS.samlIssuer]: all[OAUTH2_IDP_FIELDS.samlIssuer], [SIGNING_CERTIFICATE_FIELD]: all[SIGNING_CERTIFICATE_FIELD] };
}
