/** The pause after a cut-over during which POST /api/rotations/{id}/rollback brings the old certificate back. Shown as a step; the waiting is the orchestrator's. */
import { z } from 'zod';
import { defineStep } from '../../../shared/workflow/defineStep';

export const ROLLBACK_WINDOW_STEP = 'rollbackWindow';
export const ROLLBACK_EVENT = 'rollback';

export const rollbackWindow = defineStep({
  kind: 'derive',
  id: ROLLBACK_WINDOW_STEP,
  title: 'Keep the old certificate for the rollback window',
  system: () => 'rotation',
  input: z.object({ until: z.string() }),
  output: z.object({ until: z.string() }),
  derive: ({ until }) => ({ output: { until }, detail: `rollback possible until ${until}` }),
});
