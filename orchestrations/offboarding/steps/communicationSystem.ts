/**
 * The communication system, with the inbound user S/4 deletes along with it. Ours when its
 * description carries the mark of this subaccount's onboarding and nothing else uses it: an inbound
 * user of another communication user, or an arrangement other than ours, makes it someone else's too.
 */
import type { CommunicationArrangement, CommunicationSystem, CommunicationUser } from '../../../shared/sap/s4';
import { defineStep } from '../../../shared/workflow/defineStep';
import { carriesMarkOf } from '../../onboarding/ownership';
import { SpecInput, type OnboardingSpec } from '../../onboarding/spec';
import { alreadyGone, goneFields, notOurs, Removal, removal } from './removal';

interface Current {
  system?: CommunicationSystem;
  arrangements: CommunicationArrangement[];
  user?: CommunicationUser;
}

export const communicationSystem = defineStep({
  id: 'communicationSystem',
  title: 'Delete the S/4 communication system',
  system: ({ spec }) => spec.s4.tenant,
  input: SpecInput,
  output: Removal,
  async read(deps, { spec }): Promise<Current> {
    const s4 = await deps.s4(spec.s4.host, spec.s4.bootstrapUserSecret);
    const system = await s4.systems.findById(spec.s4.communicationSystemId);
    if (!system) return { arrangements: [] };
    const [arrangements, user, inboundUsers] = await Promise.all([
      s4.arrangements.listBySystem(system.ID),
      s4.users.findByName(spec.s4.communicationUserName),
      system.InboundUsers ? Promise.resolve(system.InboundUsers) : s4.systems.listInboundUsers(system.UUID),
    ]);
    return { system: { ...system, InboundUsers: inboundUsers }, arrangements, user };
  },
  diff({ system, arrangements, user }, { spec }) {
    const object = `communication system ${spec.s4.communicationSystemId}`;
    if (!system) return alreadyGone(object);
    const description = typeof system.Description === 'string' ? system.Description : undefined;
    if (!carriesMarkOf(description, spec)) {
      return notOurs(
        object,
        `its description${description ? ` "${description}"` : ''} has no sap-trust mark of subaccount ${spec.btp.subaccountId}`,
        ['someone else (the system was not created by this onboarding)'],
        `Leave system ${system.ID} alone, or delete it in the Fiori app Communication Systems if nobody needs it; check "s4.communicationSystemId" if this is not the system the onboarding created.`,
      );
    }
    const usedBy = foreignUse(system, arrangements, user, spec);
    if (usedBy.length > 0) {
      return notOurs(
        object,
        `deleting it would break ${usedBy.join('; ')}`,
        usedBy,
        `Remove ${usedBy.join(' and ')} from system ${system.ID} in the Fiori apps Communication Systems and Communication Arrangements if they are no longer needed, then offboard again.`,
      );
    }
    const inbound = (system.InboundUsers ?? []).map((u) => u.CommunicationUserID ?? u.UUID);
    return removal(object, goneFields({ Description: description, 'inbound users': inbound.join(', ') }), inbound.length ? `with its inbound user ${inbound.join(', ')}` : undefined);
  },
  async write(deps, { spec }, { system }, diff) {
    const s4 = await deps.s4(spec.s4.host, spec.s4.bootstrapUserSecret);
    const removed = await s4.systems.delete(system!.UUID);
    return { output: { ...diff.output, removed } };
  },
});

/** Inbound users of other communication users, and arrangements other than ours (the arrangement step runs first). */
function foreignUse(system: CommunicationSystem, arrangements: CommunicationArrangement[], user: CommunicationUser | undefined, spec: OnboardingSpec): string[] {
  const otherUsers = (system.InboundUsers ?? []).filter((u) => !user || u.CommunicationUserID !== user.ID);
  const otherArrangements = arrangements.filter((a) => a.Name !== spec.s4.arrangementName || a.CommunicationScenarioID !== spec.s4.scenarioId);
  return [
    ...otherUsers.map((u) => `inbound user ${u.CommunicationUserID ?? u.UUID}`),
    ...otherArrangements.map((a) => `arrangement ${a.Name} (${a.CommunicationScenarioID})`),
  ];
}
