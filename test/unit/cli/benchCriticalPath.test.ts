import { criticalPath } from '../../../bench/onboarding/criticalPath';

const call = (startMs: number, ms: number) => ({ at: new Date(1_700_000_000_000 + startMs).toISOString(), ms, method: 'GET', host: 'h', path: '/' });

describe('critical path of SAP calls', () => {
  it('counts sequential calls one each', () => {
    expect(criticalPath([call(0, 50), call(51, 50), call(102, 50)])).toEqual({ calls: 3, sequentialCalls: 3 });
  });

  it('counts calls that overlapped in time once', () => {
    expect(criticalPath([call(0, 50), call(1, 50), call(2, 50), call(60, 50)])).toEqual({ calls: 4, sequentialCalls: 2 });
  });

  it('tolerates millisecond rounding between a call and the next', () => {
    expect(criticalPath([call(0, 51), call(50, 50)]).sequentialCalls).toBe(2);
    expect(criticalPath([call(0, 60), call(50, 50)]).sequentialCalls).toBe(1);
  });

  it('adds a call SAP makes while answering another, which the outer call waits for', () => {
    // find destination (0–140) posts to the token endpoint (70–130) before it answers.
    expect(criticalPath([call(0, 50), call(55, 140), call(125, 60)]).sequentialCalls).toBe(3);
    // The outer call may answer within the log's rounding of the inner one's end.
    expect(criticalPath([call(0, 154), call(67, 85)]).sequentialCalls).toBe(2);
    // Calls a step starts together are parallel, not nested, even when one ends a little earlier.
    expect(criticalPath([call(0, 52), call(2, 52), call(4, 50)]).sequentialCalls).toBe(1);
    // Two calls in parallel, one of them with a nested call: the longer branch counts.
    expect(criticalPath([call(0, 140), call(70, 60), call(1, 50), call(150, 50)]).sequentialCalls).toBe(3);
  });
});
