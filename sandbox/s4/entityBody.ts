/**
 * Validates a POST/PATCH JSON body against an entity model the way an OData V4 server does:
 * unknown or read-only properties, wrong types, MaxLength facets and enumerations are 400s that
 * name every bad property.
 */
import type { EntityModel } from './fieldModel';
import { ERRORS } from './fieldModel';
import type { ODataErrorDetail } from './odataResponse';
import { isGuid } from './odataQuery';

export type BodyResult =
  | { ok: true; values: Record<string, unknown>; navigations: Record<string, unknown> }
  | { ok: false; problems: ODataErrorDetail[] };

export function parseJsonObject(body: Buffer): { ok: true; value: Record<string, unknown> } | { ok: false; problem: ODataErrorDetail } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return { ok: false, problem: { code: 'SANDBOX/MALFORMED_JSON', message: 'The request body is not valid JSON' } };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { ok: false, problem: { code: 'SANDBOX/MALFORMED_JSON', message: 'The request body must be a JSON object' } };
  }
  return { ok: true, value: parsed as Record<string, unknown> };
}

export function validateBody(
  model: EntityModel,
  body: Record<string, unknown>,
  mode: 'create' | 'update',
  hidden: ReadonlySet<string>,
): BodyResult {
  const problems: ODataErrorDetail[] = [];
  const values: Record<string, unknown> = {};
  const navigations: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(body)) {
    if (name.startsWith('@') || name.includes('@odata.')) continue;
    if (model.navigations.some((n) => n.name === name)) {
      navigations[name] = value;
      continue;
    }
    const prop = model.properties.find((p) => p.name === name);
    if (!prop || hidden.has(name)) {
      problems.push({ code: 'SANDBOX/UNKNOWN_PROPERTY', message: `Property '${name}' is not defined for ${model.type}`, target: name });
      continue;
    }
    if (prop.computed) {
      problems.push({ code: 'SANDBOX/READ_ONLY', message: `Property '${name}' is read-only`, target: name });
      continue;
    }
    if (prop.immutable && mode === 'update') {
      problems.push({ code: 'SANDBOX/READ_ONLY', message: `Property '${name}' cannot be changed after creation`, target: name });
      continue;
    }
    if (value === null) {
      values[name] = null;
      continue;
    }
    const typeOk =
      (prop.type === 'Edm.String' && typeof value === 'string') ||
      (prop.type === 'Edm.Boolean' && typeof value === 'boolean') ||
      (prop.type === 'Edm.Int32' && Number.isInteger(value) && Math.abs(value as number) <= 2 ** 31) ||
      (prop.type === 'Edm.Guid' && typeof value === 'string' && isGuid(value));
    if (!typeOk) {
      problems.push({ code: 'SANDBOX/INVALID_VALUE', message: `Value for property '${name}' is not a valid ${prop.type}`, target: name });
      continue;
    }
    if (prop.maxLength !== undefined && typeof value === 'string' && value.length > prop.maxLength) {
      problems.push(ERRORS.maxLength(name, prop.maxLength));
      continue;
    }
    if (prop.values && !prop.values.includes(value as string)) {
      problems.push({ code: 'SANDBOX/INVALID_VALUE', message: `Value '${String(value)}' is not allowed for '${name}' (one of ${prop.values.join(', ')})`, target: name });
      continue;
    }
    values[name] = prop.type === 'Edm.Guid' ? (value as string).toLowerCase() : value;
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, values, navigations };
}
