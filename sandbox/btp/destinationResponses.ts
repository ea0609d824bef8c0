/** Destination service error bodies: `{"ErrorMessage": "..."}` (contracts A.3/A.4, schema JsonErrorMessage). */
import type { SandboxResponse } from '../core/service';

export function destinationError(status: number, message: string, headers?: Record<string, string>): SandboxResponse {
  return { status, ...(headers ? { headers } : {}), body: { ErrorMessage: message } };
}

export function json(status: number, body: unknown, headers?: Record<string, string>): SandboxResponse {
  return { status, ...(headers ? { headers } : {}), body };
}
