/**
 * Step 2: the communication user S/4 knows the BTP side by. Its password is generated here and
 * stored before the user is created, so a retried activity uses the same one; it never leaves the
 * activity except into the secret store and to S/4.
 */
import { communicationUserPasswordSecret, generateSapPassword } from '../secrets';
import type { OnboardingPlan } from './onboardingPlan';
import type { StepDependencies } from './stepDependencies';
import type { CommunicationUserRef } from './stepReferences';
import { asActivityOutcome, created, unchanged, updated, type ActivityOutcome } from './stepResult';

const APPLIED_TAG = 's4-applied';

export const communicationUserDescription = (plan: OnboardingPlan) =>
  `BTP subaccount ${plan.btp.subaccountId} (${plan.s4.scenarioId}), managed by sap-trust-onboarding`.slice(0, 80);

export function ensureCommunicationUser({ plan }: { plan: OnboardingPlan }, deps: StepDependencies): Promise<ActivityOutcome<CommunicationUserRef>> {
  return asActivityOutcome('communicationUser', plan.s4.tenant, async () => {
    const s4 = await deps.s4(plan.s4.host, plan.s4.bootstrapUserSecret);
    const name = plan.s4.communicationUserName;
    const description = communicationUserDescription(plan);
    const secret = communicationUserPasswordSecret(plan.s4.host, name);

    const existing = await s4.users.findByName(name);
    const password = await deps.secrets.getOrCreate(secret.name, () => generateSapPassword(), secret.meta);
    // The tag records that S/4 has this password: a retry after a failed write must write it again.
    const applied = (await deps.secrets.properties(secret.name))?.tags[APPLIED_TAG] === 'yes';
    const markApplied = () => deps.secrets.set(secret.name, password, { ...secret.meta, tags: { ...secret.meta.tags, [APPLIED_TAG]: 'yes' } });
    const ref = (userId: string): CommunicationUserRef => ({ userName: name, userId, passwordSecret: secret.name });

    if (!existing) {
      const user = await s4.users.create({ name, description, password });
      await markApplied();
      return created(ref(user.ID));
    }
    const changes = {
      ...(existing.Description !== description ? { description } : {}),
      ...(!applied ? { password } : {}),
    };
    if (Object.keys(changes).length === 0) return unchanged(ref(existing.ID));
    await s4.users.update(existing.ID, changes);
    if (!applied) await markApplied();
    return updated(ref(existing.ID), `set ${Object.keys(changes).join(' and ')}`);
  });
}
