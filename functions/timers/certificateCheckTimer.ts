/**
 * The daily certificate check's timer (default `0 0 2 * * *`, CERTIFICATE_CHECK_SCHEDULE). It starts
 * the day's check (`certcheck-<day>`) only when the day has none yet, so a timer that fires again (past
 * due after a restart) never checks twice; POST /api/certificate-checks {"recheck": true} checks again by hand.
 * The timer is registered in functions/certificateChecks.ts.
 */
import type { InvocationContext } from '@azure/functions';
import type * as df from 'durable-functions';
import { certificateCheckInput } from '../../orchestrations/certificateCheck/request';
import { certificateCheck } from '../../orchestrations/certificateCheck/workflow';
import { settingsProblems } from '../http/settingsCheck';
import { startWorkflowRun } from '../http/runApi';

export async function startDailyCheck(client: df.DurableClient, context: InvocationContext, now = new Date()): Promise<string | undefined> {
  const problems = settingsProblems();
  if (problems.length > 0) {
    context.error(`certificate check not started: the settings are invalid (${problems.map((p) => p.setting).join(', ')})`);
    return undefined;
  }
  const input = certificateCheckInput({}, 'timer', now);
  // The day's id is fixed and the timer never asks for a recheck: a start finds the day's check in any state.
  const started = await startWorkflowRun(client, certificateCheck, [certificateCheck], input);
  if (!started.ok) {
    context.log(`certificate check of ${input.date} not started: ${started.active.instanceId} ${started.ended ? `already ran today (${started.active.runtimeStatus})` : 'is running'}`);
    return undefined;
  }
  context.log(`certificate check ${started.id} started`);
  return started.id;
}
