/**
 * OData resource paths below a service root: `Set`, `Set(<key>)`, `Set(<key>)/<Navigation>`.
 * Keys may be written `(<guid>)`, `(UUID=<guid>)`, `('CC0000000001')` or `(ID='CC0000000001')`.
 */
export interface ResourcePath {
  entitySet: string;
  key?: string;
  navigation?: string;
}

export function parseResourcePath(relative: string): ResourcePath | undefined {
  const path = decodeURIComponent(relative).replace(/\/+$/, '');
  const m = /^([A-Za-z]+)(?:\(([^)]*)\))?(?:\/([A-Za-z]+))?$/.exec(path);
  if (!m) return undefined;
  const [, entitySet, rawKey, navigation] = m;
  if (navigation && rawKey === undefined) return undefined;
  let key: string | undefined;
  if (rawKey !== undefined) {
    const k = /^(?:[A-Za-z]+=)?(?:'((?:[^']|'')*)'|([0-9a-fA-F-]+))$/.exec(rawKey.trim());
    if (!k) return undefined;
    key = k[1] !== undefined ? k[1].replace(/''/g, "'") : k[2].toLowerCase();
  }
  return { entitySet, key, navigation };
}
