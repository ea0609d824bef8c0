/**
 * SAP's own message from an error response body. Each SAP API has its own shape:
 * OData V4 `{"error":{"code","message"}}` (V2: message `{"value"}`), Destination service
 * `{"ErrorMessage"}` or a plain string, UAA `{"error","error_description"}`,
 * IAS `{"error":{"code","message","details"}}`, or an HTML logon page (S/4 401).
 */
const MAX_MESSAGE = 500;

export interface ParsedSapMessage {
  message: string;
  code?: string;
}

function text(v: unknown): string | undefined {
  if (typeof v === 'string' && v.trim() !== '') return v.trim();
  if (v && typeof v === 'object' && typeof (v as { value?: unknown }).value === 'string') return (v as { value: string }).value;
  return undefined;
}

function clip(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > MAX_MESSAGE ? `${one.slice(0, MAX_MESSAGE)}…` : one;
}

function fromJson(body: unknown): ParsedSapMessage | undefined {
  if (typeof body === 'string') return body.trim() ? { message: body.trim() } : undefined;
  if (!body || typeof body !== 'object') return undefined;
  const b = body as Record<string, unknown>;
  if (b.error && typeof b.error === 'object') {
    const e = b.error as Record<string, unknown>;
    const message = text(e.message);
    const code = typeof e.code === 'string' || typeof e.code === 'number' ? String(e.code) : undefined;
    if (message) return code ? { message, code } : { message };
  }
  const errorMessage = text(b.ErrorMessage);
  if (errorMessage) return { message: errorMessage };
  const description = text(b.error_description);
  if (description) return typeof b.error === 'string' ? { message: description, code: b.error } : { message: description };
  if (typeof b.error === 'string') return { message: b.error, code: b.error };
  const plain = text(b.message);
  if (plain) return { message: plain };
  return undefined;
}

/** Best effort: never throws; falls back to the HTTP status text. */
export function parseSapMessage(data: unknown, contentType: string | undefined, status: number, statusText?: string): ParsedSapMessage {
  let body = data;
  if (Buffer.isBuffer(body)) body = body.toString('utf8');
  if (typeof body === 'string') {
    const trimmed = body.trim();
    if (trimmed.startsWith('{') || trimmed.startsWith('[') || trimmed.startsWith('"')) {
      try {
        body = JSON.parse(trimmed);
      } catch {
        /* not JSON after all */
      }
    } else if (/html/i.test(contentType ?? '') || trimmed.startsWith('<')) {
      const title = /<title[^>]*>([^<]*)<\/title>/i.exec(trimmed)?.[1];
      const textOnly = (title ?? trimmed.replace(/<[^>]*>/g, ' ')).trim();
      return { message: clip(textOnly || `HTTP ${status}`) };
    }
  }
  const parsed = fromJson(body);
  if (parsed) return { ...parsed, message: clip(parsed.message) };
  return { message: statusText ? `HTTP ${status} ${statusText}` : `HTTP ${status}` };
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: unknown, now: number = Date.now()): number | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}
