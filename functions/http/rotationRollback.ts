/**
 * POST /api/rotations/{id}/rollback: inside the rollback window, tells the waiting rotation to bring the
 * old certificate back (an external event: the rotation itself does the rollback with the same steps as
 * its cut-over, so there is one place that knows how, and the run's view shows it). Outside the window
 * it answers 409 with why: still cutting over, the window ended (the old certificate is deleted), or the
 * rotation did not complete. Registered in functions/appFunctions.ts.
 */
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { DurableClient } from 'durable-functions';
import { ROLLBACK_EVENT, ROLLBACK_WINDOW_STEP } from '../../orchestrations/rotation/steps/rollbackWindow';
import { rotation } from '../../orchestrations/rotation/workflow';
import type { WorkflowStatus } from '../../shared/workflow/workflowStatus';
import { findStatus } from './findStatus';
import { apiBase, json, notFound } from './httpResponses';
import { routeParams, runIdParam } from './routeParams';

export async function rollbackRotation(request: HttpRequest, client: DurableClient): Promise<HttpResponseInit> {
  const checked = routeParams(request, runIdParam);
  if (!checked.ok) return checked.response;
  const { id } = checked.params;
  const status = await findStatus(client, id);
  if (!status || status.name !== rotation.name) return notFound(`rotation ${id}`);
  const custom = status.customStatus as WorkflowStatus | undefined;
  const statusUrl = `${apiBase(request)}/${rotation.kind}/${encodeURIComponent(id)}`;
  const output = status.output as { outcome?: string; rollbackWindowEnd?: string } | undefined;
  if (status.runtimeStatus === 'Running' && custom?.step === ROLLBACK_WINDOW_STEP) {
    await client.raiseEvent(id, ROLLBACK_EVENT, { requestedAt: new Date().toISOString() });
    return json(202, { id, status: 'rolling back', statusUrl }, { Location: statusUrl });
  }
  if (status.runtimeStatus === 'Running' || status.runtimeStatus === 'Pending') {
    return json(409, { error: `rotation ${id} is still at "${custom?.message ?? custom?.step ?? 'its start'}": a rollback is possible once it has cut over and verified (during its rollback window); to stop it now, DELETE ${statusUrl}`, statusUrl });
  }
  if (status.runtimeStatus === 'Completed' && output?.outcome === 'rotated') {
    return json(409, { error: `the rollback window of rotation ${id} ended at ${output.rollbackWindowEnd}, and the old certificate was deleted: start a new rotation instead`, statusUrl });
  }
  if (status.runtimeStatus === 'Completed' && output?.outcome === 'rolled back') {
    return json(409, { error: `rotation ${id} was rolled back already`, statusUrl });
  }
  return json(409, { error: `rotation ${id} did not complete (${status.runtimeStatus.toLowerCase()}), so there is nothing to roll back: every tenant stayed on, or was put back on, the old certificate`, statusUrl });
}
