/**
 * XSUAA `POST https://<subdomain>.authentication.<region>.hana.ondemand.com/oauth/token`,
 * client_credentials with the Destination service key (contracts A.1). Credentials as form fields
 * or HTTP Basic. Tokens are JWT-shaped (header.payload.signature) but checked by lookup, not by
 * signature: the Destination service of this sandbox is the only consumer.
 */
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { SandboxRequest, SandboxResponse } from '../core/service';
import { findBySubdomain, tokenHash, type BtpSlice } from './btpState';

export const TOKEN_LIFETIME_SECONDS = 43_199;

export function uaaError(status: number, error: string, description: string): SandboxResponse {
  return { status, headers: { 'cache-control': 'no-store' }, body: { error, error_description: description } };
}

const BAD_CREDENTIALS = uaaError(401, 'unauthorized', 'Bad credentials');

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) return undefined;
  const dec = (s: string) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      return s;
    }
  };
  return { id: dec(decoded.slice(0, i)), secret: dec(decoded.slice(i + 1)) };
}

export function handleXsuaa(req: SandboxRequest, slice: BtpSlice, host: { subdomain: string; region: string }, now: Date): SandboxResponse {
  if (req.path !== '/oauth/token') return uaaError(404, 'not_found', `No endpoint ${req.path} in this sandbox XSUAA`);
  if (req.method !== 'POST') return { status: 405, headers: { allow: 'POST' }, body: { error: 'method_not_allowed', error_description: `Request method '${req.method}' not supported` } };
  const type = String(req.headers['content-type'] ?? '');
  if (!/^application\/x-www-form-urlencoded/i.test(type)) {
    return uaaError(400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
  }
  const form = new URLSearchParams(req.body.toString('utf8'));
  const grantType = form.get('grant_type');
  if (!grantType) return uaaError(400, 'invalid_request', 'Missing grant type');
  const basic = basicCredentials(req.headers.authorization);
  const clientId = basic?.id ?? form.get('client_id') ?? '';
  const clientSecret = basic?.secret ?? form.get('client_secret') ?? '';
  if (!clientId || !clientSecret) return BAD_CREDENTIALS;

  const sub = findBySubdomain(slice, host.subdomain, host.region);
  if (!sub || !same(clientId, sub.serviceKey.clientid) || !same(clientSecret, sub.serviceKey.clientsecret)) return BAD_CREDENTIALS;
  if (grantType !== 'client_credentials') return uaaError(400, 'unsupported_grant_type', `Unsupported grant type: ${grantType}`);

  for (const [hash, t] of Object.entries(slice.tokens)) if (new Date(t.expiresAt) <= now) delete slice.tokens[hash];
  const iat = Math.floor(now.getTime() / 1000);
  const jti = randomUUID().replace(/-/g, '');
  const zone = sub.serviceKey.tenantid;
  const payload = {
    jti, ext_attr: { enhancer: 'XSUAA', subaccountid: sub.guid, zdn: sub.subdomain }, sub: clientId, authorities: ['uaa.resource'],
    scope: ['uaa.resource'], client_id: clientId, cid: clientId, azp: clientId, grant_type: 'client_credentials',
    rev_sig: randomBytes(4).toString('hex'), iat, exp: iat + TOKEN_LIFETIME_SECONDS,
    iss: `https://${sub.subdomain}.authentication.${sub.region}.hana.ondemand.com/oauth/token`, zid: zone, aud: ['uaa', clientId],
  };
  const token = `${b64url({ alg: 'RS256', jku: `https://${sub.subdomain}.authentication.${sub.region}.hana.ondemand.com/token_keys`, kid: 'default-jwt-key', typ: 'JWT' })}.${b64url(payload)}.${randomBytes(64).toString('base64url')}`;
  slice.tokens[tokenHash(token)] = { subaccount: sub.guid, clientId, expiresAt: new Date((iat + TOKEN_LIFETIME_SECONDS) * 1000).toISOString() };
  return {
    status: 200,
    headers: { 'cache-control': 'no-store', pragma: 'no-cache' },
    body: { access_token: token, token_type: 'bearer', expires_in: TOKEN_LIFETIME_SECONDS, scope: 'uaa.resource', jti },
  };
}
