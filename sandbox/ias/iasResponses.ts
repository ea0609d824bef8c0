/**
 * How the simulated IAS answers: headers IAS sends (recordings), and the error model
 * `{"error":{"code","message","details":[{"target","message"}]}}` (spec `ErrorResponse`).
 *
 * Recorded verbatim: the 404 message "Unable to find application with provided identifier."
 * UNCONFIRMED (no recorded body found; chosen here, change them only in this module):
 * the 400 / 401 / 403 messages, and the OAuth token endpoint's error bodies, which follow RFC 6749.
 */
import type { ZodError } from 'zod';
import type { SandboxResponse } from '../core/service';

export const IAS_HEADERS: Record<string, string> = {
  'cache-control': 'private,no-cache,no-store',
  pragma: 'no-cache',
  expires: '0',
  server: 'SAP',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "script-src 'none';",
  'strict-transport-security': 'max-age=63072000; includeSubDomains; preload',
};

const JSON_UTF8 = 'application/json;charset=UTF-8';

export const IAS_MESSAGES = {
  notFound: 'Unable to find application with provided identifier.',
  unauthorized: 'Authentication failed.',
  forbidden: 'Access is denied.',
  invalidInput: 'Invalid user input.',
  unknownTenant: 'Tenant not found.',
} as const;

export interface ErrorDetail {
  target: string;
  message: string;
}

export function iasError(status: number, message: string, details?: ErrorDetail[]): SandboxResponse {
  const error: Record<string, unknown> = { code: status, message };
  if (details && details.length > 0) error.details = details;
  return { status, headers: { ...IAS_HEADERS, 'content-type': JSON_UTF8 }, body: { error } };
}

export function iasJson(status: number, body: unknown, extra: Record<string, string> = {}): SandboxResponse {
  return { status, headers: { ...IAS_HEADERS, 'content-type': JSON_UTF8, ...extra }, body };
}

/** IAS answers writes with an empty body (recorded content_length 0). */
export function iasEmpty(status: number, extra: Record<string, string> = {}): SandboxResponse {
  return { status, headers: { ...IAS_HEADERS, 'content-length': '0', ...extra }, body: '' };
}

export function invalidInput(details: ErrorDetail[]): SandboxResponse {
  return iasError(400, IAS_MESSAGES.invalidInput, details);
}

export function detailsFromZod(error: ZodError, prefix = ''): ErrorDetail[] {
  return error.issues.map((issue) => ({
    target: [prefix, ...issue.path.map(String)].filter((p) => p !== '').join('.') || '(body)',
    message: issue.message,
  }));
}

/** RFC 6749 §5.2 token endpoint errors. */
export function oauthError(status: 400 | 401, error: string, description: string): SandboxResponse {
  const headers: Record<string, string> = { ...IAS_HEADERS, 'content-type': 'application/json' };
  if (status === 401) headers['www-authenticate'] = 'Basic realm="oauth2/token"';
  return { status, headers, body: { error, error_description: description } };
}
