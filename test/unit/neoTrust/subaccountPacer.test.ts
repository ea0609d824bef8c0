import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { subaccountPacer } from '../../../shared/neoTrust/subaccountPacer';
import { TransientStepError } from '../../../shared/workflow/stepOutcome';

function clock() {
  let t = 1_000_000;
  const waits: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      waits.push(ms);
      t += ms;
    },
    advance: (ms: number) => (t += ms),
    waits,
  };
}

describe('the per-subaccount pacer', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'pacer-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('spaces requests to one subaccount 600 ms apart at 100 per minute, others not at all', async () => {
    const c = clock();
    const pacer = subaccountPacer({ now: c.now, sleep: c.sleep });
    await pacer.slot('a');
    await pacer.slot('b');
    expect(c.waits).toEqual([]);
    await pacer.slot('a');
    await pacer.slot('a');
    expect(c.waits).toEqual([600, 600]);
  });

  it('never lets more than the limit into any 60 s window', async () => {
    const c = clock();
    const pacer = subaccountPacer({ now: c.now, sleep: c.sleep, maxInlineWaitMs: 120_000 });
    const sent: number[] = [];
    for (let i = 0; i < 250; i++) {
      await pacer.slot('a');
      sent.push(c.now());
    }
    for (const start of sent) expect(sent.filter((t) => t >= start && t < start + 60_000).length).toBeLessThanOrEqual(100);
  });

  it('keeps its ledger across a restart', async () => {
    const c = clock();
    const file = path.join(dir, 'pacing.json');
    await subaccountPacer({ file, now: c.now, sleep: c.sleep }).slot('a');
    const afterRestart = subaccountPacer({ file, now: c.now, sleep: c.sleep });
    await afterRestart.slot('a');
    expect(c.waits).toEqual([600]);
  });

  it('hands a long wait to the durable timer instead of sleeping', async () => {
    const c = clock();
    const pacer = subaccountPacer({ now: c.now, sleep: c.sleep, maxInlineWaitMs: 5_000 });
    const wait = pacer.tooManyRequests('a');
    expect(wait).toBe(10_000);
    const refused = await pacer.slot('a').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(TransientStepError);
    expect((refused as TransientStepError).retryAfterMs).toBe(10_000);
    c.advance(10_000);
    await pacer.slot('a');
    expect(c.waits).toEqual([]);
  });
});
