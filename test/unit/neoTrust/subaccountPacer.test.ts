import { appendFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { filePacingLedger } from '../../../shared/neoTrust/pacingLedger';
import { subaccountPacer, type SubaccountPacer } from '../../../shared/neoTrust/subaccountPacer';
import { TransientStepError } from '../../../shared/workflow/stepOutcome';

function clock() {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

/** The wait the pacer asks for, or undefined when the request may go now. */
async function refusal(pacer: SubaccountPacer, key: string): Promise<number | undefined> {
  try {
    await pacer.slot(key);
    return undefined;
  } catch (e) {
    expect(e).toBeInstanceOf(TransientStepError);
    return (e as TransientStepError).retryAfterMs;
  }
}

describe('the per-subaccount pacer', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'pacer-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lets a burst of up to the limit go at once, then asks to wait until the oldest leaves the window (a minute plus the margin)', async () => {
    const c = clock();
    const pacer = subaccountPacer({ requestsPerMinute: 100, marginMs: 2_000, now: c.now });
    const start = c.now();
    for (let i = 0; i < 100; i++) {
      expect(await refusal(pacer, 'a')).toBeUndefined();
      c.advance(10);
    }
    expect(await refusal(pacer, 'b')).toBeUndefined();
    const wait = await refusal(pacer, 'a');
    expect(wait).toBe(start + 62_000 - c.now());
    c.advance(wait!);
    expect(await refusal(pacer, 'a')).toBeUndefined();
  });

  it('tells the caller when the next request may go: now while there is room, later when the window is full', async () => {
    const c = clock();
    const pacer = subaccountPacer({ requestsPerMinute: 3, marginMs: 0, now: c.now });
    expect(await pacer.slot('a')).toBe(c.now());
    c.advance(100);
    expect(await pacer.slot('a')).toBe(c.now());
    expect(await pacer.slot('a')).toBe(1_000_000 + 60_000);
  });

  it('never lets more than the limit into any minute, whatever the arrival pattern', async () => {
    const c = clock();
    const pacer = subaccountPacer({ requestsPerMinute: 100, marginMs: 0, now: c.now });
    const sent: number[] = [];
    let seed = 7;
    const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    while (sent.length < 400) {
      const wait = await refusal(pacer, 'a');
      if (wait === undefined) sent.push(c.now());
      c.advance(wait ?? Math.floor(random() * 1500));
    }
    for (const start of sent) expect(sent.filter((t) => t >= start && t < start + 60_000).length).toBeLessThanOrEqual(100);
  });

  it('keeps its ledger across a restart (the file under DATA_DIR)', async () => {
    const c = clock();
    const file = path.join(dir, 'pacing.log');
    const before = subaccountPacer({ requestsPerMinute: 2, marginMs: 0, now: c.now, ledger: filePacingLedger(file) });
    await before.slot('a');
    await before.slot('a');
    const afterRestart = subaccountPacer({ requestsPerMinute: 2, marginMs: 0, now: c.now, ledger: filePacingLedger(file) });
    expect(await refusal(afterRestart, 'a')).toBe(60_000);
  });

  it('replays its file after a kill: a line torn by the kill is skipped, and lines it cannot read (the former format) count as nothing', async () => {
    const c = clock();
    const file = path.join(dir, 'pacing.log');
    writeFileSync(file, `${JSON.stringify({ 'eu2.hana.ondemand.com/a': 1_000_600 })}\n`);
    const before = subaccountPacer({ requestsPerMinute: 2, marginMs: 0, now: c.now, ledger: filePacingLedger(file) });
    await before.slot('a');
    appendFileSync(file, '{"key":"a","state":{"sent":[1000');
    const afterKill = subaccountPacer({ requestsPerMinute: 2, marginMs: 0, now: c.now, ledger: filePacingLedger(file) });
    expect(await refusal(afterKill, 'a')).toBeUndefined();
    expect(await refusal(afterKill, 'a')).toBe(60_000);
    const afterAnotherRestart = subaccountPacer({ requestsPerMinute: 2, marginMs: 0, now: c.now, ledger: filePacingLedger(file) });
    expect(await refusal(afterAnotherRestart, 'a')).toBe(60_000);
  });

  it('rewrites a grown file with only the current states, and reads the same budget from it', async () => {
    const c = clock();
    const file = path.join(dir, 'pacing.log');
    const pacer = subaccountPacer({ requestsPerMinute: 3, marginMs: 0, now: c.now, ledger: filePacingLedger(file, 2_000) });
    for (let i = 0; i < 60; i++) {
      const wait = await refusal(pacer, `s${i % 4}`);
      c.advance(wait ?? 500);
    }
    expect(statSync(file).size).toBeLessThan(2_000 + 200);
    const again = subaccountPacer({ requestsPerMinute: 3, marginMs: 0, now: c.now, ledger: filePacingLedger(file) });
    for (let i = 0; i < 4; i++) expect(await refusal(again, `s${i}`)).toBe(await refusal(pacer, `s${i}`));
  });

  it('after a 429 holds the subaccount back for everyone, and hands the wait to the durable timer instead of sleeping', async () => {
    const c = clock();
    const pacer = subaccountPacer({ now: c.now });
    await pacer.slot('a');
    expect(await pacer.tooManyRequests('a')).toBe(10_000);
    expect(await refusal(pacer, 'a')).toBe(10_000);
    c.advance(4_000);
    expect(await refusal(pacer, 'a')).toBe(6_000);
    c.advance(6_000);
    expect(await refusal(pacer, 'a')).toBeUndefined();
  });

  it('a ledger it cannot reach is a transient failure naming the ledger; no request goes', async () => {
    const pacer = subaccountPacer({
      ledger: { change: async () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:10002')) },
      ledgerName: 'the table NeoTrustPacing in the app\'s storage account',
    });
    const e = await pacer.slot('a').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TransientStepError);
    expect((e as Error).message).toMatch(/the table NeoTrustPacing in the app's storage account could not be read or written \(connect ECONNREFUSED/);
  });
});
