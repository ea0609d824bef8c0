/**
 * The daily certificate check (issue 9, item 2): list the registry → check every subaccount and its
 * tenants in sub-orchestrations (batches, bounded concurrency) → add up → alert. Started by the timer
 * (timer.ts) and by POST /api/certificate-checks; the day is the key and the id, so a day's check is
 * started once, and again only on an explicit recheck, never while it runs.
 */
import { defineWorkflow } from '../../shared/workflow/defineWorkflow';
import { evenBatches } from '../../shared/workflow/fanOut';
import { certificateCheckBatch } from './batch';
import { checkLanes } from './lanes';
import { CertificateCheckInput, CertificateCheckRequest, prepareCertificateCheck } from './request';
import { CertificateCheckResult, CertificateCheckSubject } from './result';
import { alert } from './steps/alert';
import { listRegistry } from './steps/listRegistry';
import { summarize } from './steps/summarize';

export const certificateCheck = defineWorkflow<CertificateCheckInput, CertificateCheckResult>({
  kind: 'certificate-checks',
  name: 'certificateCheck',
  noun: 'certificate check',
  idPrefix: 'certcheck',
  request: CertificateCheckRequest,
  prepare: prepareCertificateCheck,
  input: CertificateCheckInput,
  key: (input) => input.date,
  // The id is fixed per day (`certcheck-2026-12-02`): the timer firing again, or a POST, finds the day's check.
  oneRunPerKey: { rerun: (input) => input.recheck === true, how: 'POST /api/certificate-checks with {"recheck": true}.' },
  subject: CertificateCheckSubject,
  subjectOf: (input) => ({ date: input.date }),
  steps: [listRegistry, summarize, alert],
  result: CertificateCheckResult,

  *orchestrate(run, input) {
    const at = run.now().toISOString();
    const listing = yield* run.step(listRegistry.with({}));
    const empty = { checkedAt: at, expiryWindowDays: input.expiryWindowDays, subaccounts: 0, tenants: 0, counts: { ok: 0, expiring: 0, mismatch: 0, unreachable: 0 }, findings: [], skipped: listing.skipped, alert: { events: 0, webhook: 'not configured' } };
    // A plan writes nothing, and every tenant's check records its result: the plan stops at the list.
    if (run.mode === 'plan') return { ...empty, subaccounts: listing.subaccounts.length, tenants: listing.tenants };

    const lanes = checkLanes(input.concurrency);
    const batches = evenBatches(listing.subaccounts, { maxBatchSize: input.batchSize, concurrency: lanes.activities });
    run.progress.begin(
      summarize.id,
      `Checking ${listing.tenants} tenants in ${listing.subaccounts.length} subaccounts (${batches.length} batches; ${lanes.activities} at once, ${lanes.subaccountsPerActivity} subaccounts side by side in each)…`,
    );
    const checks = (yield* run.children(
      certificateCheckBatch,
      batches.map((subaccountIds) => ({ subaccountIds, at, expiryWindowDays: input.expiryWindowDays, parallel: lanes.subaccountsPerActivity })),
      { concurrency: lanes.activities },
    )).flat();
    const summary = yield* run.step(summarize.with({ checks }));
    const alerted = yield* run.step(alert.with({ checkId: run.id, findings: summary.findings.filter((f) => f.status === 'expiring' || f.status === 'mismatch') }));
    return {
      ...empty,
      subaccounts: summary.subaccounts,
      tenants: summary.tenants,
      counts: summary.counts,
      findings: summary.findings,
      alert: { events: alerted.events, webhook: alerted.webhook, ...(alerted.webhookHost ? { webhookHost: alerted.webhookHost } : {}), ...(alerted.problem ? { problem: alerted.problem } : {}) },
    };
  },
});
