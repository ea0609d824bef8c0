/**
 * PATCH `operations` as IAS applies them: paths are JSON pointers over the application JSON whose
 * first segment may be an extension URN (`/urn:sap:...:Authentication/saml2Configuration/...`),
 * array members are addressed by index (`/assertionAttributes/0`, `-` appends on add).
 * add inserts into arrays and sets object members; replace sets (an absent object member is
 * added, as for add); remove deletes and fails when the target does not exist.
 * `id` and `meta` are read-only.
 */
import type { PatchBody } from './applicationSchema';
import type { ErrorDetail } from './iasResponses';

type Container = Record<string, unknown> | unknown[];

const READ_ONLY = new Set(['id', 'meta']);

function segments(path: string): string[] {
  return path
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function isContainer(value: unknown): value is Container {
  return typeof value === 'object' && value !== null;
}

function arrayIndex(segment: string, length: number, allowEnd: boolean): number | undefined {
  if (allowEnd && segment === '-') return length;
  if (!/^(0|[1-9][0-9]*)$/.test(segment)) return undefined;
  const index = Number(segment);
  return index < length || (allowEnd && index === length) ? index : undefined;
}

/** Applies the operations to a copy; returns the copy or the operations that could not be applied. */
export function applyPatch<T extends Record<string, unknown>>(
  app: T,
  operations: PatchBody['operations'],
): { result: T } | { errors: ErrorDetail[] } {
  const result = structuredClone(app);
  const errors: ErrorDetail[] = [];
  operations.forEach((operation, i) => {
    const target = `operations[${i}]`;
    const path = segments(operation.path);
    if (path.length === 0 || path[0] === '') return errors.push({ target, message: `Invalid path ${operation.path}` });
    if (READ_ONLY.has(path[0])) return errors.push({ target, message: `Attribute ${path[0]} is read-only.` });
    if (operation.op !== 'remove' && !('value' in operation)) {
      return errors.push({ target, message: `Operation ${operation.op} requires a value.` });
    }
    let parent: unknown = result;
    for (const segment of path.slice(0, -1)) {
      if (Array.isArray(parent)) {
        const index = arrayIndex(segment, parent.length, false);
        parent = index === undefined ? undefined : parent[index];
      } else if (isContainer(parent)) {
        const record = parent as Record<string, unknown>;
        if (record[segment] === undefined && operation.op !== 'remove') record[segment] = {};
        parent = record[segment];
      } else {
        parent = undefined;
      }
      if (!isContainer(parent)) return errors.push({ target, message: `Path ${operation.path} does not exist.` });
    }
    const last = path[path.length - 1];
    const value = structuredClone(operation.value);
    if (Array.isArray(parent)) {
      const index = arrayIndex(last, parent.length, operation.op === 'add');
      if (index === undefined) return errors.push({ target, message: `Index ${last} is out of range in ${operation.path}.` });
      if (operation.op === 'add') parent.splice(index, 0, value);
      else if (operation.op === 'replace') parent[index] = value;
      else parent.splice(index, 1);
    } else if (isContainer(parent)) {
      const record = parent as Record<string, unknown>;
      if (operation.op === 'remove') {
        if (!(last in record)) return errors.push({ target, message: `Path ${operation.path} does not exist.` });
        delete record[last];
      } else {
        record[last] = value;
      }
    }
    return undefined;
  });
  return errors.length > 0 ? { errors } : { result };
}
