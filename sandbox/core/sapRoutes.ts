/**
 * HTTPS requests to simulated SAP hosts: route by Host to the service that answers for it, apply
 * global latency and fault rules, call the service, log the call (no headers, no bodies).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type https from 'node:https';
import type { SandboxClock } from './clock';
import type { FaultInjector } from './faults';
import { BodyTooLarge, readBody, send, sleep, toSandboxRequest } from './httpExchange';
import type { RequestLog } from './requestLog';
import type { SandboxResponse, SandboxService } from './service';
import type { SandboxState } from './state';

export interface SapRouteDeps {
  services: readonly SandboxService[];
  state: SandboxState;
  faults: FaultInjector;
  log: RequestLog;
  latencyMs(): number;
  clock: SandboxClock;
  outboundAgent(): https.Agent;
  /** Responses kept open by a hang fault; the server destroys them on stop. */
  hanging: Set<ServerResponse>;
  onError(message: string): void;
  /** Called after a service handled a write (any method but GET/HEAD), with `METHOD host/path` and the service and host parameters that answered it. */
  afterWrite(cause: string, by: { service: string; hostParams: Record<string, string> }): void;
}

function errorFor(service: SandboxService | undefined, status: number, message: string, host?: string): SandboxResponse {
  if (service?.errorResponse) return service.errorResponse(status, message, host);
  return { status, body: { error: message } };
}

const REASON: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 408: 'Request Timeout',
  409: 'Conflict', 413: 'Payload Too Large', 429: 'Too Many Requests', 500: 'Internal Server Error',
  502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

export async function handleSapRequest(deps: SapRouteDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = Date.now();
  const sreq = toSandboxRequest(req, Buffer.alloc(0));
  let fault: 'error' | 'hang' | 'lost-response' | undefined;
  let service: SandboxService | undefined;
  let hostParams: Record<string, string> | undefined;
  for (const candidate of deps.services) {
    hostParams = candidate.matchHost(sreq.host);
    if (hostParams) {
      service = candidate;
      break;
    }
  }
  const finish = (response: SandboxResponse) => {
    send(res, response);
    deps.log.add({ at: new Date(started).toISOString(), method: sreq.method, host: sreq.host, path: sreq.path, status: response.status, ms: Date.now() - started, ...(fault ? { fault } : {}) });
  };

  try {
    sreq.body = await readBody(req);
  } catch (err) {
    if (err instanceof BodyTooLarge) return finish(errorFor(service, 413, REASON[413], sreq.host));
    return; // the client went away
  }
  if (!service || !hostParams) {
    return finish({ status: 404, body: { error: 'unknown host', host: sreq.host, hint: 'the sandbox simulates BTP, S/4HANA Cloud, IAS and Neo host names only' } });
  }

  const decision = deps.faults.decide(sreq.method, sreq.host, sreq.path);
  await sleep(deps.latencyMs() + decision.latencyMs);
  const hang = (status: number) => {
    deps.hanging.add(res);
    res.on('close', () => deps.hanging.delete(res));
    deps.log.add({ at: new Date(started).toISOString(), method: sreq.method, host: sreq.host, path: sreq.path, status, ms: 0, fault });
  };
  if (decision.kind === 'hang') {
    fault = 'hang';
    return hang(0);
  }
  if (decision.kind === 'error') {
    fault = 'error';
    const response = errorFor(service, decision.status, REASON[decision.status] ?? `HTTP ${decision.status}`, sreq.host);
    if (decision.retryAfterSeconds !== undefined) response.headers = { ...(response.headers ?? {}), 'retry-after': String(decision.retryAfterSeconds) };
    return finish(response);
  }

  const slice = deps.state.slice(service);
  try {
    const response = await service.handle(sreq, slice, {
      hostParams,
      changed: () => deps.state.changed(),
      now: () => deps.clock.now(),
      outboundAgent: deps.outboundAgent,
    });
    if (sreq.method !== 'GET' && sreq.method !== 'HEAD') {
      deps.state.changed();
      deps.afterWrite(`${sreq.method} ${sreq.host}${sreq.path}`, { service: service.name, hostParams });
    }
    if (decision.kind === 'lose-response') {
      fault = 'lost-response';
      return hang(response.status);
    }
    finish(response);
  } catch (err) {
    deps.onError(`${service.name} failed on ${sreq.method} ${sreq.host}${sreq.path}: ${(err as Error)?.message ?? String(err)}`);
    if (sreq.method !== 'GET' && sreq.method !== 'HEAD') deps.afterWrite(`${sreq.method} ${sreq.host}${sreq.path} (failed)`, { service: service.name, hostParams });
    finish(errorFor(service, 500, REASON[500], sreq.host));
  }
}
