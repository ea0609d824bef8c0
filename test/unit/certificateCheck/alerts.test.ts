/** The alert's words, its custom events, and where a webhook may go. */
import { certificateAlert, type AlertFinding } from '../../../shared/alerts/certificateAlert';
import { CERTIFICATE_ALERT_EVENT, emitCertificateAlertEvents, logEventSink, setEventSink, type CustomEvent } from '../../../shared/alerts/alertEvent';
import { sendWebhookAlert, webhookBody, webhookUrlProblem } from '../../../shared/alerts/webhookDelivery';

const findings: AlertFinding[] = [
  { tenantHost: 'my100001-api.s4hana.ondemand.com', subaccountId: 'sub-a', status: 'expiring', daysLeft: 12, detail: 'the trust certificate ends on 2027-01-01T00:00:00.000Z, in 12 days (window 30)', fix: 'Rotate the trust certificate of subaccount sub-a before 2027-01-01.' },
  { tenantHost: 'my100002-api.s4hana.ondemand.com', subaccountId: 'sub-a', status: 'expiring', daysLeft: 12, detail: 'the trust certificate ends on 2027-01-01T00:00:00.000Z, in 12 days (window 30)', fix: 'Rotate the trust certificate of subaccount sub-a before 2027-01-01.' },
  { tenantHost: 'my200001-api.s4hana.ondemand.com', subaccountId: 'sub-b', status: 'mismatch', daysLeft: 700, detail: 'communication system X holds another signing certificate', fix: 'Push the active certificate: POST /api/repairs.' },
];

describe('certificateAlert', () => {
  it('names each subaccount, its tenants, the days left and what to do, once per fix', () => {
    const alert = certificateAlert('certcheck-2026-12-02-r1', findings)!;
    expect(alert.title).toBe('SAP trust certificates: 1 tenants in mismatch (token exchanges fail now), 2 tenants expiring');
    expect(alert.text).toContain('Subaccount sub-a, 12 days left on its trust certificate:');
    expect(alert.text).toContain('- my100001-api.s4hana.ondemand.com: expiring, 12 days left.');
    expect(alert.text).toContain('- my200001-api.s4hana.ondemand.com: mismatch, 700 days left.');
    expect(alert.text.match(/What to do: Rotate the trust certificate of subaccount sub-a/g)).toHaveLength(1);
    expect(alert.text).toContain('What to do: Push the active certificate');
    expect(alert.subaccounts).toEqual([
      { subaccountId: 'sub-a', tenants: ['my100001-api.s4hana.ondemand.com', 'my100002-api.s4hana.ondemand.com'], statuses: ['expiring'], minDaysLeft: 12 },
      { subaccountId: 'sub-b', tenants: ['my200001-api.s4hana.ondemand.com'], statuses: ['mismatch'], minDaysLeft: 700 },
    ]);
  });

  it('is nothing when nothing is expiring or in mismatch', () => {
    expect(certificateAlert('x', [])).toBeUndefined();
  });

  it('goes out as one custom event per subaccount through the sink', () => {
    const seen: CustomEvent[] = [];
    setEventSink((e) => seen.push(e));
    try {
      emitCertificateAlertEvents(certificateAlert('certcheck-1', findings)!);
    } finally {
      setEventSink(logEventSink);
    }
    expect(seen).toEqual([
      { name: CERTIFICATE_ALERT_EVENT, properties: { checkId: 'certcheck-1', subaccountId: 'sub-a', tenants: 'my100001-api.s4hana.ondemand.com,my100002-api.s4hana.ondemand.com', statuses: 'expiring' }, measurements: { tenants: 2, daysLeft: 12 } },
      { name: CERTIFICATE_ALERT_EVENT, properties: { checkId: 'certcheck-1', subaccountId: 'sub-b', tenants: 'my200001-api.s4hana.ondemand.com', statuses: 'mismatch' }, measurements: { tenants: 1, daysLeft: 700 } },
    ]);
  });
});

describe('webhooks', () => {
  const hosts = ['*.webhook.office.com', 'hooks.slack.com'];

  it('may go to Slack and Teams incoming webhooks over https only', () => {
    expect(webhookUrlProblem('https://hooks.slack.com/services/T1/B1/abc', hosts)).toBeUndefined();
    expect(webhookUrlProblem('https://contoso.webhook.office.com/webhookb2/a@b/IncomingWebhook/c/d', hosts)).toBeUndefined();
    expect(webhookUrlProblem('http://hooks.slack.com/services/T1/B1/abc', hosts)).toMatch(/not https/);
    expect(webhookUrlProblem('https://user:pw@hooks.slack.com/x', hosts)).toMatch(/user name or password/);
    expect(webhookUrlProblem('not a url', hosts)).toBe('is not a URL');
  });

  it('refuses a host outside the allowlist, naming the host and not the path that holds the token', () => {
    const problem = webhookUrlProblem('https://hooks.slack.com.evil.example/services/T1/B1/secret-token', hosts);
    expect(problem).toMatch(/host hooks\.slack\.com\.evil\.example, which is not in ALERT_WEBHOOK_HOSTS/);
    expect(problem).not.toContain('secret-token');
  });

  it('sends nothing to a refused host', async () => {
    const outcome = await sendWebhookAlert('https://attacker.example/hook/secret-token', certificateAlert('c', findings)!, { allowedHosts: hosts, connection: {}, secretName: 'alert-webhook' });
    expect(outcome).toMatchObject({ sent: false, problem: expect.stringMatching(/stored as alert-webhook points at host attacker\.example/) });
    expect(JSON.stringify(outcome)).not.toContain('secret-token');
  });

  it('speaks Slack to Slack and a MessageCard to Teams', () => {
    const alert = certificateAlert('c', findings)!;
    expect(webhookBody('hooks.slack.com', alert)).toEqual({ text: alert.text });
    expect(webhookBody('contoso.webhook.office.com', alert)).toMatchObject({ '@type': 'MessageCard', summary: alert.title, title: alert.title, themeColor: 'D70000' });
  });
});
