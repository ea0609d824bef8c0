/**
 * The daily certificate check's timer (default `0 0 2 * * *`, CERTIFICATE_CHECK_SCHEDULE). It starts
 * the day's check only when the day has none yet, so a timer that fires again (past due after a
 * restart) never checks twice; POST /api/certificate-checks may start another one by hand. The timer is
 * registered in functions/certificateChecks.ts.
 */
import type { InvocationContext } from '@azure/functions';
import type * as df from 'durable-functions';
import { certificateCheckInput } from '../../orchestrations/certificateCheck/request';
import { certificateCheck } from '../../orchestrations/certificateCheck/workflow';
import { settingsProblems } from '../http/settingsCheck';
import { runsOfKey, startWorkflowRun } from '../http/runApi';

export async function startDailyCheck(client: df.DurableClient, context: InvocationContext, now = new Date()): Promise<string | undefined> {
  const problems = settingsProblems();
  if (problems.length > 0) {
    context.error(`certificate check not started: the settings are invalid (${problems.map((p) => p.setting).join(', ')})`);
    return undefined;
  }
  const input = certificateCheckInput({}, 'timer', now);
  const today = await runsOfKey(client, [certificateCheck], certificateCheck.key(input));
  if (today.length > 0) {
    context.log(`certificate check of ${input.date} not started: ${today.map((s) => `${s.instanceId} (${s.runtimeStatus})`).join(', ')} already ran today`);
    return undefined;
  }
  const started = await startWorkflowRun(client, certificateCheck, [certificateCheck], input);
  if (!started.ok) {
    context.log(`certificate check of ${input.date} not started: ${started.active.instanceId} is running`);
    return undefined;
  }
  context.log(`certificate check ${started.id} started`);
  return started.id;
}
