/** The request/answer shapes the devhost route handlers share. */
import type { IncomingHttpHeaders } from 'node:http';

export interface HostCall {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface HostReply {
  status: number;
  headers?: Record<string, string | string[]>;
  body?: Buffer | string;
}

export function jsonReply(status: number, value: unknown, headers: Record<string, string | string[]> = {}): HostReply {
  return {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(value),
  };
}

/** An error answer naming the problem: `{"error": "..."}`. */
export function problem(status: number, message: string, headers: Record<string, string> = {}): HostReply {
  return jsonReply(status, { error: message }, headers);
}

/** Lets a handler stop with an error answer from deep inside parsing. */
export class ReplyError extends Error {
  constructor(readonly reply: HostReply) {
    super(typeof reply.body === 'string' ? reply.body : `HTTP ${reply.status}`);
  }
}

export function badRequest(message: string): ReplyError {
  return new ReplyError(problem(400, message));
}
