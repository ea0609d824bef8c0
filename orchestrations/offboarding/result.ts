/** What a completed offboarding returns: what it removed, and what was gone before it came. */
import { z } from 'zod';
import type { Removal } from './steps/removal';

export const OffboardingResult = z.object({
  removed: z.array(z.string()),
  alreadyGone: z.array(z.string()),
});
export type OffboardingResult = z.infer<typeof OffboardingResult>;

export const offboardingResult = (removals: Removal[]): OffboardingResult => ({
  removed: removals.filter((r) => r.removed).map((r) => r.object),
  alreadyGone: removals.filter((r) => !r.removed).map((r) => r.object),
});
