/** After the rollback window: the old certificate, now BTP's passive one, is deleted. Only that one: a passive certificate someone made since stays. */
import { z } from 'zod';
import { defineStep } from '../../../shared/workflow/defineStep';
import { certificateRef } from '../references';
import { Subaccount, subaccountSystem } from '../spec';

export const deleteOldCertificate = defineStep({
  id: 'deleteOldCertificate',
  title: 'Delete the old certificate after the rollback window',
  system: ({ subaccount }) => subaccountSystem(subaccount),
  input: z.object({ subaccount: Subaccount, oldFingerprint: z.string() }),
  output: z.object({ deleted: z.boolean() }),
  async read(deps, { subaccount }) {
    const destinations = await deps.destinationService(subaccount.destinationServiceKeySecret, subaccount.subaccountId, subaccount.region);
    const passive = await destinations.getPassiveCertificate();
    return passive ? certificateRef(passive).fingerprintSha256 : undefined;
  },
  diff(passive, { oldFingerprint }) {
    const object = 'passive trust certificate';
    if (passive !== oldFingerprint) return { action: 'unchanged', object, changes: [], output: { deleted: false }, detail: passive ? `the passive certificate is ${passive}, not the old one: kept` : 'already gone' };
    return { action: 'delete', object, changes: [{ field: 'passive certificate', from: oldFingerprint }], output: { deleted: true } };
  },
  async write(deps, { subaccount }) {
    const destinations = await deps.destinationService(subaccount.destinationServiceKeySecret, subaccount.subaccountId, subaccount.region);
    await destinations.deletePassiveCertificate();
    return { output: { deleted: true } };
  },
});
