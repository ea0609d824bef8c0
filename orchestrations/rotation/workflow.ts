/**
 * Rotate a subaccount's trust certificate on every tenant that trusts it (issue 9, DESIGN §1). S/4 holds
 * one signing certificate per communication system, so this is a cut-over with a short, measured
 * window, not an overlap (contracts A.3):
 *
 *   preflight (subaccount, every tenant; any failure stops here, nothing changed)
 *   → passive certificate (reuse or generate)
 *   → [manual tenants: a person uploads it, the run waits]
 *   → cut-over (one activity): push to every tenant at once, then rotate on BTP at once; a push refused
 *     for good leaves BTP as it is, and the old certificate is put back everywhere
 *   → verify every token exchange (push again and verify again where it fails)
 *   → record → rollback window (POST /api/rotations/{id}/rollback) → delete the old certificate.
 */
import type { Task } from 'durable-functions';
import type { StepCall } from '../../shared/workflow/defineStep';
import { defineWorkflow } from '../../shared/workflow/defineWorkflow';
import { StepFailedError } from '../../shared/workflow/stepProgress';
import { retryDelayMs, type WorkflowRun } from '../../shared/workflow/workflowRun';
import type { CertificateRef } from './references';
import { prepareRotation } from './request';
import { RotationResult, RotationSubject, type TenantRotationReport } from './result';
import { batches, rotationKey, RotationSpec, subaccountSystem, type RotationTenant } from './spec';
import { deleteOldCertificate } from './steps/deleteOldCertificate';
import { expectedWindow } from './steps/expectedWindow';
import { manualUpload, manualUploadAction } from './steps/manualUpload';
import { passiveCertificate } from './steps/passiveCertificate';
import { pushCertificateStep } from './steps/pushCertificate';
import { recordTenants } from './steps/recordTenants';
import { ROLLBACK_EVENT, rollbackWindow } from './steps/rollbackWindow';
import { cutOverStep, type CutOverOutput } from './steps/cutOver';
import { subaccountPreflight } from './steps/subaccountPreflight';
import { tenantPreflight } from './steps/tenantPreflight';
import { verifyTokenExchangeStep } from './steps/verifyTokenExchange';
import type { TenantProblem } from './tenantOutcome';
import { RotationRequest } from './request';

export const cutOver = cutOverStep('cutOver', 'Cut-over: push the new certificate to every tenant at once, then rotate on BTP');
export const restoreCertificate = pushCertificateStep('restoreCertificate', 'Put the old certificate back on every tenant (BTP not rotated)');
export const verifyTokenExchange = verifyTokenExchangeStep('verifyTokenExchange', 'Verify every token exchange');
export const pushAgain = pushCertificateStep('pushAgain', 'Push again to the tenants whose token exchange failed');
export const rollbackCutOver = cutOverStep('rollbackCutOver', 'Rollback: push the old certificate to every tenant at once, then rotate back on BTP');
export const verifyAfterRollback = verifyTokenExchangeStep('verifyAfterRollback', 'Verify every token exchange on the old certificate');

/** Rounds for tenants that did not decide (timeouts, 503s, lost answers), after the few quick tries inside each activity. */
const TENANT_ROUNDS = 6;

type PerTenant = { tenantHost: string; problem?: TenantProblem };

/** Runs a batch step over tenants, all batches at once, and again (after a durable pause) for the tenants that did not decide. */
export function* acrossTenants<T extends PerTenant>(run: WorkflowRun, tenants: RotationTenant[], batchSize: number, call: (batch: RotationTenant[]) => StepCall<{ tenants: T[] }>): Generator<Task, T[], unknown> {
  const settled = new Map<string, T>();
  let pending = tenants;
  for (let round = 1; pending.length > 0; round++) {
    const outputs = yield* run.all(...batches(pending, batchSize).map(call));
    for (const item of outputs.flatMap((o) => o.tenants)) settled.set(item.tenantHost, item);
    pending = pending.filter((t) => settled.get(t.tenantHost)?.problem?.transient === true);
    if (pending.length === 0 || round >= TENANT_ROUNDS || run.mode === 'plan') break;
    yield* run.sleep(retryDelayMs(round));
  }
  return tenants.map((t) => settled.get(t.tenantHost)!);
}

const problemText = (p?: TenantProblem) => (p ? p.message : 'no answer');

export const rotation = defineWorkflow<RotationSpec, RotationResult>({
  kind: 'rotations',
  name: 'rotation',
  noun: 'rotation',
  idPrefix: 'rotate',
  request: RotationRequest,
  prepare: prepareRotation,
  input: RotationSpec,
  key: rotationKey,
  subject: RotationSubject,
  subjectOf: (spec) => ({ subaccountId: spec.subaccount.subaccountId, tenants: String(spec.tenants.length) }),
  steps: [
    subaccountPreflight,
    tenantPreflight,
    expectedWindow,
    passiveCertificate,
    manualUpload,
    cutOver,
    restoreCertificate,
    verifyTokenExchange,
    pushAgain,
    recordTenants,
    rollbackWindow,
    rollbackCutOver,
    verifyAfterRollback,
    deleteOldCertificate,
  ],
  result: RotationResult,

  *orchestrate(run, spec) {
    const { subaccount, batchSize } = spec;
    const system = subaccountSystem(subaccount);
    const byHost = (hosts: Set<string>) => spec.tenants.filter((t) => hosts.has(t.tenantHost));

    // 1. Preflight: nothing is written before every tenant is proven ready.
    const certificates = yield* run.step(subaccountPreflight.with({ subaccount }));
    const old = certificates.active;
    const readiness = yield* acrossTenants(run, spec.tenants, batchSize, (b) => tenantPreflight.with({ tenants: b, active: old }));
    const notReady = readiness.filter((r) => !r.ready);
    if (notReady.length > 0 && run.mode === 'run') {
      return run.fail('tenantPreflight', {
        system,
        kind: 'PreflightFailed',
        message: `${notReady.length} of ${spec.tenants.length} tenant(s) are not ready, so nothing was changed: ${notReady.map((r) => `${r.tenantHost}: ${problemText(r.problem)}`).join('; ')}`,
        fix: [...new Set(notReady.map((r) => r.problem?.fix ?? 'Check the tenant.'))].join(' '),
      });
    }
    const manualHosts = new Set(readiness.filter((r) => r.ready && !r.certificateByApi).map((r) => r.tenantHost));
    const manualTenants = byHost(manualHosts);
    const apiTenants = spec.tenants.filter((t) => !manualHosts.has(t.tenantHost));
    const window = yield* run.step(expectedWindow.with({ latenciesMs: readiness.map((r) => r.latencyMs), concurrency: spec.pushConcurrency, manualTenants: manualTenants.length }));

    // 2. The certificate the tenants trust next.
    const next = yield* run.step(passiveCertificate.with({ subaccount, certificates, rollbackWindowDays: spec.rollbackWindowDays, at: run.now().toISOString() }));

    // Manual tenants: a person uploads it first; their window is the time the person takes.
    let manualNote = '';
    if (manualTenants.length > 0) {
      const pausedAt = run.now();
      const first = yield* run.step(manualUpload.with({ tenants: manualTenants, cert: next, confirmed: false }));
      if (first.pending.length > 0) {
        yield* run.manual(manualUpload.with({ tenants: manualTenants, cert: next, confirmed: true }), first, {
          action: (deadline) => manualUploadAction(manualTenants, next, run.id, deadline),
          pending: (o) => (o.pending.length ? `${o.pending.join(', ')} do not hold ${next.fingerprintSha256} yet` : undefined),
          deadlineDays: spec.manualStepDeadlineDays,
        });
      }
      manualNote = `; ${manualTenants.length} tenant(s) updated by hand were without trust for up to ${Math.round((run.now().getTime() - pausedAt.getTime()) / 1000)} s, the time from the pause to the confirmation`;
    }

    // 3. Cut-over: every push at once, then the rotation at once.
    const cut = yield* cutOverRounds(run, cutOver, spec, apiTenants, next);
    if (run.mode === 'plan') {
      return {
        outcome: 'planned',
        subaccountId: subaccount.subaccountId,
        activeCertificate: old.fingerprintSha256,
        oldCertificate: old.fingerprintSha256,
        tenants: spec.tenants.map((t) => ({ tenantHost: t.tenantHost, outcome: 'planned', verified: false })),
        window: window.words,
      };
    }
    if (!cut.rotated) {
      const refused = cut.tenants.filter((t) => !t.holds);
      const restored = yield* pushEverywhere(run, restoreCertificate, spec.tenants, batchSize, old);
      const stuck = spec.tenants.filter((t) => !restored.get(t.tenantHost)?.holds);
      yield* recordAll(run, spec, spec.tenants, old, 'rolled back', false);
      return run.fail('cutOver', {
        system,
        kind: 'CutOverRolledBack',
        message:
          `${refused.length ? `${refused.length} tenant(s) did not take the new certificate ${next.fingerprintSha256} (${refused.map((t) => `${t.tenantHost}: ${problemText(t.problem)}`).join('; ')})` : `the cut-over failed: ${cut.failure ?? 'unknown'}`}, ` +
          `so BTP was not rotated and every tenant was put back on the old certificate ${old.fingerprintSha256}` +
          (stuck.length ? `, except ${stuck.map((t) => t.tenantHost).join(', ')}, which still need it put back by hand` : ''),
        fix: `Fix what the tenants above report (for a tenant that refuses the certificate field, upload it by hand), then start the rotation again.${stuck.length ? ` Upload the old certificate on ${stuck.map((t) => t.tenant).join(', ')} in Fiori now: their token exchange fails until then.` : ''}`,
      });
    }

    // 4. Verify every destination; a tenant that fails is pushed again and verified again.
    const reports = yield* verifyAndRepair(run, spec, spec.tenants, next, verifyTokenExchange, pushAgain);
    yield* recordAll(run, spec, spec.tenants, next, 'completed', true, reports);

    // 5. The rollback window: the old certificate stays as BTP's passive one.
    const until = new Date(run.now().getTime() + spec.rollbackWindowDays * 86_400_000);
    yield* run.step(rollbackWindow.with({ until: until.toISOString() }));
    const rollback = yield* run.eventOrDeadline(ROLLBACK_EVENT, until);
    if (rollback) {
      // The tenants a person updated refuse the field by API: they are left out and reported.
      const back = yield* cutOverRounds(run, rollbackCutOver, spec, apiTenants, old);
      if (!back.rotated) {
        return run.fail('rollbackCutOver', {
          system,
          kind: 'RollbackRefused',
          message: `the rollback did not complete: ${back.failure ?? back.tenants.filter((t) => !t.holds).map((t) => `${t.tenantHost}: ${problemText(t.problem)}`).join('; ')}; BTP still signs with ${next.fingerprintSha256}`,
          fix: 'Repair the tenants that hold the old certificate now (POST /api/repairs/mismatched), or fix what they report and roll back again by hand.',
        });
      }
      const verified = yield* verifyAndRepair(run, spec, apiTenants, old, verifyAfterRollback, restoreCertificate);
      yield* recordAll(run, spec, apiTenants, old, 'rolled back', true, verified);
      const byHand = manualTenants.map((t) => ({ tenantHost: t.tenantHost, verified: false, outcome: 'failed' as const, problem: `its API does not take the certificate: upload the old certificate ${old.fingerprintSha256} in Fiori (Communication Systems → ${t.communicationSystemId})` }));
      return {
        outcome: 'rolled back',
        subaccountId: subaccount.subaccountId,
        activeCertificate: old.fingerprintSha256,
        oldCertificate: old.fingerprintSha256,
        tenants: [...verified.map((r) => ({ ...r, outcome: r.verified ? ('rolled back' as const) : ('failed' as const) })), ...byHand],
        window: `rolled back on request${byHand.length ? `; ${byHand.length} tenant(s) updated by hand need the old certificate uploaded again` : ''}`,
      };
    }
    yield* run.step(deleteOldCertificate.with({ subaccount, oldFingerprint: old.fingerprintSha256 }));
    return {
      outcome: 'rotated',
      subaccountId: subaccount.subaccountId,
      activeCertificate: next.fingerprintSha256,
      oldCertificate: old.fingerprintSha256,
      tenants: reports.map((r) => ({ ...r, outcome: !r.verified ? 'failed' : manualHosts.has(r.tenantHost) ? 'rotated by hand' : 'rotated' })),
      rollbackWindowEnd: until.toISOString(),
      window: `${window.words}${manualNote}`,
    };
  },
});

type PushStep = typeof pushAgain;
type CutOverStep = typeof cutOver;

/**
 * The cut-over activity, again (after a durable pause) while only tenants that did not decide keep BTP from
 * rotating; a refusal for good or a failed activity ends it with `rotated: false`, and the caller rolls back.
 */
function* cutOverRounds(run: WorkflowRun, step: CutOverStep, spec: RotationSpec, tenants: RotationTenant[], cert: CertificateRef) {
  for (let round = 1; ; round++) {
    let out: CutOverOutput;
    try {
      out = yield* run.step(step.with({ subaccount: spec.subaccount, tenants, cert, concurrency: spec.pushConcurrency }));
    } catch (e) {
      if (!(e instanceof StepFailedError)) throw e;
      return { tenants: [] as CutOverOutput['tenants'], rotated: false, failure: `${e.failure.message} (${e.failure.fix})` };
    }
    const undecided = out.tenants.filter((t) => !t.holds);
    if (out.rotated || run.mode === 'plan' || undecided.some((t) => !t.problem?.transient) || round >= TENANT_ROUNDS) return { ...out, failure: undefined };
    yield* run.sleep(retryDelayMs(round));
  }
}
type VerifyStep = typeof verifyTokenExchange;

/** Pushes `cert` to every tenant, batches side by side; a batch that failed as a whole counts as not held. */
function* pushEverywhere(run: WorkflowRun, step: PushStep, tenants: RotationTenant[], batchSize: number, cert: CertificateRef) {
  const held = new Map<string, { holds: boolean; problem?: TenantProblem }>();
  if (tenants.length === 0) return held;
  try {
    for (const t of yield* acrossTenants(run, tenants, batchSize, (b) => step.with({ tenants: b, cert }))) held.set(t.tenantHost, t);
  } catch (e) {
    if (!(e instanceof StepFailedError)) throw e;
    for (const t of tenants) held.set(t.tenantHost, { holds: false, problem: { tenantHost: t.tenantHost, transient: false, message: e.failure.message, fix: e.failure.fix } });
  }
  return held;
}

function* verifyAndRepair(run: WorkflowRun, spec: RotationSpec, tenants: RotationTenant[], cert: CertificateRef, verify: VerifyStep, push: PushStep) {
  const { subaccount, batchSize } = spec;
  const first = yield* acrossTenants(run, tenants, batchSize, (b) => verify.with({ subaccount, tenants: b }));
  const failing = new Set(first.filter((v) => !v.ok).map((v) => v.tenantHost));
  const outcome = new Map(first.map((v) => [v.tenantHost, v]));
  if (failing.size > 0) {
    const again = tenants.filter((t) => failing.has(t.tenantHost));
    yield* pushEverywhere(run, push, again, batchSize, cert);
    for (const v of yield* acrossTenants(run, again, batchSize, (b) => verify.with({ subaccount, tenants: b }))) outcome.set(v.tenantHost, v);
  }
  return tenants.map((t): Omit<TenantRotationReport, 'outcome'> => {
    const v = outcome.get(t.tenantHost)!;
    return { tenantHost: t.tenantHost, verified: v.ok, ...(v.ok ? {} : { problem: problemText(v.problem) }) };
  });
}

function* recordAll(run: WorkflowRun, spec: RotationSpec, tenants: RotationTenant[], cert: CertificateRef, outcome: 'completed' | 'rolled back', verified: boolean, reports?: Array<{ tenantHost: string; verified: boolean }>) {
  const at = run.now().toISOString();
  const ok = new Set((reports ?? []).filter((r) => r.verified).map((r) => r.tenantHost));
  const good = reports ? tenants.filter((t) => ok.has(t.tenantHost)) : tenants;
  const bad = reports ? tenants.filter((t) => !ok.has(t.tenantHost)) : [];
  const rotation = (o: 'completed' | 'rolled back' | 'failed') => ({ at, rotationId: run.id, outcome: o });
  const calls = [
    ...batches(good, 100).map((b) => recordTenants.with({ subaccountId: spec.subaccount.subaccountId, tenants: b, cert, rotation: rotation(outcome), verified })),
    ...batches(bad, 100).map((b) => recordTenants.with({ subaccountId: spec.subaccount.subaccountId, tenants: b, rotation: rotation('failed'), verified: false })),
  ];
  if (calls.length) yield* run.all(...calls);
}
