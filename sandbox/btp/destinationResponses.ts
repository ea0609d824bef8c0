/** Destination service error bodies: `{"ErrorMessage": "..."}` (contracts A.3/A.4, schema JsonErrorMessage). */
import type { SandboxResponse } from '../core/service';

export function destinationError(status: number, message: string, headers?: Record<string, string>): SandboxResponse {
  return { status, ...(headers ? { headers } : {}), body: { ErrorMessage: message } };
}

/**
 * Where the published spec (S-DSPEC) types the error body as the plain `Error` string — GET and
 * DELETE of one destination, DELETE of the passive certificate, GET of the SAML metadata — the
 * sandbox answers with that string, as the spec's example "Not Found".
 */
export function destinationTextError(status: number, message: string): SandboxResponse {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: message };
}

export function json(status: number, body: unknown, headers?: Record<string, string>): SandboxResponse {
  return { status, ...(headers ? { headers } : {}), body };
}
