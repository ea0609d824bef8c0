/**
 * The communication arrangement: ours when it is on our communication system for our scenario.
 * It goes before the system and the user, which S/4 will not delete while it refers to them.
 */
import { defineStep } from '../../../shared/workflow/defineStep';
import { SpecInput } from '../../onboarding/spec';
import { alreadyGone, goneFields, notOurs, Removal, removal } from './removal';

export const arrangement = defineStep({
  id: 'arrangement',
  title: 'Delete the S/4 communication arrangement',
  system: ({ spec }) => spec.s4.tenant,
  input: SpecInput,
  output: Removal,
  async read(deps, { spec }) {
    const s4 = await deps.s4(spec.s4.host, spec.s4.bootstrapUserSecret);
    return s4.arrangements.findByName(spec.s4.arrangementName);
  },
  diff(existing, { spec }) {
    const name = spec.s4.arrangementName;
    const object = `communication arrangement ${name}`;
    if (!existing) return alreadyGone(object);
    if (existing.CommunicationSystemID !== spec.s4.communicationSystemId || existing.CommunicationScenarioID !== spec.s4.scenarioId) {
      const usedBy = `communication system ${existing.CommunicationSystemID} (${existing.CommunicationScenarioID})`;
      return notOurs(
        object,
        `it is for scenario ${existing.CommunicationScenarioID} on system ${existing.CommunicationSystemID}, not ${spec.s4.scenarioId} on ${spec.s4.communicationSystemId}`,
        [usedBy],
        `Check "s4.arrangementName" and "s4.communicationSystemId": send the request the onboarding got. Arrangement ${name} serves another integration; leave it alone.`,
      );
    }
    return removal(object, goneFields({ scenario: existing.CommunicationScenarioID, 'communication system': existing.CommunicationSystemID }));
  },
  async write(deps, { spec }, existing, diff) {
    const s4 = await deps.s4(spec.s4.host, spec.s4.bootstrapUserSecret);
    const removed = await s4.arrangements.delete(existing!.UUID);
    return { output: { ...diff.output, removed } };
  },
});
