/** Turns a Durable status into what the onboarding API and the CLI show (docs/module-contracts.md). */
import type { DurableOrchestrationStatus } from 'durable-functions';
import { ONBOARDING_STEPS } from '../../shared/steps/onboardingSteps';
import type { WorkflowStatus } from '../../shared/steps/workflowStatus';
import type { OnboardingStatus, OnboardingView } from '../../shared/schemas/onboardingApi';
import type { z } from 'zod';

export function toOnboardingView(status: DurableOrchestrationStatus, apiBase: string): OnboardingView {
  const custom = (status.customStatus ?? undefined) as WorkflowStatus | undefined;
  const input = status.input as { s4?: { tenant?: string }; btp?: { subaccountId?: string } } | undefined;
  const manual = status.runtimeStatus === 'Running' ? custom?.manualAction : undefined;
  const view: OnboardingView = {
    id: status.instanceId,
    status: viewStatus(status.runtimeStatus, Boolean(manual)),
    tenant: input?.s4?.tenant ?? idParts(status.instanceId)?.tenant ?? '',
    subaccountId: input?.btp?.subaccountId ?? idParts(status.instanceId)?.subaccountId ?? '',
    createdAt: iso(status.createdTime),
    updatedAt: iso(status.lastUpdatedTime),
    current: custom?.step ? { step: custom.step, index: custom.index ?? 0, total: custom.total ?? 0, message: custom.message ?? '' } : undefined,
    steps: (custom?.steps ?? ONBOARDING_STEPS.map((s) => ({ id: s.id, title: s.title }))) as OnboardingView['steps'],
  };
  if (manual) {
    view.manualAction = {
      step: manual.step,
      title: manual.title,
      fioriApp: manual.fioriApp,
      instructions: manual.instructions,
      certificateUrl: `${apiBase}/${manual.certificatePath}`,
      samlIssuer: manual.samlIssuer,
      deadline: manual.deadline,
      resumeUrl: `${apiBase}/onboardings/${encodeURIComponent(status.instanceId)}/manual-steps/${encodeURIComponent(manual.step)}`,
      ...(manual.lastVerification ? { lastVerification: manual.lastVerification } : {}),
    };
  }
  if (status.runtimeStatus === 'Completed') view.result = status.output as OnboardingView['result'];
  if (status.runtimeStatus === 'Failed') view.error = failureOf(custom, status.output);
  return view;
}

function viewStatus(runtimeStatus: string, waiting: boolean): z.infer<typeof OnboardingStatus> {
  switch (runtimeStatus) {
    case 'Pending':
      return 'pending';
    case 'Running':
    case 'ContinuedAsNew':
      return waiting ? 'waiting for manual step' : 'running';
    case 'Completed':
      return 'completed';
    case 'Terminated':
      return 'terminated';
    default:
      return 'failed';
  }
}

function failureOf(custom: WorkflowStatus | undefined, output: unknown): NonNullable<OnboardingView['error']> {
  if (custom?.error) {
    const { kind: _kind, ...failure } = custom.error;
    return failure;
  }
  return {
    step: custom?.step ?? 'unknown',
    system: 'orchestration',
    message: typeof output === 'string' ? output.split('\n')[0] : 'the run failed',
    fix: 'Start the onboarding again; completed steps are reported as unchanged.',
  };
}

/** The instance id is `onboard-<tenant>-<subaccount GUID>` (onboardingInstanceId). */
function idParts(id: string): { tenant: string; subaccountId: string } | undefined {
  const match = /^onboard-(.+)-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/.exec(id);
  return match ? { tenant: match[1], subaccountId: match[2] } : undefined;
}

const iso = (d: Date | string) => (d instanceof Date ? d.toISOString() : new Date(d).toISOString());
