/**
 * Who is calling the simulated IAS: `POST /oauth2/token` (client credentials, client auth with
 * Basic or with client_id/client_secret in the form, C.1) and the check of the Authorization
 * header on the Application Directory: `Bearer <token>` from that endpoint, or `Basic` with an
 * administrator's or an API client's credentials (spec security scheme `BasicAuth`).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { SandboxRequest, SandboxResponse } from '../core/service';
import { IAS_HEADERS, oauthError } from './iasResponses';
import { tokenKey, type IasScope, type IasTenant } from './iasState';

export const IAS_TOKEN_LIFETIME_SECONDS = 3600;

function sameSecret(a: string, b: string): boolean {
  const left = new TextEncoder().encode(a);
  const right = new TextEncoder().encode(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** RFC 6749 §2.3.1 form-encodes client credentials inside Basic; most clients do not, so both are read. */
function formDecoded(value: string): string {
  try {
    return /%[0-9A-Fa-f]{2}/.test(value) ? decodeURIComponent(value) : value;
  } catch {
    return value;
  }
}

export function basicCredentials(header: string | undefined): { user: string; password: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: formDecoded(decoded.slice(0, colon)), password: formDecoded(decoded.slice(colon + 1)) };
}

export interface IasCaller {
  userId: string;
  scopes: IasScope[];
}

function clientFor(tenant: IasTenant, clientId: string, secret: string) {
  return tenant.clients.find((c) => c.clientId === clientId && sameSecret(c.clientSecret, secret));
}

/** undefined = not authenticated (401). */
export function authenticate(req: SandboxRequest, tenant: IasTenant, now: Date): IasCaller | undefined {
  const header = req.headers.authorization;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (bearer) {
    const token = tenant.tokens[tokenKey(bearer[1])];
    if (!token || new Date(token.expiresAt) <= now) return undefined;
    const client = tenant.clients.find((c) => c.clientId === token.clientId);
    return client ? { userId: client.userId, scopes: token.scopes } : undefined;
  }
  const basic = basicCredentials(header);
  if (!basic) return undefined;
  const admin = tenant.admins.find((a) => a.user === basic.user && sameSecret(a.password, basic.password));
  if (admin) return { userId: admin.userId, scopes: ['manageApp', 'manageUsers', 'oAuth'] };
  const client = clientFor(tenant, basic.user, basic.password);
  return client ? { userId: client.userId, scopes: client.scopes } : undefined;
}

export function issueToken(req: SandboxRequest, tenant: IasTenant, now: Date): SandboxResponse {
  const contentType = String(req.headers['content-type'] ?? '');
  if (!contentType.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    return oauthError(400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
  }
  const form = new URLSearchParams(req.body.toString('utf8'));
  const grantType = form.get('grant_type') ?? req.query.get('grant_type');
  if (!grantType) return oauthError(400, 'invalid_request', 'Missing parameter grant_type');
  if (grantType !== 'client_credentials') return oauthError(400, 'unsupported_grant_type', `Grant type ${grantType} is not supported`);

  const basic = basicCredentials(req.headers.authorization);
  const clientId = basic?.user ?? form.get('client_id');
  const secret = basic?.password ?? form.get('client_secret');
  const client = clientId && secret ? clientFor(tenant, clientId, secret) : undefined;
  if (!client) return oauthError(401, 'invalid_client', 'Client authentication failed');

  const accessToken = randomBytes(24).toString('hex');
  tenant.tokens[tokenKey(accessToken)] = {
    clientId: client.clientId,
    scopes: client.scopes,
    expiresAt: new Date(now.getTime() + IAS_TOKEN_LIFETIME_SECONDS * 1000).toISOString(),
  };
  for (const [key, token] of Object.entries(tenant.tokens)) if (new Date(token.expiresAt) <= now) delete tenant.tokens[key];
  return {
    status: 200,
    headers: { ...IAS_HEADERS, 'content-type': 'application/json' },
    body: { access_token: accessToken, token_type: 'Bearer', expires_in: IAS_TOKEN_LIFETIME_SECONDS },
  };
}
