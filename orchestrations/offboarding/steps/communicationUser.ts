/**
 * The communication user: ours when its description carries the mark of this subaccount's
 * onboarding and no other communication system uses it. S/4 refuses the delete while an inbound
 * user refers to it, so it goes after the communication system.
 */
import { defineStep } from '../../../shared/workflow/defineStep';
import { carriesMarkOf } from '../../onboarding/ownership';
import { SpecInput } from '../../onboarding/spec';
import { usageOfUser } from '../../onboarding/steps/communicationUserUsage';
import { alreadyGone, goneFields, notOurs, Removal, removal } from './removal';

export const communicationUser = defineStep({
  id: 'communicationUser',
  title: 'Delete the S/4 communication user',
  system: ({ spec }) => spec.s4.tenant,
  input: SpecInput,
  output: Removal,
  async read(deps, { spec }) {
    const s4 = await deps.s4(spec.s4.host, spec.s4.bootstrapUserSecret);
    const user = await s4.users.findByName(spec.s4.communicationUserName);
    // Our own system still holds its inbound user in a plan; the system step deletes it first in a run.
    const usedBy = user ? await usageOfUser(s4, user.ID, spec.s4.communicationSystemId) : [];
    return { user, usedBy };
  },
  diff({ user, usedBy }, { spec }) {
    const name = spec.s4.communicationUserName;
    const object = `communication user ${name}`;
    if (!user) return alreadyGone(object);
    if (!carriesMarkOf(user.Description, spec)) {
      return notOurs(
        object,
        `its description${user.Description ? ` "${user.Description}"` : ''} has no sap-trust mark of subaccount ${spec.btp.subaccountId}`,
        ['someone else (the user was not created by this onboarding)'],
        `Leave user ${name} alone, or delete it in the Fiori app Maintain Communication Users if nobody needs it; check "s4.communicationUserName" if this is not the user the onboarding created.`,
      );
    }
    if (usedBy.length > 0) {
      return notOurs(object, `deleting it would break ${usedBy.join('; ')}`, usedBy, `User ${name} also serves ${usedBy.join(' and ')}: remove it there first if that integration is gone, then offboard again.`);
    }
    return removal(object, goneFields({ ID: user.ID, Description: user.Description }));
  },
  async write(deps, { spec }, { user }, diff) {
    const s4 = await deps.s4(spec.s4.host, spec.s4.bootstrapUserSecret);
    const removed = await s4.users.delete(user!.ID);
    return { output: { ...diff.output, removed } };
  },
});
