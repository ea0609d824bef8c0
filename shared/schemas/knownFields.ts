/**
 * Where each field name of a zod schema lives (`allowCertificateGeneration` → `btp.allowCertificateGeneration`),
 * found by walking the schema itself, so a field sent at the wrong level can be told where it belongs.
 */
import type { z } from 'zod';

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  left?: z.ZodType;
  right?: z.ZodType;
  getter?: () => z.ZodType;
}

const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Field name → every dotted path where the schema accepts it (records' free keys are not fields). */
export function knownFieldPaths(schema: z.ZodType): Map<string, string[]> {
  const paths = new Map<string, string[]>();
  const visit = (s: z.ZodType, prefix: string[], seen: Set<z.ZodType>): void => {
    if (seen.has(s) || prefix.length > 16) return;
    const inner = new Set(seen).add(s);
    const def = defOf(s);
    switch (def.type) {
      case 'object':
        for (const [name, field] of Object.entries(def.shape ?? {})) {
          const path = [...prefix, name];
          paths.set(name, [...(paths.get(name) ?? []), path.join('.')]);
          visit(field, path, inner);
        }
        return;
      case 'record':
        return; // free keys, not fields
      case 'lazy':
        if (def.getter) visit(def.getter(), prefix, inner);
        return;
      default: {
        // pipe (its input), array, union, intersection, optional, nullable, default, readonly, catch, ...
        const children = [def.in, def.element, def.left, def.right, def.innerType, ...(def.options ?? [])];
        for (const child of children) if (child) visit(child, prefix, inner);
      }
    }
  };
  visit(schema, [], new Set());
  return paths;
}

/** The other places a field of this name belongs, e.g. ['btp.allowCertificateGeneration'] for a top-level one. */
export function elsewhere(known: Map<string, string[]>, path: string, name: string): string[] {
  return (known.get(name) ?? []).filter((p) => p !== path);
}
