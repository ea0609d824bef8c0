/**
 * Logon to the SAP_COM_0A48 services as S/4HANA Cloud does it: HTTP Basic with a communication user
 * that is the basic inbound user of a SAP_COM_0A48 arrangement (401 HTML "Logon failed" otherwise,
 * contracts B.10), and the Gateway CSRF protocol for writes (B.2).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { SandboxResponse } from '../core/service';
import { BOOTSTRAP_SCENARIO, type EntityRecord, type S4Tenant } from './tenantState';

const MAX_SESSIONS = 200;

export function basicCredentials(headers: IncomingHttpHeaders): { user: string; password: string } | undefined {
  const header = headers.authorization;
  if (!header || !/^basic /i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export function samePassword(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(new Uint8Array(ha), new Uint8Array(hb));
}

export function userByName(t: S4Tenant, name: string): EntityRecord | undefined {
  return Object.values(t.users).find((u) => u.Name === name);
}

/** The communication user behind the Basic header, if it may call the SAP_COM_0A48 services. */
export function communicationManagementUser(t: S4Tenant, headers: IncomingHttpHeaders): EntityRecord | undefined {
  const creds = basicCredentials(headers);
  if (!creds) return undefined;
  const user = userByName(t, creds.user);
  if (!user || user.IsLocked === true || typeof user.Password !== 'string') return undefined;
  if (!samePassword(user.Password, creds.password)) return undefined;
  const isInboundOf0A48 = Object.values(t.arrangements).some((a) => {
    if (a.CommunicationScenarioID !== BOOTSTRAP_SCENARIO || typeof a.InboundUser !== 'string') return false;
    const inbound = t.inboundUsers[a.InboundUser];
    return inbound?.CommunicationUserID === user.ID && inbound.AuthenticationMethod === 'basic';
  });
  return isInboundOf0A48 ? user : undefined;
}

export function logonFailed(t: S4Tenant): SandboxResponse {
  return {
    status: 401,
    headers: { 'content-type': 'text/html; charset=utf-8', 'www-authenticate': `Basic realm="SAP NetWeaver Application Server [${t.sid}/100]"` },
    body: '<html><head><title>Logon Error Message</title></head><body><h1>Logon failed</h1><p>Anmeldung fehlgeschlagen</p></body></html>',
  };
}

function cookieName(t: S4Tenant): string {
  return `SAP_SESSIONID_${t.sid}_100`;
}

function sessionIdFromCookie(t: S4Tenant, headers: IncomingHttpHeaders): string | undefined {
  const name = cookieName(t);
  for (const part of (headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

/** Answers `X-CSRF-Token: Fetch`: a new token bound to a new session cookie. */
export function fetchCsrfToken(t: S4Tenant, user: EntityRecord, now: Date): Record<string, string | string[]> {
  const sessionId = randomBytes(24).toString('base64url');
  const csrfToken = randomBytes(18).toString('base64');
  t.sessions[sessionId] = { user: String(user.ID), csrfToken, createdAt: now.toISOString() };
  const ids = Object.keys(t.sessions);
  for (const old of ids.slice(0, Math.max(0, ids.length - MAX_SESSIONS))) delete t.sessions[old];
  return {
    'x-csrf-token': csrfToken,
    'set-cookie': [`${cookieName(t)}=${sessionId}; path=/; secure; HttpOnly`, 'sap-usercontext=sap-client=100; path=/'],
  };
}

/** True when a write carries the CSRF token of the session in its cookie, fetched by the same user. */
export function hasValidCsrfToken(t: S4Tenant, user: EntityRecord, headers: IncomingHttpHeaders): boolean {
  const token = headers['x-csrf-token'];
  const sessionId = sessionIdFromCookie(t, headers);
  if (typeof token !== 'string' || !sessionId) return false;
  const session = t.sessions[sessionId];
  return session !== undefined && session.user === user.ID && session.csrfToken === token;
}

export function csrfRequired(): SandboxResponse {
  return { status: 403, headers: { 'x-csrf-token': 'Required', 'content-type': 'text/plain; charset=utf-8' }, body: 'CSRF token validation failed' };
}
