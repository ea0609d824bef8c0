/**
 * The daily certificate check's timer (default `0 0 2 * * *`, CERTIFICATE_CHECK_SCHEDULE). It starts
 * the day's check (`certcheck-<day>`) only when the day has none yet, so a timer that fires again (past
 * due after a restart) never checks twice; POST /api/certificate-checks {"recheck": true} checks again by hand.
 */
import type { InvocationContext, Timer } from '@azure/functions';
import * as df from 'durable-functions';
import { settings } from '../../shared/config';
import { DEFAULT_CERTIFICATE_CHECK_SCHEDULE } from '../../shared/config/certificateCheckSettings';
import { certificateCheckInput } from '../../orchestrations/certificateCheck/request';
import { certificateCheck } from '../../orchestrations/certificateCheck/workflow';
import { settingsProblems } from '../http/settingsCheck';
import { startWorkflowRun } from '../http/runApi';

/** Bad settings are reported by the settings gate; the timer keeps the default schedule and does nothing meanwhile. */
function schedule(): string {
  try {
    return settings().certificateCheck.schedule;
  } catch {
    return DEFAULT_CERTIFICATE_CHECK_SCHEDULE;
  }
}

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

df.app.client.timer('certificateCheckTimer', {
  schedule: schedule(),
  handler: async (_timer: Timer, client: df.DurableClient, context: InvocationContext) => {
    await startDailyCheck(client, context);
  },
});
