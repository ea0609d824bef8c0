/** Builds the parsed requests the sandbox core hands to a service, for handler unit tests. */
import type { SandboxContext, SandboxRequest } from '../../../sandbox/core/service';

export function sandboxRequest(method: string, host: string, pathAndQuery: string, options: { headers?: Record<string, string>; body?: unknown } = {}): SandboxRequest {
  const [path, rawQuery = ''] = pathAndQuery.split('?');
  const body = options.body === undefined ? Buffer.alloc(0) : Buffer.from(typeof options.body === 'string' ? options.body : JSON.stringify(options.body));
  const headers: Record<string, string> = { host, ...Object.fromEntries(Object.entries(options.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])) };
  if (options.body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
  return { method, host, path, rawQuery, query: new URLSearchParams(rawQuery), headers, body };
}

export function testContext(hostParams: Record<string, string>, clock: { now: Date }): SandboxContext & { changes: number } {
  const ctx = {
    hostParams,
    changes: 0,
    changed() {
      ctx.changes += 1;
    },
    now: () => clock.now,
    outboundAgent: () => {
      throw new Error('IAS and Neo never call other simulated systems');
    },
  };
  return ctx;
}

export function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}
