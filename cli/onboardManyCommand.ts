/** What `sap-trust onboard a.json b.json … [--concurrency N]` asks for (run by cli/onboardMany.ts). */

/** Runs in flight at once when --concurrency is not given. */
export const DEFAULT_CONCURRENCY = 4;

export interface OnboardManyCommand {
  kind: 'onboard many';
  /** Request files, JSON arrays of requests, or text files listing request files. */
  files: string[];
  concurrency: number;
}
