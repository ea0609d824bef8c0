import { recentlyUsed } from '../../../shared/memo/recentlyUsed';

describe('recentlyUsed', () => {
  it('builds a key\'s value once and hands the same value back', () => {
    const cache = recentlyUsed<string, { n: number }>(2);
    let builds = 0;
    const first = cache('a', () => ({ n: ++builds }));
    expect(cache('a', () => ({ n: ++builds }))).toBe(first);
    expect(builds).toBe(1);
  });

  it('drops the least recently used when full, counting a use as recent', () => {
    const cache = recentlyUsed<string, string>(2);
    const built: string[] = [];
    const get = (key: string) => cache(key, () => (built.push(key), key.toUpperCase()));
    get('a');
    get('b');
    get('a'); // a is now more recent than b
    get('c'); // drops b
    get('a');
    expect(built).toEqual(['a', 'b', 'c']);
    get('b');
    expect(built).toEqual(['a', 'b', 'c', 'b']); // b was dropped; c is dropped now
    get('c');
    expect(built).toEqual(['a', 'b', 'c', 'b', 'c']);
  });

  it('keeps falsy values like any other', () => {
    const cache = recentlyUsed<string, number>(1);
    let builds = 0;
    cache('zero', () => (builds++, 0));
    expect(cache('zero', () => (builds++, 0))).toBe(0);
    expect(builds).toBe(1);
  });
});
