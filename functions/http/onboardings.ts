/**
 * The onboarding API: start a run, follow it, list, stop, confirm a manual step, fetch the
 * certificate a manual step needs. Validation happens here, before anything touches SAP.
 */
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import * as df from 'durable-functions';
import type { DurableClient } from 'durable-functions';
import { ONBOARD_S4_TENANT } from '../../orchestrations/onboardS4Tenant';
import { onboardingInstanceId } from '../../shared/steps/onboardingPlan';
import { manualStepEventName } from '../../shared/steps/manualCertificateUpload';
import type { WorkflowStatus } from '../../shared/steps/workflowStatus';
import { planOnboardingRequest } from './onboardingRequest';
import { toOnboardingView } from './onboardingView';
import { findStatus } from './findStatus';
import { ManualStepConfirmation, OnboardingListQuery, type OnboardingStatus } from '../../shared/schemas/onboardingApi';
import { validationErrors } from '../../shared/schemas/fieldErrors';
import type { z } from 'zod';
import { apiBase, invalidRequest, json, notFound } from './httpResponses';
import { BODY_LIMITS, readJsonBody } from './jsonBody';
import { manualStepParams, routeParams, runIdParam } from './routeParams';

const RUNNING = new Set(['Pending', 'Running', 'ContinuedAsNew', 'Suspended']);

async function startOnboarding(request: HttpRequest, client: DurableClient): Promise<HttpResponseInit> {
  const read = await readJsonBody(request, BODY_LIMITS.workflowRequest);
  if (!read.ok) return read.response;
  const planned = await planOnboardingRequest(read.body);
  if (!planned.ok) return invalidRequest(planned.fields, planned.status);

  const id = onboardingInstanceId(planned.plan);
  const statusUrl = `${apiBase(request)}/onboardings/${encodeURIComponent(id)}`;
  const existing = await findStatus(client, id);
  if (existing && RUNNING.has(existing.runtimeStatus)) return alreadyRunning(id, statusUrl);
  try {
    await client.startNew(ONBOARD_S4_TENANT, { instanceId: id, input: planned.plan });
  } catch (e) {
    // Two requests raced past the status check: the engine refuses the second start.
    const again = await findStatus(client, id);
    if (again && RUNNING.has(again.runtimeStatus)) return alreadyRunning(id, statusUrl);
    throw e;
  }
  const status = await findStatus(client, id, { showInput: true });
  if (!status) return json(202, { id, status: 'pending', statusUrl }, { Location: statusUrl });
  return json(202, toOnboardingView(status, apiBase(request)), { Location: statusUrl });
}

function alreadyRunning(id: string, statusUrl: string): HttpResponseInit {
  return json(409, { error: `an onboarding for this tenant and subaccount is already running`, id, statusUrl });
}

async function getOnboarding(request: HttpRequest, client: DurableClient): Promise<HttpResponseInit> {
  const checked = routeParams(request, runIdParam);
  if (!checked.ok) return checked.response;
  const { id } = checked.params;
  const status = await findStatus(client, id, { showInput: true });
  if (!status || status.name !== ONBOARD_S4_TENANT) return notFound(`onboarding ${id}`);
  return json(200, toOnboardingView(status, apiBase(request)));
}

const STATUS_FILTER: Record<z.infer<typeof OnboardingStatus>, df.OrchestrationRuntimeStatus[]> = {
  pending: [df.OrchestrationRuntimeStatus.Pending],
  running: [df.OrchestrationRuntimeStatus.Running],
  'waiting for manual step': [df.OrchestrationRuntimeStatus.Running],
  completed: [df.OrchestrationRuntimeStatus.Completed],
  failed: [df.OrchestrationRuntimeStatus.Failed],
  terminated: [df.OrchestrationRuntimeStatus.Terminated],
};

async function listOnboardings(request: HttpRequest, client: DurableClient): Promise<HttpResponseInit> {
  const query = OnboardingListQuery.safeParse({ status: request.query.get('status') ?? undefined });
  if (!query.success) return invalidRequest(validationErrors(query.error));
  const wanted: string[] = query.data.status;
  const runtimeStatus = wanted.length ? [...new Set(query.data.status.flatMap((s) => STATUS_FILTER[s]))] : undefined;
  const statuses = await client.getStatusBy({ runtimeStatus });
  const base = apiBase(request);
  const items = statuses
    .filter((s) => s.name === ONBOARD_S4_TENANT)
    .map((s) => toOnboardingView(s, base))
    .filter((v) => wanted.length === 0 || wanted.includes(v.status))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return json(200, { items });
}

async function stopOnboarding(request: HttpRequest, client: DurableClient): Promise<HttpResponseInit> {
  const checked = routeParams(request, runIdParam);
  if (!checked.ok) return checked.response;
  const { id } = checked.params;
  const status = await findStatus(client, id);
  if (!status || status.name !== ONBOARD_S4_TENANT) return notFound(`onboarding ${id}`);
  if (!RUNNING.has(status.runtimeStatus)) return json(409, { error: `onboarding ${id} is not running (${status.runtimeStatus.toLowerCase()})` });
  await client.terminate(id, 'stopped through DELETE /api/onboardings/{id}');
  return json(202, { id, status: 'terminating' });
}

async function confirmManualStep(request: HttpRequest, client: DurableClient): Promise<HttpResponseInit> {
  const checked = routeParams(request, manualStepParams);
  if (!checked.ok) return checked.response;
  const { id, step } = checked.params;
  const read = await readJsonBody(request, BODY_LIMITS.confirmation);
  if (!read.ok) return read.response;
  const confirmation = ManualStepConfirmation.safeParse(read.body ?? {});
  if (!confirmation.success) return invalidRequest(validationErrors(confirmation.error));
  const status = await findStatus(client, id);
  if (!status || status.name !== ONBOARD_S4_TENANT) return notFound(`onboarding ${id}`);
  const waitingFor = status.runtimeStatus === 'Running' ? (status.customStatus as WorkflowStatus | undefined)?.manualAction?.step : undefined;
  if (waitingFor !== step) {
    return json(409, { error: waitingFor ? `onboarding ${id} waits for manual step ${waitingFor}, not ${step}` : `onboarding ${id} is not waiting for a manual step` });
  }
  await client.raiseEvent(id, manualStepEventName(step), { note: confirmation.data.note ?? null });
  return json(202, { id, step, status: 'verifying', statusUrl: `${apiBase(request)}/onboardings/${encodeURIComponent(id)}` });
}

async function manualStepCertificate(request: HttpRequest, client: DurableClient): Promise<HttpResponseInit> {
  const checked = routeParams(request, runIdParam);
  if (!checked.ok) return checked.response;
  const { id } = checked.params;
  const status = await findStatus(client, id);
  if (!status || status.name !== ONBOARD_S4_TENANT) return notFound(`onboarding ${id}`);
  const pem = (status.customStatus as WorkflowStatus | undefined)?.manualAction?.certificatePem;
  if (!pem) return notFound(`a certificate for a manual step of onboarding ${id}`);
  return { status: 200, body: pem, headers: { 'Content-Type': 'application/x-pem-file', 'Content-Disposition': `attachment; filename="${id}-trust.pem"` } };
}

df.app.client.http('onboardingsStart', { route: 'onboardings', methods: ['POST'], authLevel: 'function', handler: startOnboarding });
df.app.client.http('onboardingsList', { route: 'onboardings', methods: ['GET'], authLevel: 'function', handler: listOnboardings });
df.app.client.http('onboardingsGet', { route: 'onboardings/{id}', methods: ['GET'], authLevel: 'function', handler: getOnboarding });
df.app.client.http('onboardingsStop', { route: 'onboardings/{id}', methods: ['DELETE'], authLevel: 'function', handler: stopOnboarding });
df.app.client.http('onboardingsManualStep', { route: 'onboardings/{id}/manual-steps/{step}', methods: ['POST'], authLevel: 'function', handler: confirmManualStep });
df.app.client.http('onboardingsCertificate', { route: 'onboardings/{id}/certificate', methods: ['GET'], authLevel: 'function', handler: manualStepCertificate });
