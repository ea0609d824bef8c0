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

export interface WorkflowStatus {
  current?: { step: string; index: number; total: number; message: string };
  steps: StepProgress[];
  manualAction?: ManualAction;
  error?: StepFailure;
}
