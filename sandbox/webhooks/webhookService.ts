/**
 * Simulated Slack and Microsoft Teams incoming webhooks, so that a test sees the alert a check sent.
 * Request and answer shapes as the two services document them: Slack `POST
 * https://hooks.slack.com/services/T…/B…/<token>` with JSON `{text}` → 200 `ok` (400 `invalid_payload`,
 * 400 `no_text`, 404 `no_service`); Teams (Office 365 connector) `POST
 * https://<tenant>.webhook.office.com/webhookb2/<ids>/IncomingWebhook/<id>/<guid>` with a MessageCard →
 * 200 `1` (400 `Summary or Text is required.`). Every post is recorded (`GET /__sandbox/webhooks`), the
 * token of its path masked. Any well-formed webhook path is accepted: there is nothing to seed.
 */
import type { SandboxRequest, SandboxResponse, SandboxService } from '../core/service';

export interface WebhookPost {
  at: string;
  service: 'slack' | 'teams';
  host: string;
  /** The path with its secret part masked. */
  path: string;
  contentType: string;
  body: unknown;
}

export interface WebhookSlice {
  posts: WebhookPost[];
}

const SLACK_HOST = /^hooks\.slack\.com$/;
const TEAMS_HOST = /^(?<tenant>[a-z0-9-]+)\.webhook\.office\.com$/;
const SLACK_PATH = /^\/services\/(T[A-Z0-9]+)\/(B[A-Z0-9]+)\/([A-Za-z0-9]+)$/;
const TEAMS_PATH = /^\/webhookb2\/([0-9a-f-]+@[0-9a-f-]+)\/IncomingWebhook\/([0-9a-f]+)\/([0-9a-f-]+)$/i;
/** Keep the posts of a long bench bounded. */
const MAX_POSTS = 1000;

const text = (status: number, body: string, contentType = 'text/plain; charset=utf-8'): SandboxResponse => ({ status, headers: { 'content-type': contentType }, body });

function json(req: SandboxRequest): { ok: true; value: Record<string, unknown> } | { ok: false } {
  try {
    const value = JSON.parse(req.body.toString('utf8')) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? { ok: true, value: value as Record<string, unknown> } : { ok: false };
  } catch {
    return { ok: false };
  }
}

const nonEmpty = (v: unknown) => (typeof v === 'string' && v.trim() !== '') || (Array.isArray(v) && v.length > 0);

export const webhookService: SandboxService<WebhookSlice> = {
  name: 'webhooks',
  matchHost(host): Record<string, string> | undefined {
    if (SLACK_HOST.test(host)) return { service: 'slack' };
    const teams = TEAMS_HOST.exec(host);
    return teams ? { service: 'teams', tenant: teams.groups!.tenant } : undefined;
  },
  initialState: () => ({ posts: [] }),
  seed() {},
  describe: (slice) => ({ posts: slice.posts }),
  handle(req, slice, ctx) {
    const slack = ctx.hostParams.service === 'slack';
    const path = slack ? SLACK_PATH.exec(req.path) : TEAMS_PATH.exec(req.path);
    if (!path) return slack ? text(404, 'no_service', 'text/html') : text(404, 'Webhook not found.');
    if (req.method !== 'POST') return slack ? text(405, 'invalid_method', 'text/html') : text(405, 'Method not allowed.');
    const body = json(req);
    if (!body.ok) return slack ? text(400, 'invalid_payload', 'text/html') : text(400, 'Bad payload received by generic incoming webhook.');
    if (slack && !nonEmpty(body.value.text) && !nonEmpty(body.value.blocks) && !nonEmpty(body.value.attachments)) return text(400, 'no_text', 'text/html');
    if (!slack && !nonEmpty(body.value.text) && !nonEmpty(body.value.summary) && !nonEmpty(body.value.attachments)) return text(400, 'Summary or Text is required.');
    const masked = req.path.replace(/[^/]+$/, (last) => `${last.slice(0, 2)}****`);
    slice.posts.push({ at: ctx.now().toISOString(), service: slack ? 'slack' : 'teams', host: req.host, path: masked, contentType: String(req.headers['content-type'] ?? ''), body: body.value });
    if (slice.posts.length > MAX_POSTS) slice.posts.splice(0, slice.posts.length - MAX_POSTS);
    ctx.changed();
    return slack ? text(200, 'ok', 'text/html') : text(200, '1');
  },
};
