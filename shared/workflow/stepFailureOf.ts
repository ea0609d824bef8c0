/**
 * Turns whatever a step threw into a failure value that names the step, the system and the fix, or
 * into a transient failure the orchestrator retries. Nothing here may copy a secret into the text.
 */
import { ZodError } from 'zod';
import { adviceFor } from '../sap/errorAdvice';
import { isSapError, type SapError } from '../sap/errors';
import { PermanentStepError, TransientStepError, type StepFailure } from './stepOutcome';

export type ClassifiedFailure = { transient: false; failure: StepFailure } | { transient: true; failure: StepFailure; retryAfterMs?: number };

export function stepFailureOf(step: string, system: string, e: unknown): ClassifiedFailure {
  if (e instanceof PermanentStepError) return { transient: false, failure: { step, ...e.failure } };
  if (e instanceof TransientStepError) {
    return { transient: true, failure: { step, system: e.system, kind: 'Transient', message: e.message, fix: transientFix(e.system) }, ...retryAfter(e.retryAfterMs) };
  }
  if (isSapError(e)) {
    const failure: StepFailure = { step, system: e.system || system, kind: e.kind, message: e.message, fix: sapFix(e) };
    return e.kind === 'Transient' ? { transient: true, failure: { ...failure, fix: transientFix(failure.system) }, ...retryAfter(e.retryAfterMs) } : { transient: false, failure };
  }
  if (e instanceof ZodError) {
    // The activity's input did not match its schema: a version change while runs were in flight. Retrying cannot help.
    const fields = e.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ');
    return {
      transient: false,
      failure: { step, system, kind: 'InvalidStepInput', message: `the step's input does not match what this version expects (${fields})`, fix: 'Start the run again: a run started by an older version of the product cannot continue on this one.' },
    };
  }
  if (isTemporaryPlatformError(e)) {
    return { transient: true, failure: { step, system, kind: 'Transient', message: (e as Error).message.split('\n')[0], fix: transientFix(system) } };
  }
  const message = e instanceof Error ? e.message.split('\n')[0] : String(e);
  return { transient: false, failure: { step, system, kind: 'Internal', message, fix: 'This is a defect in the product; report it with the run id.' } };
}

const retryAfter = (ms: number | undefined) => (ms === undefined ? {} : { retryAfterMs: ms });

export const transientFix = (system: string) =>
  `${system} kept answering with temporary errors or timeouts. Check its availability, then start the run again: finished steps are reported as unchanged.`;

/** Azure SDK errors (Key Vault) that say "try later": throttling, 5xx, a dropped connection. */
function isTemporaryPlatformError(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  // The registry's own word that its table did not answer (TenantRegistryUnavailableError).
  if ((e as { retryable?: unknown }).retryable === true) return true;
  const { statusCode, code } = e as { statusCode?: number; code?: string };
  if (typeof statusCode === 'number') return statusCode === 408 || statusCode === 429 || statusCode >= 500;
  return typeof code === 'string' && ['ECONNRESET', 'ETIMEDOUT', 'ECONNREFUSED', 'EAI_AGAIN', 'ENOTFOUND'].includes(code);
}

const sapFix = (e: SapError): string => adviceFor(e);
