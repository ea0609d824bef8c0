/**
 * What an ensure-step returns across the activity boundary. Permanent failures travel as values so
 * that only Transient errors are thrown, and so only they are retried by the activity's RetryOptions.
 * Nothing in here may hold a secret value: references carry secret names.
 */
import { isSapError, type SapError } from '../sap/errors';
type SapErrorLike = SapError;

export type StepOutcome = 'created' | 'updated' | 'unchanged';

export interface StepFailure {
  step: string;
  /** The system that answered: a tenant host, a subaccount, the secret store. */
  system: string;
  kind: string;
  message: string;
  /** What the administrator should do about it. */
  fix: string;
}

export type ActivityOutcome<T> =
  | { ok: true; outcome: StepOutcome; reference: T; detail?: string }
  | { ok: false; error: StepFailure };

export const created = <T>(reference: T, detail?: string): ActivityOutcome<T> => ({ ok: true, outcome: 'created', reference, detail });
export const updated = <T>(reference: T, detail?: string): ActivityOutcome<T> => ({ ok: true, outcome: 'updated', reference, detail });
export const unchanged = <T>(reference: T, detail?: string): ActivityOutcome<T> => ({ ok: true, outcome: 'unchanged', reference, detail });

export class PermanentStepError extends Error {
  constructor(readonly failure: Omit<StepFailure, 'step'>) {
    super(failure.message);
    this.name = 'PermanentStepError';
  }
}

/**
 * Runs a step body. Transient SAP errors are rethrown (the activity's retry policy takes them);
 * everything else becomes a failure value naming the step, the system and the fix.
 */
export async function asActivityOutcome<T>(
  step: string,
  system: string,
  body: () => Promise<ActivityOutcome<T>>,
  fixFor: (e: SapErrorLike) => string = defaultFix,
): Promise<ActivityOutcome<T>> {
  try {
    return await body();
  } catch (e) {
    if (e instanceof PermanentStepError) return { ok: false, error: { step, ...e.failure } };
    // Our own stores' transient errors (the registry's table not answering) are retried like SAP's.
    if ((e as { retryable?: unknown } | undefined)?.retryable === true) throw e;
    if (isSapError(e)) {
      if (e.kind === 'Transient') throw new Error(`${e.system} ${e.operation}: ${e.sapMessage ?? e.message}`);
      return {
        ok: false,
        error: { step, system: e.system ?? system, kind: e.kind, message: e.message, fix: fixFor(e) },
      };
    }
    const message = e instanceof Error ? e.message : String(e);
    return { ok: false, error: { step, system, kind: 'Internal', message, fix: 'This is a defect in the product; report it with the onboarding id.' } };
  }
}

function defaultFix(e: SapErrorLike): string {
  switch (e.kind) {
    case 'Unauthorized':
      return `Check the credentials stored for ${e.system} (PUT /api/credentials/{name}) and that the user is not locked.`;
    case 'Forbidden':
      return `Give the technical user on ${e.system} the authorization for ${e.operation}.`;
    case 'NotFound':
      return `Check that the object exists on ${e.system}, or that the host and ids in the request are right.`;
    case 'Conflict':
      return `Another object on ${e.system} holds this name; choose another name or remove the old object.`;
    default:
      return `Correct the input named in SAP's message and start the onboarding again.`;
  }
}
