/**
 * Puts a certificate on the communication system of every tenant of one batch, all at once: read the
 * system, PATCH the signing certificate (and the SAML issuer, its CN) only where it differs. A tenant
 * that refuses is reported, not thrown, so the orchestrator can roll back; what did not decide (a
 * timeout, a lost answer) is read again and tried again a few times here, then handed back as transient.
 * Declared under several ids: the cut-over's push, the rollback's restore, the repair's push.
 */
import { z } from 'zod';
import type { S4Client } from '../../../shared/sap/s4';
import { holdsSigningCertificate, oauth2IdentityProviderFields, OAUTH2_IDP_FIELDS, SIGNING_CERTIFICATE_FIELD } from '../../../shared/sap/s4/unconfirmedFields';
import { defineStep } from '../../../shared/workflow/defineStep';
import type { StepDependencies } from '../../../shared/workflow/stepDependencies';
import { PermanentStepError } from '../../../shared/workflow/stepOutcome';
import { CertificateRef, PushOutput, type TenantCertificateState } from '../references';
import { RotationTenant } from '../spec';
import { eachTenant, isTransientError, settleQuickly, type TenantProblem } from '../tenantOutcome';

const Input = z.object({ tenants: z.array(RotationTenant), cert: CertificateRef });
type Input = z.infer<typeof Input>;

interface TenantSystem {
  uuid: string;
  holds: boolean;
}
type Current = Array<{ tenant: RotationTenant; system?: TenantSystem; problem?: TenantProblem }>;

async function readSystem(s4: S4Client, t: RotationTenant, cert: CertificateRef): Promise<TenantSystem> {
  const system = await s4.systems.findById(t.communicationSystemId);
  if (!system) {
    throw new PermanentStepError({ system: t.tenant, kind: 'NotFound', message: `communication system ${t.communicationSystemId} on ${t.tenant} does not exist any more`, fix: `Onboard ${t.tenantHost} again.` });
  }
  // A plan may carry a certificate BTP has not generated yet: no system holds that one.
  const holds = cert.pem !== '' && holdsSigningCertificate(system, cert.pem) && system[OAUTH2_IDP_FIELDS.samlIssuer] === cert.commonName;
  return { uuid: system.UUID, holds };
}

export function pushCertificateStep(id: string, title: string) {
  return defineStep({
    id,
    title,
    system: ({ tenants }: Input) => tenants.map((t) => t.tenant).join(', '),
    input: Input,
    output: PushOutput,
    async read(deps: StepDependencies, { tenants, cert }: Input): Promise<Current> {
      return eachTenant(id, tenants, async (t) => readSystem(await deps.s4(t.tenantHost, t.bootstrapUserSecret), t, cert)).then((rs) =>
        rs.map(({ tenant, value, problem }) => ({ tenant, ...(value ? { system: value } : {}), ...(problem ? { problem } : {}) })),
      );
    },
    diff(current, { cert }) {
      const toPush = current.filter((c) => !c.system?.holds);
      const tenants: TenantCertificateState[] = current.map((c) => ({ tenantHost: c.tenant.tenantHost, holds: c.system?.holds === true, changed: false, ...(c.problem ? { problem: c.problem } : {}) }));
      const object = `communication systems of ${current.length} tenant(s)`;
      if (toPush.length === 0) return { action: 'unchanged', object, changes: [], output: { tenants }, detail: `all ${current.length} already hold ${cert.fingerprintSha256}` };
      return {
        action: 'update',
        object,
        changes: toPush.map((c) => ({ field: `${c.tenant.tenant} ${c.tenant.communicationSystemId} signing certificate`, to: `certificate ${cert.fingerprintSha256}` })),
        output: { tenants: tenants.map((t) => ({ ...t, holds: true, changed: !t.holds })) },
        detail: `${toPush.length} of ${current.length} get ${cert.fingerprintSha256}`,
      };
    },
    async write(deps, { cert }, current) {
      const fields = { ...oauth2FieldsFor(cert) };
      const results = await eachTenant(id, current.map((c) => c.tenant), async (t) => {
        const before = current.find((c) => c.tenant === t)!;
        if (before.system?.holds) return { changed: false };
        const s4 = await deps.s4(t.tenantHost, t.bootstrapUserSecret);
        // Ensure, a few times over: a PATCH whose answer got lost may have landed, so read before writing again.
        return settleQuickly(async () => {
          const system = before.system && !before.problem ? before.system : await readSystem(s4, t, cert);
          before.system = undefined;
          if (system.holds) return { changed: true };
          await s4.systems.update(system.uuid, fields);
          return { changed: true };
        }, isTransientError);
      });
      const tenants: TenantCertificateState[] = results.map(({ tenant, value, problem }) => ({
        tenantHost: tenant.tenantHost,
        holds: !problem,
        changed: value?.changed ?? false,
        ...(problem ? { problem } : {}),
      }));
      const failed = tenants.filter((t) => !t.holds);
      return {
        output: { tenants },
        detail: `${tenants.filter((t) => t.changed).length} pushed, ${tenants.length - failed.length} of ${tenants.length} hold ${cert.fingerprintSha256}`,
        warnings: failed.map((f) => `${f.tenantHost}: ${f.problem!.message}`),
      };
    },
  });
}

/** The signing certificate and its SAML issuer: the only fields a rotation changes. */
function oauth2FieldsFor(cert: CertificateRef): Record<string, string | boolean> {
  const all = oauth2IdentityProviderFields({ samlIssuer: cert.commonName, signingCertificatePem: cert.pem, userIdMappingMode: 'user_uuid' });
  return { [OAUTH2_IDP_FIELDS.samlIssuer]: all[OAUTH2_IDP_FIELDS.samlIssuer], [SIGNING_CERTIFICATE_FIELD]: all[SIGNING_CERTIFICATE_FIELD] };
}
