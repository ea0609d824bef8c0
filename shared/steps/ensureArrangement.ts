/**
 * Step 4: the communication arrangement (SAP_COM_0501 by default) on our system, with our inbound
 * user. An arrangement of that name for another scenario or system is not ours to change.
 */
import type { OnboardingPlan } from './onboardingPlan';
import type { StepDependencies } from './stepDependencies';
import type { ArrangementRef, CommunicationSystemRef } from './stepReferences';
import { asActivityOutcome, created, PermanentStepError, unchanged, updated, type ActivityOutcome } from './stepResult';

export function ensureArrangement(
  { plan, system }: { plan: OnboardingPlan; system: CommunicationSystemRef },
  deps: StepDependencies,
): Promise<ActivityOutcome<ArrangementRef>> {
  return asActivityOutcome('arrangement', plan.s4.tenant, async () => {
    const s4 = await deps.s4(plan.s4.host, plan.s4.bootstrapUserSecret);
    const name = plan.s4.arrangementName;
    const existing = await s4.arrangements.findByName(name);
    if (!existing) {
      const arrangement = await s4.arrangements.create({
        scenarioId: plan.s4.scenarioId,
        systemId: system.systemId,
        name,
        inboundUserUUID: system.inboundUserUuid,
      });
      return created({ arrangementName: name, arrangementUuid: arrangement.UUID, scenarioId: plan.s4.scenarioId });
    }
    if (existing.CommunicationScenarioID !== plan.s4.scenarioId || existing.CommunicationSystemID !== system.systemId) {
      throw new PermanentStepError({
        system: plan.s4.tenant,
        kind: 'ArrangementNameTaken',
        message: `arrangement ${name} exists for scenario ${existing.CommunicationScenarioID} on system ${existing.CommunicationSystemID}, not ${plan.s4.scenarioId} on ${system.systemId}`,
        fix: `Choose another "s4.arrangementName", or delete arrangement ${name} in the Fiori app Communication Arrangements if it is no longer used.`,
      });
    }
    const ref = { arrangementName: name, arrangementUuid: existing.UUID, scenarioId: plan.s4.scenarioId };
    if (existing.InboundUser?.CommunicationSystemInboundUserUUID === system.inboundUserUuid) return unchanged(ref);
    await s4.arrangements.setInboundUser(existing.UUID, system.inboundUserUuid);
    return updated(ref, 're-pointed the inbound user');
  });
}
