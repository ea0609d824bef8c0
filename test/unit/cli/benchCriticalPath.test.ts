import { criticalPath } from '../../../bench/onboarding/criticalPath';

const call = (startMs: number, ms: number) => ({ at: new Date(1_700_000_000_000 + startMs).toISOString(), ms, method: 'GET', host: 'h', path: '/' });

describe('critical path of SAP calls', () => {
  it('counts sequential calls one each', () => {
    expect(criticalPath([call(0, 50), call(51, 50), call(102, 50)])).toMatchObject({ calls: 3, sequentialCalls: 3 });
  });

  it('counts calls that overlapped in time once', () => {
    expect(criticalPath([call(0, 50), call(1, 50), call(2, 50), call(60, 50)])).toMatchObject({ calls: 4, sequentialCalls: 2 });
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

  describe('SAP time on the critical path, as SAP took it', () => {
    it('adds the durations of sequential calls, whatever the injected latency', () => {
      const path = criticalPath([call(0, 52), call(60, 57), call(120, 51)]);
      expect(path.sapMs).toBe(160);
      expect(path.firstStart).toBe(1_700_000_000_000);
      expect(path.lastEnd).toBe(1_700_000_000_171);
    });

    it('takes the slowest of calls that ran in parallel', () => {
      expect(criticalPath([call(0, 51), call(1, 58), call(2, 50), call(70, 50)]).sapMs).toBe(58 + 50);
    });

    it('counts a nested call inside its outer call, not again', () => {
      // find destination (0–139) posts to the token endpoint (72–138): SAP took 139 ms for both.
      expect(criticalPath([call(0, 139), call(72, 66), call(145, 13)]).sapMs).toBe(139 + 13);
    });

    it('counts the time once where the next call starts within the rounding of the previous end', () => {
      expect(criticalPath([call(0, 51), call(50, 50)]).sapMs).toBe(100);
    });

    it('is zero without calls', () => {
      expect(criticalPath([])).toEqual({ calls: 0, sequentialCalls: 0, sapMs: 0 });
    });
  });
});
