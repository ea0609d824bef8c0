import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PERSIST_COST_FACTOR, SandboxState } from '../../../sandbox/core/state';
import type { SandboxService } from '../../../sandbox/core/service';

/** A slice whose snapshot costs `costMs` of CPU and counts how often it was taken. */
function costlyService(costMs: number) {
  const taken = { snapshots: 0 };
  const service: SandboxService = {
    name: 'costly',
    matchHost: () => undefined,
    initialState: () => ({
      toJSON() {
        const until = performance.now() + costMs;
        while (performance.now() < until); // a state big enough to take this long to serialise
        taken.snapshots++;
        return { n: taken.snapshots };
      },
    }),
    seed: () => undefined,
    describe: () => ({}),
    handle: () => ({ status: 404 }),
  };
  return { service, taken };
}

async function until(what: string, probe: () => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('sandbox state persistence', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'sandbox-state-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('waits 100 × the last snapshot\'s time before the next, so a big state is not serialised every 50 ms', async () => {
    const { service, taken } = costlyService(8);
    const state = new SandboxState([service], dir, 5);
    state.load();
    state.changed();
    await until('the first write', () => taken.snapshots === 1);
    const first = Date.now();
    state.changed();
    await new Promise((r) => setTimeout(r, 100));
    expect(taken.snapshots).toBe(1); // a 5 ms debounce alone would have written again by now
    await until('the second write', () => taken.snapshots === 2);
    expect(Date.now() - first).toBeGreaterThanOrEqual(8 * PERSIST_COST_FACTOR - 10);
    await until('the file', () => JSON.parse(readFileSync(state.file, 'utf8')).slices.costly.n === 2);
  });

  it('writes a small state after the plain debounce, and stop\'s flush writes at once whatever the wait', async () => {
    const small = costlyService(0);
    const state = new SandboxState([small.service], dir, 5);
    state.load();
    state.changed();
    await until('the first write', () => small.taken.snapshots === 1, 1000);
    state.changed();
    await until('the second write', () => small.taken.snapshots === 2, 1000);

    const big = costlyService(40);
    const slow = new SandboxState([big.service], path.join(dir, 'slow'), 5);
    slow.load();
    slow.changed();
    await until('the first write', () => big.taken.snapshots === 1);
    slow.changed(); // would wait 800 ms
    await slow.flush();
    expect(big.taken.snapshots).toBe(2);
    expect(JSON.parse(readFileSync(slow.file, 'utf8')).slices.costly.n).toBe(2);
  });
});
