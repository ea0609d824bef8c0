/** The few answer shapes every route of the product's API uses. */
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { FieldError } from '../../shared/schemas/fieldErrors';

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): HttpResponseInit => ({
  status,
  jsonBody: body,
  headers: { 'Content-Type': 'application/json', ...headers },
});

export const invalidRequest = (fields: FieldError[], status: 400 | 422 = 400): HttpResponseInit =>
  json(status, { error: status === 400 ? 'invalid request' : 'request cannot be carried out', fields });

export const notFound = (what: string): HttpResponseInit => json(404, { error: `${what} not found` });

/** The API's base URL as the caller reached it, e.g. `http://127.0.0.1:7071/api`. */
export function apiBase(request: HttpRequest): string {
  const url = new URL(request.url);
  const prefix = url.pathname.startsWith('/api/') ? '/api' : '';
  return `${url.origin}${prefix}`;
}
