/**
 * The body of PUT /api/credentials/{name}: `{"value": …, "contentType"?: …}`. Refuses a credential
 * sent without the wrapper (one line that says so, not one per field of the key), a value that does
 * not fit its declared purpose (400) and one larger than Key Vault holds (413).
 */
import type { HttpResponseInit } from '@azure/functions';
import { CredentialPut } from '../../shared/schemas/onboardingApi';
import { credentialValueProblems, SECRET_VALUE_MAX_BYTES } from '../../shared/schemas/credentialValue';
import { validationErrors, type FieldError } from '../../shared/schemas/fieldErrors';
import { SECRET_CONTENT_TYPES } from '../../shared/secrets';
import { json } from './httpResponses';
import { kilobytes } from './jsonBody';

export type CredentialToStore =
  | { ok: true; value: string; contentType: string }
  | { ok: false; fields: FieldError[] }
  | { ok: false; response: HttpResponseInit };

export function credentialFromBody(body: unknown): CredentialToStore {
  if (isUnwrapped(body)) {
    return { ok: false, fields: [{ field: 'body', message: 'wrap the credential in "value": send {"value": <the credential>, "contentType"?: "…"}' }] };
  }
  const parsed = CredentialPut.safeParse(body);
  if (!parsed.success) return { ok: false, fields: validationErrors(parsed.error) };
  const problems = credentialValueProblems(parsed.data.value, parsed.data.contentType);
  if (problems.length > 0) return { ok: false, fields: problems };

  const { value, contentType } = parsed.data;
  const isJson = typeof value !== 'string';
  const stored = isJson ? JSON.stringify(value) : value;
  const bytes = Buffer.byteLength(stored, 'utf8');
  if (bytes > SECRET_VALUE_MAX_BYTES) {
    return { ok: false, response: json(413, { error: `the credential value is ${kilobytes(bytes)}; Key Vault holds at most ${kilobytes(SECRET_VALUE_MAX_BYTES)} per secret` }) };
  }
  return { ok: true, value: stored, contentType: contentType ?? (isJson ? SECRET_CONTENT_TYPES.json : SECRET_CONTENT_TYPES.text) };
}

/** A JSON object with fields, none of them `value`: the credential itself, sent without the wrapper. */
function isUnwrapped(body: unknown): boolean {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const keys = Object.keys(body);
  return !keys.includes('value') && keys.some((k) => k !== 'contentType');
}
