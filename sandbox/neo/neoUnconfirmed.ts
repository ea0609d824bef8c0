/**
 * Every Neo Trust Management API detail the sandbox had to choose because SAP documents none of
 * it (contracts D and G.8). Change a choice here and nowhere else.
 *
 * - Import method: PUT (doc does not name it).
 * - Import success: 204 No Content.
 * - Error bodies for 400/401/403/404: `{"error": <reason>, "error_description": <message>}`.
 * - 429: plain text `Too many requests` (doc wording) with `Retry-After` in seconds; SAP documents no
 *   Retry-After, so the switch `noRetryAfter` drops it.
 * - Trust API host: `api.<landscape>` (SAP doc) and `apissecurity.<landscape>` (SAP's migration sample)
 *   both answer; the token endpoint answers on `api.<landscape>` only.
 * - A platform API client can only manage its own subaccount: another existing subaccount → 403.
 * - Rate-limit window: fixed 60 s per subaccount from its first request, counted on every trust API
 *   request (also refused ones), kept in memory only. SAP says the limit "may be ignored or further
 *   reduced": the switch `requestsPerMinute` reduces it for one subaccount. The client's sliding window
 *   (shared/neoTrust/pacingWindow.ts) holds under any window alignment, so it does not rely on this choice.
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

export function neoTooManyRequests(retryAfterSeconds: number | undefined): SandboxResponse {
  const headers: Record<string, string> = { 'content-type': 'text/plain' };
  if (retryAfterSeconds !== undefined) headers['retry-after'] = String(retryAfterSeconds);
  return { status: 429, headers, body: 'Too many requests' };
}

export function neoServerError(description: string): SandboxResponse {
  return { status: 500, headers: { 'content-type': 'application/json' }, body: { error: 'Internal Server Error', error_description: description } };
}
