/**
 * A value per key, built at first use, of which the `limit` most recently used are kept: for caches that
 * must not grow with every tenant or document a long-running process meets (SAP clients, parsed
 * `$metadata` models, the sandbox's parsed keys).
 */
export function recentlyUsed<K, V>(limit: number): (key: K, build: () => V) => V {
  const entries = new Map<K, V>();
  return (key, build) => {
    if (entries.has(key)) {
      const value = entries.get(key) as V;
      entries.delete(key); // a Map iterates in insertion order: re-inserting marks it the most recent
      entries.set(key, value);
      return value;
    }
    const value = build();
    entries.set(key, value);
    if (entries.size > limit) entries.delete(entries.keys().next().value as K);
    return value;
  };
}
