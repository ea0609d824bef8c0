import { tokenCache } from '../../../shared/sap/http/tokenCache';

function issuer(lifetimeSeconds: number) {
  let issued = 0;
  return {
    fetch: async () => ({ token: `t${++issued}`, expiresInSeconds: lifetimeSeconds }),
    count: () => issued,
  };
}

describe('token cache', () => {
  it('renews an hour-long token one minute before it expires', async () => {
    let now = 0;
    const source = issuer(3600);
    const cache = tokenCache(source.fetch, () => now);
    expect(await cache.get()).toBe('t1');
    now = 3_539_000;
    expect(await cache.get()).toBe('t1');
    now = 3_540_000;
    expect(await cache.get()).toBe('t2');
  });

  it('renews a short-lived token a tenth of its lifetime early, not on every call', async () => {
    let now = 0;
    const source = issuer(30);
    const cache = tokenCache(source.fetch, () => now);
    await cache.get();
    now = 26_000;
    expect(await cache.get()).toBe('t1');
    now = 27_000;
    expect(await cache.get()).toBe('t2');
  });

  it('shares one fetch between concurrent callers, and forgets the token on invalidate', async () => {
    const source = issuer(3600);
    const cache = tokenCache(source.fetch);
    expect(await Promise.all([cache.get(), cache.get(), cache.get()])).toEqual(['t1', 't1', 't1']);
    expect(source.count()).toBe(1);
    expect(cache.current()).toBe('t1');
    cache.invalidate();
    expect(cache.current()).toBeUndefined();
    expect(await cache.get()).toBe('t2');
  });
});
