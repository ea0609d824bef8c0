/** Turns a Durable status into the run view every workflow's API and the CLI show. */
import type { DurableOrchestrationStatus } from 'durable-functions';
import type { WorkflowDefinition } from './defineWorkflow';
import type { RunStatus, RunView } from './runViewSchema';
import type { WorkflowStatus } from './workflowStatus';

export function runStatusOf(runtimeStatus: string, waiting: boolean): RunStatus {
  switch (runtimeStatus) {
    case 'Pending':
      return 'pending';
    case 'Running':
    case 'ContinuedAsNew':
      return waiting ? 'waiting for manual step' : 'running';
    case 'Suspended':
      return 'suspended';
    case 'Completed':
      return 'completed';
    case 'Terminated':
      return 'terminated';
    case 'Canceled':
      return 'canceled';
    default:
      return 'failed';
  }
}

export function toRunView(workflow: WorkflowDefinition, status: DurableOrchestrationStatus, apiBase: string): RunView {
  const custom = (status.customStatus ?? undefined) as WorkflowStatus | undefined;
  const { mode, input } = (status.input ?? {}) as { mode?: 'run' | 'plan'; input?: unknown };
  const parsedInput = workflow.input.safeParse(input);
  const manual = status.runtimeStatus === 'Running' ? custom?.manualAction : undefined;
  const runUrl = `${apiBase}/${workflow.kind}/${encodeURIComponent(status.instanceId)}`;
  const view: RunView = {
    id: status.instanceId,
    kind: workflow.kind,
    mode: mode ?? custom?.mode ?? 'run',
    status: runStatusOf(status.runtimeStatus, Boolean(manual)),
    ...(parsedInput.success ? workflow.subjectOf(parsedInput.data) : (custom?.subject ?? {})),
    createdAt: iso(status.createdTime),
    updatedAt: iso(status.lastUpdatedTime),
    ...(custom?.step ? { current: { step: custom.step, index: custom.index ?? 0, total: custom.total ?? 0, message: custom.message ?? '' } } : {}),
    steps: custom?.steps ?? workflow.steps.map((s) => ({ id: s.id, title: s.title })),
  };
  if (manual) {
    const { attachments, ...rest } = manual;
    view.manualAction = {
      ...rest,
      attachments: attachments.map(({ content: _content, ...a }) => ({ ...a, url: `${runUrl}/attachments/${a.name}` })),
      resumeUrl: `${runUrl}/manual-steps/${manual.step}`,
    };
  }
  if (status.runtimeStatus === 'Completed' && view.mode === 'run') view.result = status.output;
  if (status.runtimeStatus === 'Failed') view.error = failureOf(custom, status.output, workflow.noun);
  return view;
}

function failureOf(custom: WorkflowStatus | undefined, output: unknown, noun: string): NonNullable<RunView['error']> {
  if (custom?.error) return custom.error;
  return {
    step: custom?.step ?? 'unknown',
    system: 'orchestration',
    message: typeof output === 'string' ? output.split('\n')[0] : 'the run failed',
    fix: `Start the ${noun} again; finished steps are reported as unchanged.`,
  };
}

const iso = (d: Date | string) => (d instanceof Date ? d.toISOString() : new Date(d).toISOString());
