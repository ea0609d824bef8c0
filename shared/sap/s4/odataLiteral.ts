/** OData V4 literals for `$filter` and keys. */

/** A string literal: single quotes doubled. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** An Edm.Guid key or literal: written bare. Rejects anything that is not a GUID (no injection into paths). */
export function odataGuid(value: string): string {
  if (!GUID.test(value)) throw new Error(`not a GUID: ${JSON.stringify(value.slice(0, 60))}`);
  return value.toLowerCase();
}

/** `Prop eq 'value'` joined with `and`. */
export function odataEq(conditions: Record<string, string | boolean | number>): string {
  return Object.entries(conditions)
    .map(([k, v]) => `${k} eq ${typeof v === 'string' ? odataString(v) : String(v)}`)
    .join(' and ');
}
