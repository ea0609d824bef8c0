/**
 * `POST /sap/bc/sec/oauth2/token` with the SAML 2.0 bearer grant (contracts B.8). A token is granted
 * only when the client authenticates as an oauth2 inbound user that an arrangement references (an
 * unreferenced client cannot log on at all: 401 HTML "Logon failed", contracts B.6 update and B.10;
 * every arrangement the API can create is active, there are no drafts), the system's OAuth 2.0 IdP is active, the assertion issuer is the system's SAML issuer, the signature
 * verifies against the system's signing certificate, and audience, recipient and validity fit.
 * Every decision goes to the tenant's token log with its reason (never a secret).
 */
import { randomBytes } from 'node:crypto';
import { parsedPem } from '../core/parsedCertificate';
import type { SandboxRequest, SandboxResponse } from '../core/service';
import { AssertionVerificationError, verifyAssertion, type VerifiedAssertion } from '../saml';
import { SANDBOX_CHOICES } from './fieldModel';
import { basicCredentials, logonFailed, samePassword, userByName } from './logon';
import { AssertionFormatError, decodeAssertion, readAssertion, type AssertionFacts } from './samlAssertion';
import { signingCertificatePem } from './signingCertificate';
import type { EntityRecord, S4Tenant, TokenLogEntry } from './tenantState';

export const SAML2_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:saml2-bearer';
export const TOKEN_PATH = '/sap/bc/sec/oauth2/token';
const MAX_LOG = 200;

/** sandbox/saml verifyAssertion: checks the signature and reads the facts from the signed content only. */
export type SignatureCheck = typeof verifyAssertion;

type OAuthError = NonNullable<TokenLogEntry['error']>;

class Denied extends Error {
  constructor(readonly error: OAuthError, readonly reason: string, readonly facts: Partial<TokenLogEntry> = {}) {
    super(reason);
  }
}

/** The client's communication user may not log on: S/4 answers before any OAuth processing. */
class LogonRefused extends Denied {
  constructor(reason: string, facts: Partial<TokenLogEntry>) {
    super('logon_failed', reason, facts);
  }
}

/** The tenant's UI host as SAML2 audience (contracts A.6/B.6): the API host without "-api". */
export function samlAudience(apiHost: string): string {
  return `https://${apiHost.replace(/-api\./, '.')}`;
}

function log(t: S4Tenant, entry: TokenLogEntry): void {
  t.tokenLog.push(entry);
  if (t.tokenLog.length > MAX_LOG) t.tokenLog.splice(0, t.tokenLog.length - MAX_LOG);
}

function oauthError(error: OAuthError, description: string): SandboxResponse {
  const status = error === 'invalid_client' ? 401 : 400;
  const headers: Record<string, string> = { 'content-type': 'application/json;charset=utf-8', 'cache-control': 'no-store' };
  if (status === 401) headers['www-authenticate'] = 'Basic realm="OAuth 2.0"';
  return { status, headers, body: { error, error_description: description } };
}

interface Client {
  inbound: EntityRecord;
  system: EntityRecord;
  arrangements: EntityRecord[];
}

function authenticateClient(t: S4Tenant, req: SandboxRequest, form: URLSearchParams): Client {
  const creds = basicCredentials(req.headers);
  if (!creds) throw new Denied('invalid_client', 'No OAuth 2.0 client authentication credentials (HTTP Basic) in the request');
  const clientId = creds.user;
  const bodyClientId = form.get('client_id');
  if (bodyClientId !== null && bodyClientId !== clientId) {
    throw new Denied('invalid_client', `client_id ${bodyClientId} differs from the authenticated client ${clientId}`, { clientId });
  }
  const inbound = Object.values(t.inboundUsers).find((i) => i.AuthenticationMethod === 'oauth2' && i.OAuth2ClientID === clientId);
  if (!inbound) throw new Denied('invalid_client', `OAuth 2.0 client ${clientId} is not an OAuth 2.0 inbound user of any communication system`, { clientId });
  const owner = typeof inbound.CommunicationUserID === 'string' ? t.users[inbound.CommunicationUserID] : userByName(t, clientId);
  if (!owner || typeof owner.Password !== 'string' || !samePassword(owner.Password, creds.password)) {
    throw new Denied('invalid_client', `client authentication failed for ${clientId}: wrong password`, { clientId });
  }
  if (owner.IsLocked === true) throw new Denied('invalid_client', `communication user of client ${clientId} is locked`, { clientId });
  const system = t.systems[String(inbound.CommunicationSystemUUID)];
  if (!system) throw new Denied('invalid_client', `communication system of client ${clientId} no longer exists`, { clientId });
  const systemFacts = { clientId, communicationSystemID: String(system.ID) };
  if (inbound.OAuth2GrantType !== null && inbound.OAuth2GrantType !== undefined && inbound.OAuth2GrantType !== 'saml2-bearer') {
    throw new Denied('invalid_client', `inbound user ${clientId} is set up for grant type ${String(inbound.OAuth2GrantType)}, not saml2-bearer`, systemFacts);
  }
  const arrangements = Object.values(t.arrangements).filter((a) => a.InboundUser === inbound.UUID);
  if (arrangements.length === 0) {
    throw new LogonRefused(`inbound user ${clientId} of communication system ${String(system.ID)} is not the inbound user of any communication arrangement`, systemFacts);
  }
  return { inbound, system, arrangements };
}

/** The signing certificate must be valid now (the sandbox clock), with the assertion clock skew at its start. */
function checkCertificateValidity(pem: string, systemId: string, now: Date): void {
  const certificate = parsedPem(pem);
  const validFrom = new Date(certificate.validFrom);
  const validTo = new Date(certificate.validTo);
  if (now.getTime() + SANDBOX_CHOICES.assertionClockSkewSeconds * 1000 < validFrom.getTime()) {
    throw new Denied('invalid_grant', `Error in ST program SAML2_ASSERTION: the signing certificate of communication system ${systemId} is valid only from ${validFrom.toISOString()}`);
  }
  if (now.getTime() > validTo.getTime()) {
    throw new Denied('invalid_grant', `Error in ST program SAML2_ASSERTION: the signing certificate of communication system ${systemId} expired at ${validTo.toISOString()}`);
  }
}

function checkAssertion(client: Client, facts: AssertionFacts, req: SandboxRequest, now: Date, verify: SignatureCheck): VerifiedAssertion {
  const { system } = client;
  const systemId = String(system.ID);
  if (system.IsOAuth2IdentityProviderActive !== true) {
    throw new Denied('invalid_grant', `OAuth 2.0 identity provider is not active on communication system ${systemId}`);
  }
  if (!facts.issuer) throw new Denied('invalid_grant', 'assertion has no Issuer');
  if (facts.issuer !== system.OAuth2IdentityProviderName) {
    // 3P-PP: an issuer other than the configured SAML issuer is answered invalid_client.
    throw new Denied('invalid_client', `assertion issuer ${facts.issuer} is not the SAML issuer of communication system ${systemId}`);
  }
  const pem = signingCertificatePem(system);
  if (!pem) throw new Denied('invalid_grant', `Error in ST program SAML2_ASSERTION: communication system ${systemId} has no signing certificate`);
  checkCertificateValidity(pem, systemId, now);
  const audience = samlAudience(req.host);
  let signed: VerifiedAssertion;
  try {
    signed = verify(facts.xml, pem, { now, clockSkewSeconds: SANDBOX_CHOICES.assertionClockSkewSeconds, audience });
  } catch (e) {
    if (!(e instanceof AssertionVerificationError)) throw e;
    const signature = ['unsigned', 'signature invalid', 'signature does not cover the assertion', 'malformed', 'not an assertion'].includes(e.reason);
    throw new Denied(
      'invalid_grant',
      signature
        ? `Error in ST program SAML2_ASSERTION: signature does not verify against the signing certificate of communication system ${systemId} (${e.reason})`
        : e.reason === 'wrong audience'
          ? `assertion audience ${facts.audiences.join(', ') || '(none)'} is not ${audience}`
          : e.message,
    );
  }
  if (signed.issuer !== system.OAuth2IdentityProviderName) {
    throw new Denied('invalid_client', `assertion issuer ${signed.issuer} is not the SAML issuer of communication system ${systemId}`);
  }
  const tokenUrl = `https://${req.host}${TOKEN_PATH}`;
  if (signed.recipient !== undefined && signed.recipient !== tokenUrl) {
    throw new Denied('invalid_grant', `assertion recipient ${signed.recipient} is not ${tokenUrl}`);
  }
  if (!signed.notOnOrAfter) throw new Denied('invalid_grant', 'assertion has no NotOnOrAfter');
  if (!signed.nameId) throw new Denied('invalid_grant', 'assertion has no Subject NameID');
  return signed;
}

export function handleTokenRequest(req: SandboxRequest, t: S4Tenant, now: Date, verify: SignatureCheck): SandboxResponse {
  if (req.method !== 'POST') return { status: 405, headers: { allow: 'POST' }, body: { error: 'invalid_request', error_description: 'use POST' } };
  const entry: Partial<TokenLogEntry> = {};
  try {
    if (!/application\/x-www-form-urlencoded/i.test(String(req.headers['content-type'] ?? ''))) {
      throw new Denied('invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
    }
    const form = new URLSearchParams(req.body.toString('utf8'));
    const grantType = form.get('grant_type');
    if (grantType !== SAML2_BEARER_GRANT) throw new Denied('unsupported_grant_type', `grant_type ${grantType ?? '(missing)'} is not supported; use ${SAML2_BEARER_GRANT}`);
    const client = authenticateClient(t, req, form);
    Object.assign(entry, { clientId: String(client.inbound.OAuth2ClientID), communicationSystemID: String(client.system.ID) });
    const encoded = form.get('assertion');
    if (!encoded) throw new Denied('invalid_request', 'assertion is missing');
    let facts: AssertionFacts;
    try {
      facts = readAssertion(decodeAssertion(encoded));
    } catch (e) {
      if (e instanceof AssertionFormatError) throw new Denied('invalid_grant', `Error in ST program SAML2_ASSERTION: ${e.message}`);
      throw e;
    }
    Object.assign(entry, { issuer: facts.issuer, nameId: facts.nameId });
    const signed = checkAssertion(client, facts, req, now, verify);
    Object.assign(entry, { nameId: signed.nameId });
    const scope = [...new Set(client.arrangements.map((a) => String(a.CommunicationScenarioID)))].join(' ');
    log(t, { at: now.toISOString(), outcome: 'granted', reason: `SAML 2.0 bearer assertion of ${signed.nameId} accepted`, ...entry });
    return {
      status: 200,
      headers: { 'content-type': 'application/json;charset=utf-8', 'cache-control': 'no-store' },
      body: { access_token: randomBytes(32).toString('base64url'), token_type: 'Bearer', expires_in: SANDBOX_CHOICES.tokenExpiresInSeconds, scope },
    };
  } catch (e) {
    if (!(e instanceof Denied)) throw e;
    log(t, { at: now.toISOString(), outcome: 'denied', error: e.error, reason: e.reason, ...entry, ...e.facts });
    return e instanceof LogonRefused ? logonFailed(t) : oauthError(e.error, e.reason);
  }
}
