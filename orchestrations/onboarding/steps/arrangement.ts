/**
 * The communication arrangement (SAP_COM_0501 by default) on our system, with our inbound user.
 * An arrangement of that name for another scenario or system is not ours to change. S/4 issues a
 * token only while an active arrangement references the inbound user (contracts B.5).
 */
import { z } from 'zod';
import { defineStep } from '../../../shared/workflow/defineStep';
import { ArrangementRef, CommunicationSystemRef } from '../references';
import { OnboardingSpec } from '../spec';

const Input = z.object({ spec: OnboardingSpec, system: CommunicationSystemRef });

export const arrangement = defineStep({
  id: 'arrangement',
  title: 'S/4 communication arrangement',
  system: ({ spec }) => spec.s4.tenant,
  input: Input,
  output: ArrangementRef,
  async read(deps, { spec }) {
    const s4 = await deps.s4(spec.s4.host, spec.s4.bootstrapUserSecret);
    return s4.arrangements.findByName(spec.s4.arrangementName);
  },
  diff(existing, { spec, system }) {
    const name = spec.s4.arrangementName;
    const object = `communication arrangement ${name}`;
    const ref = { arrangementName: name, arrangementUuid: existing?.UUID ?? '(assigned by S/4 on create)', scenarioId: spec.s4.scenarioId };
    if (!existing) {
      return {
        action: 'create',
        object,
        changes: [
          { field: 'scenario', to: spec.s4.scenarioId },
          { field: 'communication system', to: system.systemId },
          { field: 'inbound user', to: system.inboundUserUuid },
        ],
        output: ref,
      };
    }
    if (existing.CommunicationScenarioID !== spec.s4.scenarioId || existing.CommunicationSystemID !== system.systemId) {
      return {
        action: 'conflict',
        object,
        changes: [],
        output: ref,
        detail: `it exists for scenario ${existing.CommunicationScenarioID} on system ${existing.CommunicationSystemID}, not ${spec.s4.scenarioId} on ${system.systemId}`,
        conflict: {
          usedBy: [`communication system ${existing.CommunicationSystemID} (${existing.CommunicationScenarioID})`],
          fix: `Choose another "s4.arrangementName", or delete arrangement ${name} in the Fiori app Communication Arrangements if it is no longer used.`,
        },
      };
    }
    const held = existing.InboundUser?.CommunicationSystemInboundUserUUID;
    if (held === system.inboundUserUuid) return { action: 'unchanged', object, changes: [], output: ref };
    return { action: 'update', object, changes: [{ field: 'inbound user', ...(held ? { from: held } : {}), to: system.inboundUserUuid }], output: ref, detail: 're-pointed the inbound user' };
  },
  async write(deps, { spec, system }, existing, diff) {
    const s4 = await deps.s4(spec.s4.host, spec.s4.bootstrapUserSecret);
    if (!existing) {
      const created = await s4.arrangements.create({ scenarioId: spec.s4.scenarioId, systemId: system.systemId, name: spec.s4.arrangementName, inboundUserUUID: system.inboundUserUuid });
      return { output: { ...diff.output, arrangementUuid: created.UUID } };
    }
    await s4.arrangements.setInboundUser(existing.UUID, system.inboundUserUuid);
    return { output: diff.output, detail: diff.detail };
  },
});
