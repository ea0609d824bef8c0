/**
 * How the check spreads its concurrency (CERTIFICATE_CHECK_CONCURRENCY = subaccounts checked at once =
 * SAP calls in flight) over activities. The host runs at most maxConcurrentActivityFunctions (10 in
 * host.json) activities at once, so one activity per subaccount could never reach 16, and would take
 * every slot the onboardings and rotations need meanwhile. The check therefore holds at most
 * CHECK_ACTIVITIES_AT_ONCE activities, each checking a batch's subaccounts side by side.
 */

export const CHECK_ACTIVITIES_AT_ONCE = 4;

export interface CheckLanes {
  /** Batch activities (one per child orchestration) at once. */
  activities: number;
  /** Subaccounts each activity checks side by side; activities × this ≤ concurrency. */
  subaccountsPerActivity: number;
}

export function checkLanes(concurrency: number): CheckLanes {
  const wanted = Math.max(1, Math.floor(concurrency));
  const activities = Math.min(wanted, CHECK_ACTIVITIES_AT_ONCE);
  return { activities, subaccountsPerActivity: Math.floor(wanted / activities) };
}

/** `work` for every item, at most `lanes` at once, results in the items' order; the first rejection rejects and starts no more. */
export async function inLanes<T, R>(items: readonly T[], lanes: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failed = false;
  const lane = async () => {
    while (next < items.length && !failed) {
      const i = next++;
      try {
        results[i] = await work(items[i]);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(lanes, items.length)) }, lane));
  return results;
}
