/**
 * Every Neo Trust Management API detail the sandbox had to choose because SAP documents none of
 * it (contracts D and G.8). Change a choice here and nowhere else.
 *
 * - Import method: PUT (doc does not name it).
 * - Import success: 204 No Content.
 * - Error bodies for 400/401/403/404: `{"error": <reason>, "error_description": <message>}`.
 * - 429: plain text `Too many requests` (doc wording) with `Retry-After` in seconds.
 * - A platform API client can only manage its own subaccount: another existing subaccount → 403.
 * - Rate-limit window: fixed 60 s per subaccount, counted on every trust API request (also refused
 *   ones), kept in memory only.
 */
import type { SandboxResponse } from '../core/service';

export const NEO_IMPORT_SUCCESS_STATUS = 204;
export const NEO_REQUESTS_PER_MINUTE = 100;

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
};

export function neoError(status: 400 | 401 | 403 | 404 | 405, description: string): SandboxResponse {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (status === 401) headers['www-authenticate'] = 'Bearer realm="hcp"';
  return { status, headers, body: { error: REASONS[status], error_description: description } };
}

export function neoTooManyRequests(retryAfterSeconds: number): SandboxResponse {
  return { status: 429, headers: { 'content-type': 'text/plain', 'retry-after': String(retryAfterSeconds) }, body: 'Too many requests' };
}
