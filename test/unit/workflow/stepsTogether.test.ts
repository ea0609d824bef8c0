import { stepsTogetherHandler } from '../../../shared/workflow/stepsTogether';
import type { StepEnvelope, StepResult } from '../../../shared/workflow/stepActivity';

const ok = (output: unknown): StepResult<unknown> => ({ ok: true, outcome: 'created', output });

describe('run.together\'s activity', () => {
  it('runs every step side by side through its own handler and answers in the order asked', async () => {
    const started: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const handler = stepsTogetherHandler(async (step: string, envelope: StepEnvelope) => {
      started.push(step);
      if (started.length === 2) release();
      await gate; // a sequential loop would never start the second step
      return ok({ step, envelope });
    });
    const results = await handler({ mode: 'plan', runId: 'onboard-my1-r1', steps: [{ step: 'b', input: { n: 2 } }, { step: 'a', input: { n: 1 } }] });
    expect(results).toEqual([
      ok({ step: 'b', envelope: { mode: 'plan', runId: 'onboard-my1-r1', input: { n: 2 } } }),
      ok({ step: 'a', envelope: { mode: 'plan', runId: 'onboard-my1-r1', input: { n: 1 } } }),
    ]);
  });

  it('hands back each step\'s failure as that step\'s own result', async () => {
    const failure: StepResult<unknown> = { ok: false, transient: true, failure: { step: 'a', system: 'my1', kind: 'Transient', message: 'HTTP 503', fix: 'later' } };
    const handler = stepsTogetherHandler(async (step) => (step === 'a' ? failure : ok(step)));
    await expect(handler({ mode: 'run', runId: 'r', steps: [{ step: 'a', input: {} }, { step: 'b', input: {} }] })).resolves.toEqual([failure, ok('b')]);
  });

  it('refuses an envelope that is not a group of at least two steps (a defect, thrown for the orchestrator)', async () => {
    const handler = stepsTogetherHandler(async () => ok(1));
    await expect(handler({ mode: 'run', runId: 'r', steps: [{ step: 'a', input: {} }] })).rejects.toThrow();
    await expect(handler({ mode: 'run', steps: [{ step: 'a', input: {} }, { step: 'b', input: {} }] })).rejects.toThrow(/runId/);
  });
});
