/**
 * Posts an alert to a Teams or Slack incoming webhook. The URL is a secret (its path is the
 * credential), so it is read from the secret store by name, never logged or echoed, and sent only to
 * a host on the ALERT_WEBHOOK_HOSTS allowlist, over verified TLS. Errors name the host, never the URL.
 */
import https from 'node:https';
import { hostMatchesPattern } from '../sap/http/allowlist';
import { sharedSapAgent } from '../sap/http/agent';
import type { SapConnectionOptions } from '../sap/http';
import type { CertificateAlert } from './certificateAlert';

export type WebhookOutcome = { sent: true; host: string } | { sent: false; host?: string; problem: string; fix: string };

const TIMEOUT_MS = 10_000;

/** undefined when the URL may receive alerts, else why not (without the URL's path). */
export function webhookUrlProblem(url: string, allowedHosts: readonly string[]): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a URL';
  }
  if (parsed.protocol !== 'https:') return `uses ${parsed.protocol.replace(':', '')}, not https`;
  if (parsed.username || parsed.password) return 'carries a user name or password';
  if (!allowedHosts.some((p) => hostMatchesPattern(parsed.hostname, p))) return `points at host ${parsed.hostname}, which is not in ALERT_WEBHOOK_HOSTS (${allowedHosts.join(', ')})`;
  return undefined;
}

/** Slack takes `{text}`; Teams (Office 365 connectors on *.webhook.office.com) a MessageCard. */
export function webhookBody(host: string, alert: CertificateAlert): Record<string, unknown> {
  if (hostMatchesPattern(host, 'hooks.slack.com')) return { text: alert.text };
  return { '@type': 'MessageCard', '@context': 'https://schema.org/extensions', summary: alert.title, themeColor: alert.counts.mismatch ? 'D70000' : 'FFA500', title: alert.title, text: alert.text.replace(/\n/g, '\n\n') };
}

export async function sendWebhookAlert(
  url: string,
  alert: CertificateAlert,
  options: { allowedHosts: readonly string[]; connection: SapConnectionOptions; secretName: string },
): Promise<WebhookOutcome> {
  const problem = webhookUrlProblem(url, options.allowedHosts);
  if (problem) {
    return { sent: false, problem: `the alert webhook stored as ${options.secretName} ${problem}; nothing was sent`, fix: `Store a Teams or Slack incoming-webhook URL with PUT /api/credentials/${options.secretName}, or add its host to ALERT_WEBHOOK_HOSTS.` };
  }
  const target = new URL(url);
  const payload = Buffer.from(JSON.stringify(webhookBody(target.hostname, alert)));
  try {
    const { status, text } = await post(target, payload, options.connection);
    if (status >= 200 && status < 300) return { sent: true, host: target.hostname };
    return {
      sent: false,
      host: target.hostname,
      problem: `the alert webhook at ${target.hostname} answered HTTP ${status}: ${text.slice(0, 200).replace(/\s+/g, ' ')}`,
      fix: status === 404 || status === 403 || status === 410 ? `The webhook was removed or its URL is wrong: create a new incoming webhook and store its URL with PUT /api/credentials/${options.secretName}.` : `Check the channel's webhook; the next check sends the alert again.`,
    };
  } catch (e) {
    return { sent: false, host: target.hostname, problem: `the alert webhook at ${target.hostname} did not answer (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, fix: 'Check that the function app can reach the host; the next check sends the alert again.' };
  }
}

function post(target: URL, payload: Buffer, connection: SapConnectionOptions): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    // The outbound agent of the app: verified TLS with the configured extra CA and connection target.
    const request = https.request(target, { method: 'POST', agent: sharedSapAgent(connection), headers: { 'content-type': 'application/json', 'content-length': String(payload.length) } });
    request.setTimeout(TIMEOUT_MS, () => request.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    request.on('error', (e) => reject(Object.assign(new Error((e as NodeJS.ErrnoException).code ?? 'network error'), { code: (e as NodeJS.ErrnoException).code })));
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(c));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks as unknown as Uint8Array[]).toString('utf8') }));
      response.on('error', reject);
    });
    request.end(payload);
  });
}
