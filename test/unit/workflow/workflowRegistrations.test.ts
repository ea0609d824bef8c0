/**
 * The app registers each workflow from its registration.ts (name, route, activities) and loads the
 * definition at the first invocation (bench/coldStart). A registration that drifts from its definition
 * would register an activity no step runs, or leave a step without its activity: these tests name the drift.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { stepOf } from '../../../shared/workflow/defineWorkflow';
import type { ChildWorkflowRegistration, WorkflowRegistration } from '../../../shared/workflow/workflowRegistration';
import { deferredDefinition } from '../../../shared/workflow/workflowRegistration';
import { onboardingRegistration } from '../../../orchestrations/onboarding/registration';

const ORCHESTRATIONS = path.join(__dirname, '../../../orchestrations');

/** Every registration that every orchestrations/<folder>/registration.ts exports (alone or in a list). */
function allRegistrations(): Array<WorkflowRegistration | ChildWorkflowRegistration> {
  return readdirSync(ORCHESTRATIONS, { withFileTypes: true })
    .filter((d) => d.isDirectory() && readdirSync(path.join(ORCHESTRATIONS, d.name)).includes('registration.ts'))
    .flatMap((d) => Object.values(require(path.join(ORCHESTRATIONS, d.name, 'registration')) as Record<string, unknown>))
    .flatMap((exported) => (Array.isArray(exported) ? exported : [exported]));
}

describe('workflow registrations', () => {
  const registrations = allRegistrations();

  it('cover every workflow folder that has a workflow.ts', () => {
    const folders = readdirSync(ORCHESTRATIONS).filter((d) => readdirSync(path.join(ORCHESTRATIONS, d)).some((f) => /^(workflow|\w+Workflow)\.ts$/.test(f)));
    const registered = readdirSync(ORCHESTRATIONS).filter((d) => readdirSync(path.join(ORCHESTRATIONS, d)).includes('registration.ts'));
    expect(registered.sort()).toEqual(folders.sort());
    expect(registrations.length).toBeGreaterThanOrEqual(11);
  });

  it.each(allRegistrations().map((r) => [r.name, r] as const))('%s registers the name, route and activities its definition declares', (_name, registration) => {
    const definition = registration.definition();
    expect(definition.name).toBe(registration.name);
    if ('kind' in registration) expect((definition as unknown as { kind: string }).kind).toBe(registration.kind);
    const activitySteps = definition.steps.filter((s) => s.kind !== 'derive').map((s) => s.id);
    expect({ workflow: registration.name, activities: [...registration.activities] }).toEqual({ workflow: registration.name, activities: activitySteps });
  });

  it('an activity registered for a step its workflow does not declare fails naming the workflow, the step and the fix', () => {
    expect(() => stepOf(onboardingRegistration.definition(), 'preflights')).toThrow(/workflow onboarding has no step preflights .* update the workflow's registration.ts/);
  });

  it('a deferred definition answers name and kind from the registration and the rest from the definition', () => {
    let definitionReads = 0;
    const deferred = deferredDefinition({ ...onboardingRegistration, definition: () => (definitionReads++, onboardingRegistration.definition()) });
    expect([deferred.name, deferred.kind, definitionReads]).toEqual(['onboarding', 'onboardings', 0]);
    expect(deferred.idPrefix).toBe(onboardingRegistration.definition().idPrefix);
    expect(deferred.key({ s4: { tenant: 'My100001' }, btp: { subaccountId: 'Sub' } } as never)).toBe(onboardingRegistration.definition().key({ s4: { tenant: 'My100001' }, btp: { subaccountId: 'Sub' } } as never));
    expect(definitionReads).toBe(2);
  });
});
