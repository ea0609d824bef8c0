/** The custom status every workflow publishes; the HTTP API and the CLI read it. */
import type { StepFailure } from './stepResult';

export interface StepProgress {
  id: string;
  title: string;
  outcome?: 'created' | 'updated' | 'unchanged' | 'failed' | 'waiting';
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  detail?: string;
}

export interface ManualAction {
  step: string;
  title: string;
  fioriApp: string;
  instructions: string[];
  /** Relative to the API base: where the certificate to upload can be downloaded as PEM. */
  certificatePath: string;
  /** The public certificate to upload; served by GET /api/onboardings/{id}/certificate. */
  certificatePem: string;
  samlIssuer: string;
  deadline: string;
  /** Set when a person confirmed but the read-back did not show the change. */
  lastVerification?: string;
}

export interface CurrentStep {
  step: string;
  /** 1-based position in the workflow's step list. */
  index: number;
  total: number;
  message: string;
}

/** `{step, index, total, message, manualAction?}` plus every step's progress and, on failure, the error. */
export interface WorkflowStatus extends Partial<CurrentStep> {
  steps: StepProgress[];
  manualAction?: ManualAction;
  error?: StepFailure;
}
