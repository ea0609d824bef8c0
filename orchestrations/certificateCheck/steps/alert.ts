/** Tell someone: an App Insights custom event per subaccount, and the optional Teams / Slack webhook. */
import { z } from 'zod';
import { certificateAlert } from '../../../shared/alerts/certificateAlert';
import { emitCertificateAlertEvents } from '../../../shared/alerts/alertEvent';
import { sendWebhookAlert } from '../../../shared/alerts/webhookDelivery';
import { settings } from '../../../shared/config';
import { defineStep } from '../../../shared/workflow/defineStep';
import { TenantFinding } from '../findings';

const AlertOutcome = z.object({
  events: z.number(),
  webhook: z.enum(['not configured', 'sent', 'not sent']),
  webhookHost: z.string().optional(),
  problem: z.string().optional(),
  fix: z.string().optional(),
});
export type AlertOutcome = z.infer<typeof AlertOutcome>;

export const alert = defineStep({
  kind: 'check',
  outcome: 'checked',
  id: 'alert',
  title: 'Alert',
  system: () => 'alerts',
  input: z.object({ checkId: z.string(), findings: z.array(TenantFinding) }),
  output: AlertOutcome,
  assumeInPlan: ({ findings }) => ({ output: { events: 0, webhook: 'not configured' as const }, detail: `would alert about ${findings.length} tenants` }),
  async check(deps, { checkId, findings }) {
    const alerting = findings.flatMap((f) => (f.status === 'expiring' || f.status === 'mismatch' ? [{ ...f, status: f.status }] : []));
    const message = certificateAlert(checkId, alerting);
    if (!message) return { output: { events: 0, webhook: 'not configured' as const }, detail: 'nothing expiring and no mismatch: no alert' };
    const events = emitCertificateAlertEvents(message).length;
    const { webhookSecret, webhookHosts } = settings().alerts;
    if (!webhookSecret) return { output: { events, webhook: 'not configured' as const }, detail: `${events} custom events; no webhook (ALERT_WEBHOOK_SECRET is not set)` };
    const url = await deps.secrets.get(webhookSecret);
    const outcome = url
      ? await sendWebhookAlert(url.trim(), message, { allowedHosts: webhookHosts, connection: deps.connection, secretName: webhookSecret })
      : { sent: false as const, problem: `ALERT_WEBHOOK_SECRET names ${webhookSecret}, which is not stored`, fix: `Store the incoming-webhook URL with PUT /api/credentials/${webhookSecret}.` };
    if (outcome.sent) return { output: { events, webhook: 'sent' as const, webhookHost: outcome.host }, detail: `${events} custom events; webhook sent to ${outcome.host}` };
    return {
      output: { events, webhook: 'not sent' as const, ...(outcome.host ? { webhookHost: outcome.host } : {}), problem: outcome.problem, fix: outcome.fix },
      detail: `${events} custom events; webhook not sent`,
      warnings: [`${outcome.problem}. ${outcome.fix}`],
    };
  },
});
