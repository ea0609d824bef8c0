export const EXIT = {
  success: 0,
  failure: 1,
  usage: 2,
  /** Left waiting for a manual step because of --no-wait. */
  waitingForManualStep: 3,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
