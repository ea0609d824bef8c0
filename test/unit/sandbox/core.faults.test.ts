import { FaultConfig, FaultInjector } from '../../../sandbox/core/faults';
import { seededRandom } from '../../../sandbox/core/prng';

describe('fault rules', () => {
  it('matches on method, host and path; the first matching rule decides', () => {
    const f = new FaultInjector();
    f.configure([
      { method: 'POST', host: '^my100001-api\\.', path: '/oauth2/token$', errorRate: 1, status: 429, retryAfterSeconds: 7 },
      { host: 'destination-configuration', latencyMs: 25 },
    ]);
    expect(f.decide('POST', 'my100001-api.s4hana.ondemand.com', '/sap/bc/sec/oauth2/token')).toEqual({ kind: 'error', latencyMs: 0, status: 429, retryAfterSeconds: 7 });
    expect(f.decide('GET', 'my100001-api.s4hana.ondemand.com', '/sap/bc/sec/oauth2/token')).toEqual({ kind: 'pass', latencyMs: 0 });
    expect(f.decide('GET', 'destination-configuration.cfapps.eu10.hana.ondemand.com', '/x')).toEqual({ kind: 'pass', latencyMs: 25 });
  });

  it('defaults to 503, and 429 always carries a Retry-After', () => {
    const f = new FaultInjector();
    f.configure([{ errorRate: 1 }]);
    expect(f.decide('GET', 'h', '/')).toMatchObject({ kind: 'error', status: 503 });
    f.configure([{ errorRate: 1, status: 429 }]);
    expect(f.decide('GET', 'h', '/')).toMatchObject({ kind: 'error', status: 429, retryAfterSeconds: 1 });
  });

  it('is reproducible with a seed', () => {
    const run = () => {
      const f = new FaultInjector();
      f.configure({ rules: [{ errorRate: 0.5 }], seed: 42 });
      return Array.from({ length: 40 }, () => f.decide('GET', 'h', '/').kind).join(',');
    };
    const a = run();
    expect(run()).toBe(a);
    expect(a).toContain('error');
    expect(a).toContain('pass');
    expect(seededRandom(1)()).not.toBe(seededRandom(2)());
  });

  it('hangs at the hang rate', () => {
    const f = new FaultInjector();
    f.configure([{ hangRate: 1, latencyMs: 5 }]);
    expect(f.decide('GET', 'h', '/')).toEqual({ kind: 'hang', latencyMs: 5 });
  });

  it('loses the answer at the lost-response rate, after a hang was not drawn and before any error', () => {
    const f = new FaultInjector();
    f.configure([{ lostResponseRate: 1, errorRate: 1 }]);
    expect(f.decide('POST', 'h', '/')).toEqual({ kind: 'lose-response', latencyMs: 0 });
    f.configure([{ hangRate: 1, lostResponseRate: 1 }]);
    expect(f.decide('POST', 'h', '/').kind).toBe('hang');
  });

  it('rejects bad rules, naming the field', () => {
    const bad = FaultConfig.safeParse([{ errorRate: 2, path: '(' }]);
    expect(bad.success).toBe(false);
    const fields = bad.success ? [] : bad.error.issues.map((i) => i.path.join('.'));
    expect(fields).toEqual(expect.arrayContaining(['0.errorRate', '0.path']));
    expect(FaultConfig.safeParse([{ unknownKnob: 1 }]).success).toBe(false);
  });
});
