import { parseCommandLine } from '../../../cli/commandLine';
import { planHasConflict, planLines } from '../../../cli/planView';
import type { WorkflowRunView } from '../../../cli/workflowApi';

const view = (steps: WorkflowRunView['steps'], extra: Partial<WorkflowRunView> = {}): WorkflowRunView => ({
  id: 'onboard-my100001-x-plan-0a1b2c3d',
  kind: 'onboardings',
  mode: 'plan',
  status: 'completed',
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:01.000Z',
  tenant: 'my100001',
  subaccountId: 'x',
  steps,
  ...extra,
});

describe('planLines', () => {
  it('prints an update with each field\'s old and new value, and a masked secret as the server sent it', () => {
    const lines = planLines(
      view([
        {
          id: 'communicationUser',
          title: 'S/4 communication user',
          plan: { action: 'update', object: 'communication user COM0501_X', changes: [{ field: 'Description', from: 'old text', to: 'new text' }, { field: 'Password', from: '(secret, not shown)', to: '(secret, not shown)' }] },
        },
      ]),
      'onboarding',
      { color: false },
    );
    expect(lines).toEqual([
      'Plan of the onboarding of tenant my100001, subaccount x (nothing was written)',
      '  ~ update     communication user COM0501_X',
      '        Description: old text → new text',
      '        Password: (secret, not shown) → (secret, not shown)',
      'Plan: 0 to create, 1 to update, 0 to delete, 0 unchanged.',
    ]);
  });

  it('prints a conflict with who holds the object and the fix, and counts it', () => {
    const plan = view([
      { id: 'destination', title: 'Delete the BTP destination', plan: { action: 'conflict', object: 'destination D', changes: [], detail: 'it belongs to someone else', conflict: { usedBy: ['someone else'], fix: 'Leave D alone.' } } },
      { id: 'registryRow', title: 'Remove the tenant from the registry', plan: { action: 'unchanged', object: 'registry row', changes: [], detail: 'already gone' } },
    ]);
    expect(planLines(plan, 'offboarding', { color: false })).toEqual([
      'Plan of the offboarding of tenant my100001, subaccount x (nothing was written)',
      '  ! conflict   destination D (it belongs to someone else)',
      '        used by: someone else',
      '        fix: Leave D alone.',
      '  = unchanged  registry row (already gone)',
      'Plan: 0 to create, 0 to update, 0 to delete, 1 unchanged, 1 conflict: a run would stop there.',
    ]);
    expect(planHasConflict(plan)).toBe(true);
  });

  it('says where a plan stopped when it failed', () => {
    const lines = planLines(view([], { status: 'failed', error: { step: 'preflight', system: 'my100001', message: 'S/4 refused the user', fix: 'Store the right user.' } }), 'onboarding', { color: false });
    expect(lines).toContain('✖ The plan stopped at preflight on my100001: S/4 refused the user');
    expect(lines).toContain('  Fix: Store the right user.');
  });
});

describe('offboard and plan on the command line', () => {
  it('parses offboard like onboard, and plan with --offboard and --json', () => {
    expect(parseCommandLine(['offboard', 'r.json', '--no-wait']).command).toEqual({ kind: 'offboard', file: 'r.json', wait: false });
    expect(parseCommandLine(['plan', 'r.json']).command).toEqual({ kind: 'plan', file: 'r.json', offboard: false, json: false });
    expect(parseCommandLine(['plan', 'r.json', '--offboard', '--json']).command).toEqual({ kind: 'plan', file: 'r.json', offboard: true, json: true });
  });

  it('refuses --offboard on other commands and a plan without a file', () => {
    expect(() => parseCommandLine(['onboard', 'r.json', '--offboard'])).toThrow("option --offboard does not apply to 'onboard'");
    expect(() => parseCommandLine(['plan'])).toThrow("'plan' needs <file.json>");
  });
});
