import { instancesToPurge, type InstanceSummary } from '../../shared/workflow/historyRetention';

const WORKFLOWS = [{ name: 'onboarding', idPrefix: 'onboard' }];
const cutoff = new Date('2026-11-01T00:00:00Z');
const old = new Date('2026-10-01T00:00:00Z');
const recent = new Date('2026-11-20T00:00:00Z');
const run = (instanceId: string, runtimeStatus: string, lastUpdatedTime: Date, name = 'onboarding'): InstanceSummary => ({ instanceId, name, runtimeStatus, lastUpdatedTime });

describe('instancesToPurge', () => {
  it('removes older ended runs of a target and keeps its latest, however old', () => {
    const key = 'onboard-my100001-32fceecc';
    expect(instancesToPurge([run(`${key}-r1`, 'Completed', old), run(`${key}-r2`, 'Failed', old), run(`${key}-r3`, 'Terminated', old)], WORKFLOWS, cutoff)).toEqual([`${key}-r1`, `${key}-r2`]);
  });

  it('keeps runs that have not ended or ended recently, and counts them as the latest', () => {
    const key = 'onboard-my100002-1a2b';
    const ids = instancesToPurge([run(`${key}-r1`, 'Completed', old), run(`${key}-r2`, 'Completed', recent), run(`${key}-r3`, 'Running', old), run(`${key}-r4`, 'Pending', old)], WORKFLOWS, cutoff);
    expect(ids).toEqual([`${key}-r1`]);
  });

  it('compares run numbers as numbers (r10 is later than r9) and treats an id without a number as run 1', () => {
    const key = 'onboard-my100003-9f';
    expect(instancesToPurge([run(key, 'Completed', old), run(`${key}-r9`, 'Completed', old), run(`${key}-r10`, 'Completed', old)], WORKFLOWS, cutoff)).toEqual([key, `${key}-r9`]);
  });

  it('removes old plans, keeps recent ones, and leaves instances of unknown orchestrations alone', () => {
    const ids = instancesToPurge(
      [run('onboard-my100001-32fc-plan-0a1b2c3d', 'Completed', old), run('onboard-my100001-32fc-plan-deadbeef', 'Completed', recent), run('something-else-r1', 'Completed', old, 'otherOrchestration'), run('something-else-r2', 'Completed', old, 'otherOrchestration')],
      WORKFLOWS,
      cutoff,
    );
    expect(ids).toEqual(['onboard-my100001-32fc-plan-0a1b2c3d']);
  });
});
