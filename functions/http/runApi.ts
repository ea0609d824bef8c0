/**
 * One run API for every workflow (DESIGN §1): start, plan, follow, list, stop, confirm a manual step,
 * fetch a manual step's attachment. Validation happens here, before anything touches SAP.
 */
import { randomBytes } from 'node:crypto';
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { DurableClient, DurableOrchestrationStatus } from 'durable-functions';
import type { WorkflowDefinition } from '../../shared/workflow/defineWorkflow';
import type { OrchestrationInput } from '../../shared/workflow/defineWorkflow';
import { validationErrors } from '../../shared/schemas/fieldErrors';
import { ACTIVE_STATUSES, ManualStepConfirmation, RunListQuery, type RunStatus } from '../../shared/workflow/runViewSchema';
import { runStatusOf, toRunView } from '../../shared/workflow/runView';
import { manualStepEventName } from '../../shared/workflow/workflowRun';
import type { WorkflowStatus } from '../../shared/workflow/workflowStatus';
import { findStatus } from './findStatus';
import { instancesByPrefix } from './instancesByPrefix';
import { apiBase, invalidRequest, json, notFound } from './httpResponses';
import { BODY_LIMITS, readJsonBody } from './jsonBody';
import { manualStepParams, routeParams, runIdParam } from './routeParams';
import { registerRunApiRoutes, type RunApiHandlers } from './runApiRoutes';

type Workflow = WorkflowDefinition<any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** How long `POST …/plans` waits for the plan before answering 202 with where to find it. */
const PLAN_WAIT_MS = 60_000;
const POLL_SECONDS = '2';
const ACTIVE_RUNTIME = new Set(['Pending', 'Running', 'ContinuedAsNew', 'Suspended']);

/** The run API of one workflow, registered at once (test apps); the app registers its routes first and these at their first request (runApiRoutes.ts). */
export function registerRunApi(workflow: Workflow, all: readonly Workflow[]): void {
  registerRunApiRoutes(workflow, () => runApiHandlers(workflow, all));
}

export function runApiHandlers(workflow: Workflow, all: readonly Workflow[]): RunApiHandlers {
  const runUrl = (request: HttpRequest, id: string) => `${apiBase(request)}/${workflow.kind}/${encodeURIComponent(id)}`;
  const view = (status: DurableOrchestrationStatus, request: HttpRequest) => toRunView(workflow, status, apiBase(request));
  const ours = (status: DurableOrchestrationStatus | undefined) => (status && status.name === workflow.name ? status : undefined);

  async function prepared(request: HttpRequest) {
    const read = await readJsonBody(request, BODY_LIMITS.workflowRequest);
    if (!read.ok) return { response: read.response };
    const result = await workflow.prepare(read.body);
    if (!result.ok) return { response: invalidRequest(result.fields, result.status) };
    return { input: result.input };
  }

  async function start(request: HttpRequest, client: DurableClient): Promise<HttpResponseInit> {
    const { input, response } = await prepared(request);
    if (response) return response;
    const started = await startRun(client, workflow, all, input);
    if (!started.ok) return started.ended ? alreadyRan(request, workflow, started.active) : alreadyRunning(request, started.active, all);
    const { id } = started;
    const status = await findStatus(client, id, { showInput: true });
    const location = { Location: runUrl(request, id), 'Retry-After': POLL_SECONDS };
    return json(202, status ? view(status, request) : { id, kind: workflow.kind, status: 'pending' }, location);
  }

  async function plan(request: HttpRequest, client: DurableClient): Promise<HttpResponseInit> {
    const { input, response } = await prepared(request);
    if (response) return response;
    const id = `${workflow.idPrefix}-${workflow.key(input)}-plan-${randomBytes(4).toString('hex')}`;
    await client.startNew(workflow.name, { instanceId: id, input: { mode: 'plan', input } satisfies OrchestrationInput });
    const deadline = Date.now() + PLAN_WAIT_MS;
    for (;;) {
      const status = await findStatus(client, id, { showInput: true });
      if (status && !ACTIVE_RUNTIME.has(status.runtimeStatus)) return json(200, view(status, request));
      if (Date.now() > deadline) return json(202, status ? view(status, request) : { id }, { Location: runUrl(request, id), 'Retry-After': POLL_SECONDS });
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async function get(request: HttpRequest, client: DurableClient): Promise<HttpResponseInit> {
    const checked = routeParams(request, runIdParam);
    if (!checked.ok) return checked.response;
    const { id } = checked.params;
    const status = ours(await findStatus(client, id, { showInput: true }));
    if (!status) return notFound(`${workflow.noun} ${id}`);
    const body = view(status, request);
    // Generic pollers (Logic Apps, scripts written to the Durable HTTP conventions) wait while they get 202.
    return ACTIVE_STATUSES.includes(body.status) ? json(202, body, { 'Retry-After': POLL_SECONDS, Location: runUrl(request, id) }) : json(200, body);
  }

  async function list(request: HttpRequest, client: DurableClient): Promise<HttpResponseInit> {
    const query = RunListQuery.safeParse({ status: request.query.get('status') ?? undefined });
    if (!query.success) return invalidRequest(validationErrors(query.error));
    const wanted: RunStatus[] = query.data.status;
    const items = (await client.getStatusBy({}))
      .filter((s) => s.name === workflow.name && !/-plan-[0-9a-f]{8}$/.test(s.instanceId))
      .map((s) => view(s, request))
      .filter((v) => wanted.length === 0 || wanted.includes(v.status))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    return json(200, { items });
  }

  async function stop(request: HttpRequest, client: DurableClient): Promise<HttpResponseInit> {
    const checked = routeParams(request, runIdParam);
    if (!checked.ok) return checked.response;
    const { id } = checked.params;
    const status = ours(await findStatus(client, id));
    if (!status) return notFound(`${workflow.noun} ${id}`);
    if (!ACTIVE_RUNTIME.has(status.runtimeStatus)) return json(409, { error: `${workflow.noun} ${id} is not running (${runStatusOf(status.runtimeStatus, false)})` });
    await client.terminate(id, `stopped through DELETE /api/${workflow.kind}/{id}`);
    return json(202, { id, status: 'terminating' });
  }

  async function confirm(request: HttpRequest, client: DurableClient): Promise<HttpResponseInit> {
    const checked = routeParams(request, manualStepParams);
    if (!checked.ok) return checked.response;
    const { id, step } = checked.params;
    const read = await readJsonBody(request, BODY_LIMITS.confirmation);
    if (!read.ok) return read.response;
    const confirmation = ManualStepConfirmation.safeParse(read.body ?? {});
    if (!confirmation.success) return invalidRequest(validationErrors(confirmation.error));
    const status = ours(await findStatus(client, id));
    if (!status) return notFound(`${workflow.noun} ${id}`);
    const waitingFor = status.runtimeStatus === 'Running' ? (status.customStatus as WorkflowStatus | undefined)?.manualAction?.step : undefined;
    if (waitingFor !== step) {
      return json(409, { error: waitingFor ? `${workflow.noun} ${id} waits for manual step ${waitingFor}, not ${step}` : `${workflow.noun} ${id} is not waiting for a manual step` });
    }
    await client.raiseEvent(id, manualStepEventName(step), { note: confirmation.data.note ?? null });
    return json(202, { id, step, status: 'verifying', statusUrl: runUrl(request, id) });
  }

  async function attachment(request: HttpRequest, client: DurableClient): Promise<HttpResponseInit> {
    const checked = routeParams(request, runIdParam);
    if (!checked.ok) return checked.response;
    const { id } = checked.params;
    const name = request.params.name;
    const status = ours(await findStatus(client, id));
    if (!status) return notFound(`${workflow.noun} ${id}`);
    const found = (status.customStatus as WorkflowStatus | undefined)?.manualAction?.attachments.find((a) => a.name === (name ?? 'certificate'));
    if (!found) return notFound(`attachment ${name ?? 'certificate'} of ${workflow.noun} ${id}`);
    return { status: 200, body: found.content, headers: { 'Content-Type': found.contentType, 'Content-Disposition': `attachment; filename="${found.fileName}"` } };
  }

  return { start, plan, list, get, stop, confirm, attachment };
}

/** `ended`: a oneRunPerKey workflow's run of this key has ended, and the request did not ask to run it again. */
export type StartedRun = { ok: true; id: string } | { ok: false; active: DurableOrchestrationStatus; ended?: boolean };

/**
 * Starts a run unless one of its key is active in its exclusive group, or a run its declaration says it
 * must not overlap (`blockedBy`) is active. The run API and timers (the maintenance window) start runs here.
 */
export async function startRun(client: DurableClient, workflow: Workflow, all: readonly Workflow[], input: unknown): Promise<StartedRun> {
  const group = groupOf(workflow, all);
  const key = workflow.key(input);
  const [runs, blocking] = await Promise.all([runsOfKey(client, group, key), blockingRun(client, workflow, all, input)]);
  const active = runs.find((s) => ACTIVE_RUNTIME.has(s.runtimeStatus)) ?? blocking;
  if (active) return { ok: false, active };
  const id = workflow.oneRunPerKey ? `${workflow.idPrefix}-${key}` : `${workflow.idPrefix}-${key}-r${nextRunNumber(runs, workflow, key)}`;
  // Runs of the key from before its id was fixed (`-r<n>`) count as well.
  const ended = workflow.oneRunPerKey && (runs.find((s) => s.instanceId === id) ?? runs[0]);
  if (ended && !workflow.oneRunPerKey!.rerun(input)) return { ok: false, active: ended, ended: true };
  try {
    await client.startNew(workflow.name, { instanceId: id, input: { mode: 'run', input } satisfies OrchestrationInput });
  } catch (e) {
    // Two requests raced past the check and chose the same id: the engine refuses the second start.
    const again = (await runsOfKey(client, group, key)).find((s) => ACTIVE_RUNTIME.has(s.runtimeStatus));
    if (again) return { ok: false, active: again };
    throw e;
  }
  return { ok: true, id };
}

async function blockingRun(client: DurableClient, workflow: Workflow, all: readonly Workflow[], input: unknown): Promise<DurableOrchestrationStatus | undefined> {
  for (const blocker of workflow.blockedBy ?? []) {
    const other = all.find((w) => w.name === blocker.workflow);
    if (!other) continue;
    const runs = await runsOfKey(client, [other], blocker.key(input));
    const active = runs.find((s) => ACTIVE_RUNTIME.has(s.runtimeStatus) && (blocker.while?.(s.customStatus as WorkflowStatus | undefined) ?? true));
    if (active) return active;
  }
  return undefined;
}

/** The timers' name for the one start path. */
export const startWorkflowRun = startRun;

const groupOf = (workflow: Workflow, all: readonly Workflow[]) => all.filter((w) => (w.exclusiveGroup ?? w.name) === (workflow.exclusiveGroup ?? workflow.name));

/**
 * Every run of any workflow in the group with this key: `<prefix>-<key>` (before run numbers) or `<prefix>-<key>-r<n>`,
 * found by id prefix, so a start reads the runs of its key and not every instance of the task hub. Inputs are not
 * read: what is decided here needs the id, the name, the runtime status and the custom status.
 */
export async function runsOfKey(client: DurableClient, group: readonly Workflow[], key: string): Promise<DurableOrchestrationStatus[]> {
  const prefixes = [...new Set(group.map((w) => `${w.idPrefix}-${key}`))];
  const found = (await Promise.all(prefixes.map((prefix) => instancesByPrefix(client, prefix)))).flat();
  return found.filter((s) => group.some((w) => s.name === w.name && runNumberOf(s.instanceId, w, key) !== undefined));
}

function runNumberOf(id: string, workflow: Workflow, key: string): number | undefined {
  const base = `${workflow.idPrefix}-${key}`;
  if (id === base) return 1;
  const match = id.startsWith(`${base}-r`) ? /^\d+$/.exec(id.slice(base.length + 2)) : null;
  return match ? Number(match[0]) : undefined;
}

function nextRunNumber(runs: DurableOrchestrationStatus[], workflow: Workflow, key: string): number {
  return Math.max(0, ...runs.map((s) => runNumberOf(s.instanceId, workflow, key) ?? 0)) + 1;
}

function alreadyRunning(request: HttpRequest, active: DurableOrchestrationStatus, all: readonly Workflow[]): HttpResponseInit {
  const owner = all.find((w) => w.name === active.name)!;
  const statusUrl = `${apiBase(request)}/${owner.kind}/${encodeURIComponent(active.instanceId)}`;
  return json(409, { error: `${owner.noun} ${active.instanceId} for the same target is still running; wait for it or stop it (DELETE ${statusUrl})`, id: active.instanceId, statusUrl });
}

function alreadyRan(request: HttpRequest, workflow: Workflow, ended: DurableOrchestrationStatus): HttpResponseInit {
  const statusUrl = `${apiBase(request)}/${workflow.kind}/${encodeURIComponent(ended.instanceId)}`;
  const status = runStatusOf(ended.runtimeStatus, false);
  return json(409, { error: `${workflow.noun} ${ended.instanceId} has already run (${status}); its result is at GET ${statusUrl}. To run it again, ${workflow.oneRunPerKey?.how}`, id: ended.instanceId, statusUrl });
}
