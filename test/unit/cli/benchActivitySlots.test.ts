import { activitySlotMs } from '../../../bench/onboarding/activitySlots';

const completed = (name: string, scheduled: string, done: string, type = 'TaskCompleted') => ({ EventType: type, FunctionName: name, ScheduledTime: scheduled, Timestamp: done });

describe('the activity slot time of one run (bench/onboarding floor)', () => {
  it('adds up each activity once, from its scheduling to its completion, failures included', () => {
    expect(
      activitySlotMs([
        { EventType: 'ExecutionStarted', Timestamp: '2026-12-02T10:00:00.000Z' },
        completed('onboarding_preflight', '2026-12-02T10:00:00.010Z', '2026-12-02T10:00:00.070Z'),
        // two steps run together: one activity, one slot
        completed('onboarding__together', '2026-12-02T10:00:00.075Z', '2026-12-02T10:00:00.180Z'),
        { EventType: 'TimerFired', Timestamp: '2026-12-02T10:00:01.000Z' },
        completed('onboarding_verify', '2026-12-02T10:00:01.000Z', '2026-12-02T10:00:01.040Z', 'TaskFailed'),
      ]),
    ).toBe(60 + 105 + 40);
  });

  it('refuses a completion without its times instead of counting it as zero', () => {
    expect(() => activitySlotMs([{ EventType: 'TaskCompleted', FunctionName: 'x', Timestamp: '2026-12-02T10:00:00.000Z' }])).toThrow(/without times/);
  });
});
