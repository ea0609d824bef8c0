/**
 * The documented Durable Functions HTTP management API (durable-runtime-notes 2.2, 2.3), mounted under
 * `/runtime/webhooks/durabletask/` and `/durabletask/`. Status codes follow HttpApiHandler.cs:
 * 202 + Location while running, 200 when done, 404 unknown, 410 gone, 400 malformed.
 */
import { z } from 'zod';
import type { DurableEngine, InstanceStatus, RuntimeStatus } from '../engineContract';
import { badRequest, jsonReply, problem, ReplyError, type HostCall, type HostReply } from './hostCall';

const RUNTIME_STATUSES = ['Pending', 'Running', 'Completed', 'ContinuedAsNew', 'Failed', 'Terminated', 'Suspended'] as const;
const TERMINAL: ReadonlySet<RuntimeStatus> = new Set(['Completed', 'Failed', 'Terminated']);

export interface ManagementUrls {
  /** Public origin, e.g. http://127.0.0.1:7071 */
  origin: string;
  hubName: string;
  systemKey: string;
}

const flag = (name: string) =>
  z
    .string()
    .regex(/^(true|false)$/i, `${name} must be true or false`)
    .transform((v) => v.toLowerCase() === 'true')
    .optional();
const timestamp = (name: string) =>
  z
    .string()
    .refine((v) => !Number.isNaN(Date.parse(v)), `${name} must be an ISO 8601 date-time`)
    .transform((v) => new Date(v))
    .optional();
const statusList = z
  .string()
  .transform((v, ctx) => {
    const values = v.split(',').map((s) => s.trim()).filter(Boolean);
    const result: RuntimeStatus[] = [];
    for (const value of values) {
      const known = RUNTIME_STATUSES.find((s) => s.toLowerCase() === value.toLowerCase());
      if (known) result.push(known);
      else ctx.addIssue({ code: 'custom', message: `runtimeStatus: unknown value '${value}' (allowed: ${RUNTIME_STATUSES.join(', ')})` });
    }
    return result;
  })
  .optional();

const ManagementQuery = z.object({
  showHistory: flag('showHistory'),
  showHistoryOutput: flag('showHistoryOutput'),
  showInput: flag('showInput'),
  returnInternalServerErrorOnFailure: flag('returnInternalServerErrorOnFailure'),
  createdTimeFrom: timestamp('createdTimeFrom'),
  createdTimeTo: timestamp('createdTimeTo'),
  runtimeStatus: statusList,
  instanceIdPrefix: z.string().optional(),
  top: z
    .string()
    .regex(/^\d+$/, 'top must be a positive integer')
    .transform(Number)
    .refine((n) => n > 0, 'top must be a positive integer')
    .optional(),
  timeout: z.string().regex(/^\d+$/, 'timeout must be a number of seconds').transform(Number).optional(),
  pollingInterval: z.string().regex(/^\d+$/, 'pollingInterval must be a number of seconds').transform(Number).optional(),
  reason: z.string().optional(),
});
type ManagementQuery = z.infer<typeof ManagementQuery>;

function parseQuery(url: URL): ManagementQuery {
  const raw: Record<string, string> = {};
  const known = Object.keys(ManagementQuery.shape);
  for (const [key, value] of url.searchParams) {
    const name = known.find((k) => k.toLowerCase() === key.toLowerCase());
    if (name) raw[name] = value;
  }
  const parsed = ManagementQuery.safeParse(raw);
  if (!parsed.success) throw badRequest(parsed.error.issues.map((i) => i.message).join('; '));
  return parsed.data;
}

/** Instance id rules of the real client (ContextImplementations/DurableClient.cs). */
function checkInstanceId(id: string): void {
  if (id.length > 256) throw badRequest('instanceId must be at most 256 characters');
  if (id.startsWith('@')) throw badRequest("instanceId must not start with '@'");
  if (/[/\\#?]|[\u0000-\u001f\u007f]/.test(id)) throw badRequest('instanceId must not contain / \\ # ? or control characters');
}

function parseJsonBody(call: HostCall, what: string): unknown {
  const text = call.body.toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest(`${what} must be JSON`);
  }
}

/** DTFx formats times as yyyy-MM-ddTHH:mm:ssZ. */
function hostTime(value: string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function statusPayload(status: InstanceStatus, showInput = true): Record<string, unknown> {
  return {
    name: status.name,
    instanceId: status.instanceId,
    runtimeStatus: status.runtimeStatus,
    input: showInput ? (status.input ?? null) : null,
    customStatus: status.customStatus ?? null,
    output: status.output ?? null,
    createdTime: hostTime(status.createdTime),
    lastUpdatedTime: hostTime(status.lastUpdatedTime),
    ...(status.historyEvents ? { historyEvents: status.historyEvents } : {}),
  };
}

/** Maps the engine's typed errors (matched by name, so a second module copy still maps). */
function engineErrorReply(error: unknown): HostReply | undefined {
  const e = error as { name?: string; message?: string } | undefined;
  switch (e?.name) {
    case 'InstanceNotFoundError':
      return problem(404, e.message ?? 'instance not found');
    case 'InstanceNotRunningError':
      return problem(410, e.message ?? 'instance is not running');
    case 'InstanceAlreadyRunningError':
      return problem(409, e.message ?? 'instance already running');
    case 'UnknownOrchestratorError':
    case 'InvalidInstanceIdError':
    case 'InvalidContinuationTokenError':
      return problem(400, e.message ?? 'invalid request');
    default:
      return undefined;
  }
}

export function checkStatusPayload(urls: ManagementUrls, instanceId: string): Record<string, string> {
  const instance = `${urls.origin}/runtime/webhooks/durabletask/instances/${encodeURIComponent(instanceId)}`;
  const common = `taskHub=${encodeURIComponent(urls.hubName)}&connection=Storage&code=${urls.systemKey}`;
  return {
    id: instanceId,
    statusQueryGetUri: `${instance}?${common}`,
    sendEventPostUri: `${instance}/raiseEvent/{eventName}?${common}`,
    terminatePostUri: `${instance}/terminate?reason={text}&${common}`,
    rewindPostUri: `${instance}/rewind?reason={text}&${common}`,
    purgeHistoryDeleteUri: `${instance}?${common}`,
    restartPostUri: `${instance}/restart?${common}`,
    suspendPostUri: `${instance}/suspend?reason={text}&${common}`,
    resumePostUri: `${instance}/resume?reason={text}&${common}`,
  };
}

export class ManagementApi {
  constructor(
    private readonly engine: DurableEngine,
    private readonly urls: ManagementUrls,
  ) {}

  /** `path` is the part after the prefix, e.g. `instances/abc/raiseEvent/Approval`. */
  async handle(call: HostCall, path: string): Promise<HostReply> {
    try {
      return await this.route(call, path);
    } catch (error) {
      if (error instanceof ReplyError) return error.reply;
      const mapped = engineErrorReply(error);
      if (mapped) return mapped;
      throw error;
    }
  }

  private async route(call: HostCall, path: string): Promise<HostReply> {
    let segments: string[];
    try {
      segments = path.split('/').map(decodeURIComponent);
    } catch {
      throw badRequest('the path is not valid percent-encoding');
    }
    if (segments.length > 1 && segments[segments.length - 1] === '') segments.pop();
    const [resource, id, operation, eventName, ...extra] = segments;
    const method = call.method;
    const query = parseQuery(call.url);
    const notAllowed = (allowed: string) => problem(405, `${method} is not allowed here (allowed: ${allowed})`, { Allow: allowed });

    if (resource === 'orchestrators' && id && !eventName) {
      if (method !== 'POST') return notAllowed('POST');
      return this.start(call, id, operation, query);
    }
    if (resource === 'instances' && extra.length === 0) {
      if (!id) {
        if (method === 'GET') return this.list(call, query);
        if (method === 'DELETE') return this.purgeMany(query);
        return notAllowed('GET, DELETE');
      }
      // The id arrives percent-decoded: one that could not have been started is refused, not looked up.
      checkInstanceId(id);
      if (!operation) {
        if (method === 'GET') return this.status(call, id, query);
        if (method === 'DELETE') return this.purge(id);
        return notAllowed('GET, DELETE');
      }
      if (operation === 'raiseEvent' && eventName) {
        if (method !== 'POST') return notAllowed('POST');
        return this.raiseEvent(call, id, eventName);
      }
      if (!eventName && ['terminate', 'suspend', 'resume', 'rewind', 'restart'].includes(operation)) {
        if (method !== 'POST') return notAllowed('POST');
        if (operation === 'terminate') return this.terminate(id, query.reason ?? '');
        return problem(501, `${operation} is not supported by devhost`);
      }
    }
    if (resource === 'entities') return problem(501, 'Durable entities are not supported by devhost');
    return problem(404, `no Durable management route ${method} ${path}`);
  }

  private async start(call: HostCall, name: string, instanceId: string | undefined, query: ManagementQuery) {
    if (instanceId !== undefined) checkInstanceId(instanceId);
    const input = parseJsonBody(call, 'the orchestration input');
    const id = await this.engine.startNew(name, { instanceId: instanceId || undefined, input });
    const payload = checkStatusPayload(this.urls, id);
    const accepted = jsonReply(202, payload, { Location: payload.statusQueryGetUri, 'Retry-After': '10' });
    if (query.timeout === undefined) return accepted;
    try {
      const done = await this.engine.waitForCompletion(id, query.timeout * 1000);
      return done.runtimeStatus === 'Completed' ? jsonReply(200, done.output ?? null) : jsonReply(200, statusPayload(done));
    } catch {
      return accepted;
    }
  }

  private async status(call: HostCall, id: string, query: ManagementQuery) {
    const status = await this.engine.getStatus(id, {
      showHistory: query.showHistory ?? false,
      showHistoryOutput: query.showHistoryOutput ?? false,
      showInput: query.showInput ?? true,
    });
    if (!status) return problem(404, `No instance with id '${id}'`);
    const body = statusPayload(status, query.showInput ?? true);
    if (!TERMINAL.has(status.runtimeStatus)) return jsonReply(202, body, { Location: call.url.toString(), 'Retry-After': '5' });
    if (status.runtimeStatus === 'Failed' && query.returnInternalServerErrorOnFailure) return jsonReply(500, body);
    return jsonReply(200, body);
  }

  private async list(call: HostCall, query: ManagementQuery) {
    const token = call.headers['x-ms-continuation-token'];
    const continuationToken = (Array.isArray(token) ? token[0] : token) || undefined;
    const result = await this.engine.list({
      runtimeStatus: query.runtimeStatus?.length ? query.runtimeStatus : undefined,
      createdTimeFrom: query.createdTimeFrom,
      createdTimeTo: query.createdTimeTo,
      instanceIdPrefix: query.instanceIdPrefix,
      top: query.top,
      continuationToken,
      showInput: query.showInput ?? true,
    });
    const headers: Record<string, string> = result.continuationToken ? { 'x-ms-continuation-token': result.continuationToken } : {};
    return jsonReply(200, result.instances.map((s) => statusPayload(s, query.showInput ?? true)), headers);
  }

  private async raiseEvent(call: HostCall, id: string, eventName: string) {
    const contentType = String(call.headers['content-type'] ?? '').toLowerCase();
    if (call.body.length > 0 && !contentType.startsWith('application/json')) {
      throw badRequest('the event data must be sent with Content-Type: application/json');
    }
    const data = parseJsonBody(call, 'the event data');
    const status = await this.engine.getStatus(id, { showInput: false });
    if (!status) return problem(404, `No instance with id '${id}'`);
    if (TERMINAL.has(status.runtimeStatus)) return problem(410, `Instance '${id}' is ${status.runtimeStatus}`);
    await this.engine.raiseEvent(id, eventName, data ?? null);
    return { status: 202 };
  }

  private async terminate(id: string, reason: string) {
    const status = await this.engine.getStatus(id, { showInput: false });
    if (!status) return problem(404, `No instance with id '${id}'`);
    if (TERMINAL.has(status.runtimeStatus)) return problem(410, `Instance '${id}' is ${status.runtimeStatus}`);
    await this.engine.terminate(id, reason);
    return { status: 202 };
  }

  private async purge(id: string) {
    const status = await this.engine.getStatus(id, { showInput: false });
    if (!status) return problem(404, `No instance with id '${id}'`);
    if (!TERMINAL.has(status.runtimeStatus)) {
      return problem(409, `Instance '${id}' is ${status.runtimeStatus}; only completed, failed or terminated instances can be purged`);
    }
    const removed = await this.engine.purge(id);
    return removed ? jsonReply(200, { instancesDeleted: 1 }) : problem(404, `No instance with id '${id}'`);
  }

  private async purgeMany(query: ManagementQuery) {
    if (!query.createdTimeFrom) throw badRequest("Please provide value for 'createdTimeFrom' parameter.");
    const deleted = await this.engine.purgeMany({
      createdTimeFrom: query.createdTimeFrom,
      createdTimeTo: query.createdTimeTo,
      runtimeStatus: query.runtimeStatus?.length ? query.runtimeStatus : undefined,
    });
    return deleted > 0 ? jsonReply(200, { instancesDeleted: deleted }) : problem(404, 'No instances matched the filter');
  }
}
