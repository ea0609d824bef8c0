/** The custom status every workflow publishes; the run API, the CLI and plans read it. */
import type { StepFailure, StepState } from './stepOutcome';
import type { StepPlan } from './stepPlan';
import type { RunMode } from './stepActivity';

export interface StepProgress {
  id: string;
  title: string;
  outcome?: StepState;
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  detail?: string;
  warnings?: string[];
  /** What the step found and would change (plans), or found and changed (runs). */
  plan?: StepPlan;
}

/** Something public a person needs for a manual step, e.g. the certificate to upload (never a secret). */
export interface Attachment {
  name: string;
  contentType: string;
  fileName: string;
  description: string;
  content: string;
}

/** One generic manual action: instructions, attachments, and a check that runs when a person confirms. */
export interface ManualAction {
  step: string;
  title: string;
  instructions: string[];
  attachments: Attachment[];
  /** Facts the person needs to type somewhere, e.g. `{"SAML issuer": "cfapps.eu10…", "Fiori app": "Communication Systems"}`. */
  facts: Record<string, string>;
  deadline: string;
  /** Set when a person confirmed but the check did not find the change yet. */
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
  mode?: RunMode;
  /** What the run is about, e.g. `{tenant, subaccountId}`: list queries may come without the input. */
  subject?: Record<string, string>;
  steps: StepProgress[];
  manualAction?: ManualAction;
  error?: StepFailure;
}
