/**
 * Reads the JSON body of a request, refusing before anything else looks at it: too large (413),
 * not declared as JSON (415), not UTF-8, nested too deep or not JSON (400, field `(body)`).
 * Every route that takes JSON reads it here.
 */
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { invalidRequest, json } from './httpResponses';
import { isJsonContentType } from './jsonMediaType';
import { DEFAULT_MAX_JSON_DEPTH, jsonNestsDeeperThan } from './jsonNesting';

export interface JsonBodyLimits {
  maxBytes: number;
  /** Default 32: far deeper than any request of this API. */
  maxDepth?: number;
  /** Default true. An optional body may be empty (then `body` is undefined). */
  required?: boolean;
}

/** What each kind of route takes. Workflow requests carry names and a certificate PEM at most. */
export const BODY_LIMITS = {
  workflowRequest: { maxBytes: 256 * 1024 },
  /**
   * The value's own limit is Key Vault's 25 KB (credentialValue.ts, 413 naming it). Written as JSON
   * with \u escapes, 25 KB take up to 150 KB, so the body limit leaves that judgement to the value's.
   */
  credential: { maxBytes: 256 * 1024 },
  confirmation: { maxBytes: 16 * 1024, required: false },
} as const satisfies Record<string, JsonBodyLimits>;

export type JsonBody = { ok: true; body: unknown } | { ok: false; response: HttpResponseInit };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export async function readJsonBody(request: HttpRequest, limits: JsonBodyLimits): Promise<JsonBody> {
  const { maxBytes, maxDepth = DEFAULT_MAX_JSON_DEPTH, required = true } = limits;
  const refuse = (response: HttpResponseInit): JsonBody => ({ ok: false, response });
  const declared = Number(request.headers.get('content-length') ?? '');
  if (Number.isFinite(declared) && declared > maxBytes) return refuse(tooLarge(maxBytes));
  const bytes = await readAtMost(request, maxBytes);
  if (!bytes) return refuse(tooLarge(maxBytes));

  if (bytes.length === 0) return required ? refuse(invalidRequest([{ field: '(body)', message: 'a JSON body is required' }])) : { ok: true, body: undefined };
  const contentType = request.headers.get('content-type');
  if (!isJsonContentType(contentType)) {
    return refuse(json(415, { error: `the body must be sent as Content-Type: application/json (got ${contentType ? describe(contentType) : 'no Content-Type'})` }));
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return refuse(invalidRequest([{ field: '(body)', message: 'is not valid UTF-8; send the JSON encoded as UTF-8' }]));
  }
  if (jsonNestsDeeperThan(text, maxDepth)) {
    return refuse(invalidRequest([{ field: '(body)', message: `nests objects or arrays deeper than ${maxDepth} levels` }]));
  }
  try {
    return { ok: true, body: JSON.parse(text) };
  } catch {
    return refuse(invalidRequest([{ field: '(body)', message: 'the body is not valid JSON' }]));
  }
}

/** The body, or undefined as soon as it exceeds maxBytes (the rest is not read). */
async function readAtMost(request: HttpRequest, maxBytes: number): Promise<Uint8Array | undefined> {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const chunk = typeof value === 'string' ? new TextEncoder().encode(value) : new Uint8Array(value);
    size += chunk.length;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(chunk);
  }
  const all = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.length;
  }
  return all;
}

export const kilobytes = (bytes: number) => `${Math.round(bytes / 1024)} KB (${bytes.toLocaleString('en-US')} bytes)`;

function tooLarge(maxBytes: number): HttpResponseInit {
  return json(413, { error: `the request body is larger than ${kilobytes(maxBytes)}, the most this route takes` });
}

/** The media type only: a header is not echoed whole (it is the caller's text, and may be long). */
function describe(contentType: string): string {
  return contentType.split(';')[0].trim().slice(0, 100) || 'an empty Content-Type';
}
