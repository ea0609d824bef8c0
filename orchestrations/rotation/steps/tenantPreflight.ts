/**
 * The tenant side of the preflight, for one batch: each tenant answers, its SAP_COM_0A48 user works, its
 * communication system is the one recorded and trusts the subaccount's active certificate, and its
 * $metadata says whether the signing certificate can be written by API. Nothing is written.
 */
import { z } from 'zod';
import { holdsSigningCertificate, OAUTH2_IDP_FIELDS } from '../../../shared/sap/s4/unconfirmedFields';
import { defineStep } from '../../../shared/workflow/defineStep';
import { PermanentStepError } from '../../../shared/workflow/stepOutcome';
import { CertificateRef, TenantReadiness } from '../references';
import { RotationTenant } from '../spec';
import { eachTenant } from '../tenantOutcome';

const STEP = 'tenantPreflight';

export const tenantPreflight = defineStep({
  kind: 'check',
  id: STEP,
  title: 'Preflight: every tenant reachable, credentials valid, system as recorded, certificate field writable',
  outcome: 'checked',
  system: ({ tenants }) => tenants.map((t) => t.tenant).join(', '),
  input: z.object({ tenants: z.array(RotationTenant), active: CertificateRef }),
  output: z.object({ tenants: z.array(TenantReadiness) }),
  async check(deps, { tenants, active }) {
    const results = await eachTenant(STEP, tenants, async (t) => {
      const s4 = await deps.s4(t.tenantHost, t.bootstrapUserSecret);
      const started = Date.now();
      const [{ system, latencyMs }, certificateByApi] = await Promise.all([
        s4.systems.findById(t.communicationSystemId).then((found) => ({ system: found, latencyMs: Date.now() - started })),
        s4.certificateUploadByApi(),
      ]);
      const problem = systemProblem(t, system, active);
      if (problem) throw new PermanentStepError({ system: t.tenant, kind: 'SystemNotAsRecorded', ...problem });
      return { certificateByApi, latencyMs };
    });
    const readiness = results.map(({ tenant, value, problem }) => ({
      tenantHost: tenant.tenantHost,
      ready: !problem,
      certificateByApi: value?.certificateByApi ?? false,
      latencyMs: value?.latencyMs ?? 0,
      ...(problem ? { problem } : {}),
    }));
    const manual = readiness.filter((r) => r.ready && !r.certificateByApi).length;
    const failed = readiness.filter((r) => !r.ready).length;
    return { output: { tenants: readiness }, detail: `${readiness.length - failed} of ${readiness.length} ready${manual ? `, ${manual} need a person for the certificate` : ''}` };
  },
});

function systemProblem(t: RotationTenant, system: Record<string, unknown> | undefined, active: CertificateRef): { message: string; fix: string } | undefined {
  const where = `communication system ${t.communicationSystemId} on ${t.tenant}`;
  if (!system) return { message: `${where} does not exist any more`, fix: `Onboard ${t.tenantHost} again (POST /api/onboardings), or remove it from the registry, then start the rotation again.` };
  if (system[OAUTH2_IDP_FIELDS.active] !== true || system[OAUTH2_IDP_FIELDS.samlIssuer] !== active.commonName) {
    return { message: `${where} does not trust subaccount certificates issued as ${active.commonName} (OAuth 2.0 identity provider off, or another SAML issuer)`, fix: `Onboard ${t.tenantHost} again to repair the system, then start the rotation again.` };
  }
  // A system S/4 shows without the certificate field is checked by its subject and issuer (unconfirmedFields.ts).
  if (!holdsSigningCertificate(system, active.pem)) {
    return { message: `${where} does not hold the subaccount's active certificate ${active.fingerprintSha256}: its token exchange already fails`, fix: `Repair it first (POST /api/repairs or "sap-trust repair"), then start the rotation again.` };
  }
  return undefined;
}
