/**
 * Tenants whose API does not take the signing certificate: a person uploads the new certificate in the
 * Fiori app Communication Systems. This check reads each such system back and names those that do not
 * hold it yet; the kit's manual step pauses the rotation until it finds none.
 */
import { z } from 'zod';
import { holdsSigningCertificate, SIGNING_CERTIFICATE_FIELD } from '../../../shared/sap/s4/unconfirmedFields';
import { defineStep } from '../../../shared/workflow/defineStep';
import type { ManualAction } from '../../../shared/workflow/workflowStatus';
import { CertificateRef } from '../references';
import { RotationTenant } from '../spec';
import { eachTenant } from '../tenantOutcome';

const STEP = 'manualUpload';

export const manualUpload = defineStep({
  kind: 'check',
  id: STEP,
  title: 'Tenants a person updates: upload the new certificate in Fiori',
  outcome: 'checked',
  system: ({ tenants }) => tenants.map((t) => t.tenant).join(', '),
  /** `confirmed`: a person said the uploads are done (the check after each confirmation). */
  input: z.object({ tenants: z.array(RotationTenant), cert: CertificateRef, confirmed: z.boolean() }),
  output: z.object({ pending: z.array(z.string()) }),
  assumeInPlan: ({ tenants }) => ({ output: { pending: tenants.map((t) => t.tenantHost) }, detail: `a person uploads the certificate on ${tenants.map((t) => t.tenant).join(', ')}` }),
  async check(deps, { tenants, cert, confirmed }) {
    const results = await eachTenant(STEP, tenants, async (t) => {
      const system = await (await deps.s4(t.tenantHost, t.bootstrapUserSecret)).systems.findById(t.communicationSystemId);
      if (!system) return false;
      // Where S/4 hides the certificate field it shows only the subject and issuer, the same for the old and the
      // new certificate: the person's confirmation is all there is, and the token exchange after the rotation proves it.
      if (!(SIGNING_CERTIFICATE_FIELD in system)) return confirmed && holdsSigningCertificate(system, cert.pem);
      return holdsSigningCertificate(system, cert.pem);
    });
    const pending = results.filter((r) => r.value !== true).map((r) => r.tenant.tenantHost);
    return { output: { pending }, detail: pending.length ? `still without ${cert.fingerprintSha256}: ${pending.join(', ')}` : `all ${tenants.length} hold ${cert.fingerprintSha256}` };
  },
});

export function manualUploadAction(tenants: RotationTenant[], cert: CertificateRef, runId: string, deadline: Date): ManualAction {
  return {
    step: STEP,
    title: `Upload the new trust certificate on ${tenants.length} communication system(s)`,
    instructions: [
      'These tenants do not accept the signing certificate through their API, so a person uploads it. Their token exchange fails from the upload until you confirm: confirm as soon as the last upload is done.',
      ...tenants.map((t) => `On ${t.tenant}: Fiori app Communication Systems → ${t.communicationSystemId} → OAuth 2.0 Identity Provider → Upload Signing Certificate: the attached certificate; keep the SAML issuer ${cert.commonName}.`),
      `Then confirm: POST /api/rotations/${runId}/manual-steps/${STEP} (or sap-trust resume ${runId} ${STEP}). The rotation checks the systems, then cuts over every other tenant at once.`,
    ],
    attachments: [{ name: 'certificate', contentType: 'application/x-pem-file', fileName: `${runId}-new-trust.pem`, description: `the new trust certificate ${cert.fingerprintSha256}`, content: cert.pem }],
    facts: { 'SAML issuer': cert.commonName, 'certificate SHA-256': cert.fingerprintSha256, 'Fiori app': 'Communication Systems', tenants: tenants.map((t) => `${t.tenant} (${t.communicationSystemId})`).join(', ') },
    deadline: deadline.toISOString(),
  };
}
