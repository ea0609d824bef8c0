/**
 * durable-functions 3.x throws when the host answers 404 for an instance id. An unknown id is an
 * ordinary answer for the onboarding API, so it becomes undefined here.
 */
import type { DurableClient, DurableOrchestrationStatus, GetStatusOptions } from 'durable-functions';

export async function findStatus(client: DurableClient, instanceId: string, options?: GetStatusOptions): Promise<DurableOrchestrationStatus | undefined> {
  try {
    return await client.getStatus(instanceId, options);
  } catch (e) {
    if (e instanceof Error && /HTTP 404 response/.test(e.message)) return undefined;
    throw e;
  }
}
