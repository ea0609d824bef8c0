/** How the check spreads its concurrency over activities, and the lanes inside one activity. */
import { CHECK_ACTIVITIES_AT_ONCE, checkLanes, inLanes } from '../../../orchestrations/certificateCheck/lanes';

describe('checkLanes', () => {
  it('holds at most a few activities and never more SAP calls in flight than the concurrency', () => {
    expect(checkLanes(16)).toEqual({ activities: 4, subaccountsPerActivity: 4 });
    expect(checkLanes(2)).toEqual({ activities: 2, subaccountsPerActivity: 1 });
    expect(checkLanes(1)).toEqual({ activities: 1, subaccountsPerActivity: 1 });
    for (let c = 1; c <= 256; c++) {
      const { activities, subaccountsPerActivity } = checkLanes(c);
      expect(activities).toBeLessThanOrEqual(CHECK_ACTIVITIES_AT_ONCE);
      expect(activities * subaccountsPerActivity).toBeLessThanOrEqual(c);
      // Rounding down loses less than one subaccount per activity.
      expect(activities * subaccountsPerActivity).toBeGreaterThan(c - activities);
    }
  });
});

describe('inLanes', () => {
  const tick = () => new Promise((r) => setTimeout(r, 1));

  it('runs at most `lanes` at once and keeps the order of the items', async () => {
    let running = 0;
    let most = 0;
    const out = await inLanes([5, 1, 4, 2, 3, 0, 6], 3, async (n) => {
      most = Math.max(most, ++running);
      for (let i = 0; i < n; i++) await tick();
      running--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30, 0, 60]);
    expect(most).toBe(3);
  });

  it('rejects with the first failure and starts no further item', async () => {
    const started: number[] = [];
    await expect(
      inLanes([1, 2, 3, 4, 5, 6], 2, async (n) => {
        started.push(n);
        await tick();
        if (n === 2) throw new Error('registry down');
        return n;
      }),
    ).rejects.toThrow('registry down');
    await new Promise((r) => setTimeout(r, 20));
    expect(started.length).toBeLessThanOrEqual(3);
  });
});
