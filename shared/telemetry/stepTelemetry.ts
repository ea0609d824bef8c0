/**
 * What an operator sees of each step activity: it runs inside the step context (so every log line,
 * SAP call span and Azure SDK span of it carries the run id and the step), ends with one log line,
 * and emits a `StepOutcome` custom event, plus a `CertificateAlert` when the step's output shows a
 * trust certificate that expires soon or that S/4 does not hold.
 *
 * Emitted on the activity side, not in the orchestrator: the orchestrator replays (it would emit the
 * same outcome again at every replay) and must not do I/O. An activity runs at least once, so a
 * retried step emits one event per attempt, each with its own outcome: what really happened.
 */
import type { StepResult } from '../workflow/stepActivity';
import { runInStepContext } from './stepContext';
import { operatorLog, telemetryEvent } from './telemetry';

/** A trust certificate this close to its end is reported (the rotation workflow needs lead time). */
export const CERTIFICATE_ALERT_DAYS = 30;
const DAY_MS = 86_400_000;

export async function observeStep<O>(workflow: string, step: string, envelope: unknown, execute: () => Promise<StepResult<O>>): Promise<StepResult<O>> {
  const runId = runIdOf(envelope);
  return runInStepContext({ workflow, runId, step }, async () => {
    const started = performance.now();
    const result = await execute();
    const durationMs = Math.round(performance.now() - started);
    const mode = (envelope as { mode?: unknown } | undefined)?.mode === 'plan' ? 'plan' : 'run';
    if (result.ok) {
      operatorLog(result.warnings?.length ? 'warn' : 'info', `step ${step} ${result.outcome} in ${durationMs} ms${result.detail ? `: ${result.detail}` : ''}${result.warnings?.length ? ` (warnings: ${result.warnings.join('; ')})` : ''}`);
      telemetryEvent('StepOutcome', { outcome: result.outcome, mode, durationMs, warnings: result.warnings?.length ?? 0 });
      for (const alert of certificateAlertsOf(result.output, Date.now())) {
        operatorLog('warn', `certificate alert: ${alert.detail}`);
        telemetryEvent('CertificateAlert', { ...alert });
      }
    } else {
      const f = result.failure;
      operatorLog(result.transient ? 'warn' : 'error', `step ${step} failed${result.transient ? ' (transient, the run retries it)' : ''} in ${durationMs} ms on ${f.system}: ${f.kind}: ${f.message} Fix: ${f.fix}`);
      telemetryEvent('StepOutcome', { outcome: 'failed', mode, durationMs, transient: result.transient, failureKind: f.kind, system: f.system });
    }
    return result;
  });
}

function runIdOf(envelope: unknown): string {
  const id = (envelope as { runId?: unknown } | undefined)?.runId;
  return typeof id === 'string' && id.length <= 200 ? id : 'unknown-run';
}

export interface CertificateAlert {
  kind: 'expiring' | 'expired' | 'not held by S/4';
  detail: string;
  fingerprintSha256?: string;
  notAfter?: string;
  daysLeft?: number;
}

/**
 * Alerts a step output shows: a certificate reference (fingerprint + notAfter) near or past its end,
 * or a communication system that does not hold the certificate (certificateProblem).
 */
export function certificateAlertsOf(output: unknown, now: number): CertificateAlert[] {
  if (!output || typeof output !== 'object') return [];
  const o = output as Record<string, unknown>;
  const alerts: CertificateAlert[] = [];
  if (typeof o.notAfter === 'string' && typeof o.fingerprintSha256 === 'string') {
    const end = Date.parse(o.notAfter);
    if (Number.isFinite(end)) {
      const daysLeft = Math.floor((end - now) / DAY_MS);
      if (end <= now) alerts.push({ kind: 'expired', detail: `the trust certificate ${o.fingerprintSha256} expired on ${o.notAfter}`, fingerprintSha256: o.fingerprintSha256, notAfter: o.notAfter, daysLeft });
      else if (daysLeft < CERTIFICATE_ALERT_DAYS) alerts.push({ kind: 'expiring', detail: `the trust certificate ${o.fingerprintSha256} expires on ${o.notAfter} (${daysLeft} days)`, fingerprintSha256: o.fingerprintSha256, notAfter: o.notAfter, daysLeft });
    }
  }
  if (typeof o.certificateProblem === 'string' && o.certificateProblem) {
    alerts.push({ kind: 'not held by S/4', detail: o.certificateProblem });
  }
  return alerts;
}
