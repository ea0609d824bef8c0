import { runStatusOf } from '../../../shared/workflow/runView';
import { RUN_STATUSES } from '../../../shared/workflow/runViewSchema';

describe('runStatusOf', () => {
  it.each([
    ['Pending', false, 'pending'],
    ['Running', false, 'running'],
    ['Running', true, 'waiting for manual step'],
    ['ContinuedAsNew', false, 'running'],
    ['Suspended', false, 'suspended'],
    ['Suspended', true, 'suspended'],
    ['Completed', false, 'completed'],
    ['Failed', false, 'failed'],
    ['Terminated', false, 'terminated'],
    ['Canceled', false, 'canceled'],
  ])('maps %s (waiting %s) to "%s"', (runtime, waiting, expected) => {
    expect(runStatusOf(runtime, waiting)).toBe(expected);
    expect(RUN_STATUSES).toContain(expected);
  });
});
