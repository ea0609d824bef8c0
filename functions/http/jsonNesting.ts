/**
 * How deep JSON text nests, counted without parsing it. A body nested 100,000 deep parses, but every
 * recursive walk over it (zod, JSON.stringify) then overflows the stack; it is refused before that.
 */
export const DEFAULT_MAX_JSON_DEPTH = 32;

/** True when objects and arrays in `text` nest deeper than `maxDepth` (brackets inside strings do not count). */
export function jsonNestsDeeperThan(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > maxDepth) return true;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth--;
    }
  }
  return false;
}
