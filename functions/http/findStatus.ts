/**
 * durable-functions 3.x throws when the host answers 404 for an instance id. An unknown id is an
 * ordinary answer for the onboarding API, so it becomes undefined here. So does an id outside the
 * instance-id pattern: the client would put it into the management URL unencoded.
 */
import type { DurableClient, DurableOrchestrationStatus, GetStatusOptions } from 'durable-functions';
import { isInstanceId } from '../../shared/schemas/instanceId';

export async function findStatus(client: DurableClient, instanceId: string, options?: GetStatusOptions): Promise<DurableOrchestrationStatus | undefined> {
  if (!isInstanceId(instanceId)) return undefined;
  try {
    return await client.getStatus(instanceId, options);
  } catch (e) {
    if (e instanceof Error && /HTTP 404 response/.test(e.message)) return undefined;
    throw e;
  }
}
