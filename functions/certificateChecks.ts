/**
 * Everything of the certificate check besides its run API: the batch sub-orchestration, the daily timer,
 * the report. Registered by name; their modules load at their first invocation (bench/coldStart).
 */
import { app, type InvocationContext, type Timer } from '@azure/functions';
import * as df from 'durable-functions';
import { certificateCheckSchedule } from '../shared/config/timerSchedules';
import { registerChildWorkflowLazily } from '../shared/workflow/workflowRegistration';
import { certificateCheckBatchRegistration } from '../orchestrations/certificateCheck/registration';

registerChildWorkflowLazily(certificateCheckBatchRegistration);

df.app.client.timer('certificateCheckTimer', {
  schedule: certificateCheckSchedule(),
  handler: async (_timer: Timer, client: df.DurableClient, context: InvocationContext) => {
    await (await import('./timers/certificateCheckTimer')).startDailyCheck(client, context);
  },
});

app.http('certificatesReport', { route: 'certificates', methods: ['GET'], authLevel: 'function', handler: async () => (await import('./http/certificates')).certificatesReport() });
