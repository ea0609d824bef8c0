export const EXIT = {
  success: 0,
  failure: 1,
  usage: 2,
  /** Left waiting for a manual step because of --no-wait. */
  waitingForManualStep: 3,
  /** Stopped following with Ctrl-C; the run goes on on the server (128 + SIGINT, as shells do). */
  interrupted: 130,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
