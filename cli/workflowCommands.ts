/**
 * `sap-trust offboard <file.json>` and `sap-trust plan <file.json> [--offboard]`: the commands that
 * work on any workflow through its run API. Following prints each step once, when it has finished.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { EXIT, type ExitCode } from './exitCodes';
import { UnreachableError } from './onboardingApi';
import { FINAL_STATUSES } from './onboardingView';
import { planHasConflict, planLines } from './planView';
import { WorkflowApi, type WorkflowRunView } from './workflowApi';

export type WorkflowCommand = { kind: 'offboard'; file: string; wait: boolean } | { kind: 'plan'; file: string; offboard: boolean; json: boolean };

interface Io {
  stdout: { write(text: string): unknown };
  color: boolean;
}

const isFinal = (view: WorkflowRunView) => FINAL_STATUSES.has(view.status as never);

export async function runWorkflowCommand(command: WorkflowCommand, request: unknown, api: WorkflowApi, intervalMs: number, io: Io): Promise<ExitCode> {
  const println = (line = '') => io.stdout.write(`${line}\n`);
  if (command.kind === 'plan') {
    const kind = command.offboard ? 'offboardings' : 'onboardings';
    let view = await api.plan(kind, request);
    while (!isFinal(view)) view = await poll(api, kind, view.id, intervalMs);
    if (command.json) println(JSON.stringify(view, null, 2));
    else planLines(view, command.offboard ? 'offboarding' : 'onboarding', io).forEach((l) => println(l));
    return view.status !== 'completed' || planHasConflict(view) ? EXIT.failure : EXIT.success;
  }

  let view = await api.start('offboardings', request);
  println(`Offboarding ${view.id}${view.tenant ? `  tenant ${view.tenant}, subaccount ${view.subaccountId}` : ''}`);
  if (!command.wait) {
    println(`  started; follow it with GET /api/offboardings/${view.id}`);
    return EXIT.success;
  }
  const printed = new Set<string>();
  for (;;) {
    view.steps.forEach((step, i) => {
      if (!step.outcome || step.outcome === 'waiting' || printed.has(step.id)) return;
      printed.add(step.id);
      const detail = step.plan?.object ?? step.detail;
      println(`  ${step.outcome === 'failed' ? '✖' : '✔'} ${i + 1}/${view.steps.length} ${step.title.padEnd(48)} ${step.outcome.padEnd(9)} ${duration(step.durationMs).padStart(8)}${detail ? `  ${detail}` : ''}`);
    });
    if (isFinal(view)) break;
    view = await poll(api, 'offboardings', view.id, intervalMs);
  }
  if (view.status === 'completed') {
    const result = view.result as { removed?: string[]; alreadyGone?: string[] } | undefined;
    println(`✔ Offboarding completed: ${result?.removed?.length ?? 0} removed, ${result?.alreadyGone?.length ?? 0} already gone`);
    return EXIT.success;
  }
  if (view.error) println(`✖ Offboarding failed at step ${view.error.step} on ${view.error.system}: ${view.error.message}\n  Fix: ${view.error.fix}`);
  else println(`✖ Offboarding ${view.status}`);
  return EXIT.failure;
}

const duration = (ms: number | undefined) => (ms === undefined ? '' : ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);

/** One more snapshot after the interval; a devhost restart (unreachable for a while) is waited out. */
async function poll(api: WorkflowApi, kind: string, id: string, intervalMs: number): Promise<WorkflowRunView> {
  for (let unreachable = 0; ; unreachable++) {
    await sleep(intervalMs);
    try {
      return await api.get(kind, id);
    } catch (e) {
      if (!(e instanceof UnreachableError) || unreachable >= 20) throw e;
    }
  }
}
