/** Turns zod issues into the `fields` list of a 400/422 body: every bad field, by path, never its value. */
import type { z } from 'zod';
import { elsewhere, knownFieldPaths } from './knownFields';

export interface FieldError {
  /** Dotted path, e.g. `s4.host`; `body` for the request as a whole. */
  field: string;
  message: string;
}

/**
 * `schema`, when given, is the one that failed: an unknown field that it accepts at another place
 * says where (`unknown field allowCertificateGeneration: did you mean btp.allowCertificateGeneration?`).
 */
export function validationErrors(error: z.ZodError, schema?: z.ZodType): FieldError[] {
  const out: FieldError[] = [];
  let known: Map<string, string[]> | undefined;
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const field = fieldOf([...issue.path, key]);
        const places = schema ? elsewhere((known ??= knownFieldPaths(schema)), field, key) : [];
        out.push({ field, message: places.length > 0 ? `unknown field ${key}: did you mean ${places.join(' or ')}?` : 'unknown field' });
      }
      continue;
    }
    out.push({ field: fieldOf(issue.path), message: messageOf(issue) });
  }
  return out;
}

function fieldOf(path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'body';
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.').replace(/\.\[/g, '[');
}

function messageOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') {
    if (issue.path.length === 0) return 'must be a JSON object';
    if (/received undefined$/.test(issue.message)) return 'is required';
    if (issue.message.startsWith('Invalid input: expected')) {
      const expected = issue.expected === 'object' ? 'an object' : issue.expected === 'array' ? 'an array' : `a ${issue.expected}`;
      return `must be ${expected}`;
    }
  }
  return issue.message;
}
