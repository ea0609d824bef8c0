/**
 * `status` and `follow` take an onboarding id or a tenant: for a tenant (my100001) the latest run
 * of that tenant, found through the list API. An id that exists always wins.
 */
import { ApiError, type OnboardingApi } from './onboardingApi';
import type { OnboardingView } from './onboardingView';

export interface FoundOnboarding {
  view: OnboardingView;
  /** Set when a tenant was given: how many runs it has, the latest shown. */
  ofTenant?: { tenant: string; runs: number };
}

export async function findOnboarding(api: OnboardingApi, idOrTenant: string): Promise<FoundOnboarding> {
  try {
    return { view: await api.getOnboarding(idOrTenant) };
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 404) throw e;
  }
  const wanted = idOrTenant.toLowerCase();
  const runs = (await api.listOnboardings()).filter((v) => v.tenant.toLowerCase() === wanted);
  if (!runs.length) {
    throw new ApiError(`no onboarding has the id or tenant '${idOrTenant}' on ${api.base} (sap-trust list shows them all)`, 404, [], undefined, api.base);
  }
  const latest = runs.reduce((a, b) => (b.createdAt > a.createdAt ? b : a));
  return { view: latest, ofTenant: { tenant: latest.tenant, runs: runs.length } };
}
