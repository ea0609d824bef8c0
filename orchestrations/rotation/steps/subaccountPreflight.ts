/** The subaccount side of the preflight: the Destination service key works, and which certificates BTP holds now. */
import { z } from 'zod';
import { defineStep } from '../../../shared/workflow/defineStep';
import { PermanentStepError } from '../../../shared/workflow/stepOutcome';
import { certificateRef, SubaccountCertificates } from '../references';
import { Subaccount, subaccountSystem } from '../spec';

export const subaccountPreflight = defineStep({
  kind: 'check',
  id: 'subaccountPreflight',
  title: 'Preflight: the subaccount and its trust certificates',
  outcome: 'checked',
  system: ({ subaccount }) => subaccountSystem(subaccount),
  input: z.object({ subaccount: Subaccount }),
  output: SubaccountCertificates,
  async check(deps, { subaccount }) {
    const destinations = await deps.destinationService(subaccount.destinationServiceKeySecret, subaccount.subaccountId, subaccount.region);
    const [active, passive] = await Promise.all([destinations.getActiveCertificate(), destinations.getPassiveCertificate()]);
    if (!active) {
      throw new PermanentStepError({
        system: subaccountSystem(subaccount),
        kind: 'NoTrustCertificate',
        message: `subaccount ${subaccount.subaccountId} has no trust certificate, so there is nothing to rotate`,
        fix: 'Onboard a tenant to the subaccount first: the onboarding creates the trust certificate.',
      });
    }
    const activeRef = certificateRef(active);
    return {
      output: { active: activeRef, ...(passive ? { passive: certificateRef(passive) } : {}) },
      detail: `active certificate ${activeRef.fingerprintSha256}, valid until ${activeRef.notAfter}${passive ? '; a passive certificate exists' : ''}`,
    };
  },
});
