/**
 * What "Find a destination" does for Authentication=OAuth2SAMLBearerAssertion (contracts A.5/A.6):
 * build a SAML 2.0 assertion for the user, sign it with the subaccount's ACTIVE key, and POST it to
 * the destination's tokenServiceURL (RFC 7522) over real HTTPS through the sandbox's connect-to agent.
 *
 * The user: claims of the X-user-token JWT when given (decoded, not verified: the sandbox has no
 * user IdP), else the fixed SANDBOX_PRINCIPAL below.
 */
import https from 'node:https';
import { encodeAssertion, signAssertion, NAMEID_EMAIL, NAMEID_UNSPECIFIED } from '../saml';
import type { Subaccount } from './btpState';
import { certificateCn } from './trustCertificate';

/** The user the sandbox propagates when the caller sends no X-user-token. */
export const SANDBOX_PRINCIPAL = {
  user_uuid: '7f3c9a52-1d4e-4b8a-9c61-5e2f0a8b3d17',
  user_name: 'sandbox.user',
  email: 'sandbox.user@example.com',
  given_name: 'Sandbox',
  family_name: 'User',
} as const;

export interface AuthToken {
  type: string;
  value: string;
  http_header?: { key: string; value: string };
  expires_in?: string;
  error?: string;
}

export class UserTokenError extends Error {}

/** Claims of a JWT, without signature verification. */
export function decodeUserToken(jwt: string): Record<string, unknown> {
  const parts = jwt.trim().split('.');
  if (parts.length !== 3) throw new UserTokenError('X-user-token is not a JWT');
  try {
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    if (!claims || typeof claims !== 'object' || Array.isArray(claims)) throw new Error('not an object');
    return claims as Record<string, unknown>;
  } catch {
    throw new UserTokenError('X-user-token payload is not JSON');
  }
}

function claim(claims: Record<string, unknown>, key: string): unknown {
  if (key in claims) return claims[key];
  const attrs = claims.user_attributes as Record<string, unknown> | undefined;
  if (attrs && key in attrs) return Array.isArray(attrs[key]) ? (attrs[key] as unknown[])[0] : attrs[key];
  // JsonPath-ish: $.a.b or a.b
  return key
    .replace(/^\$\./, '')
    .split('.')
    .reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), claims);
}

/** NameID per userIdSource, else per nameIdFormat (emailAddress → email; unspecified/unset → user_name). */
export function nameIdFor(props: Record<string, string>, claims: Record<string, unknown>): { nameId: string; format: string } {
  const format = props.nameIdFormat || NAMEID_UNSPECIFIED;
  if (props.userIdSource) {
    const v = claim(claims, props.userIdSource);
    if (typeof v !== 'string' || v === '') throw new Error(`The user token has no value for userIdSource ${props.userIdSource}`);
    return { nameId: v, format };
  }
  if (format === NAMEID_EMAIL) {
    if (typeof claims.email !== 'string') throw new Error('The user token has no email for nameIdFormat emailAddress');
    return { nameId: claims.email, format };
  }
  if (format === NAMEID_UNSPECIFIED) {
    if (typeof claims.user_name !== 'string') throw new Error('The user token has no user_name');
    return { nameId: claims.user_name, format };
  }
  throw new Error(`Unsupported nameIdFormat ${format}`);
}

function groups(claims: Record<string, unknown>): string[] | undefined {
  const fromSystem = claim(claims, 'xs.system.attributes');
  const sys = fromSystem && typeof fromSystem === 'object' ? (fromSystem as Record<string, unknown>)['xs.saml.groups'] : undefined;
  const attrs = claims.user_attributes as Record<string, unknown> | undefined;
  const g = sys ?? attrs?.['xs.saml.groups'];
  return Array.isArray(g) ? g.map(String) : undefined;
}

export function buildSignedAssertion(sub: Subaccount, props: Record<string, string>, claims: Record<string, unknown>, now: Date): string {
  if (!sub.active) throw new Error(`Keypair for subaccount - ${sub.guid} does not exist`);
  const { nameId, format } = nameIdFor(props, claims);
  const attributes: Record<string, string | string[]> = {};
  if (props.skipUserUuidInSAMLAttributes !== 'true' && typeof claims.user_uuid === 'string') attributes.user_uuid = claims.user_uuid;
  const g = groups(claims);
  if (g) attributes.Groups = g;
  for (const k of ['email', 'given_name', 'family_name'] as const) if (typeof claims[k] === 'string') attributes[k] = claims[k] as string;
  return signAssertion({
    issuer: props.assertionIssuer || certificateCn(sub.active.certificatePem),
    nameId,
    nameIdFormat: format,
    nameQualifier: props.nameQualifier || undefined,
    audience: props.audience ?? '',
    recipient: props.assertionRecipient || props.tokenServiceURL,
    authnContextClassRef: props.authnContextClassRef || undefined,
    attributes,
    now,
    privateKeyPem: sub.active.privateKeyPem,
    certificatePem: props.includeSigningCertificateInSAMLAssertion === 'true' ? sub.active.certificatePem : undefined,
  });
}

function post(url: URL, form: URLSearchParams, headers: Record<string, string>, agent: https.Agent, timeoutMs: number): Promise<{ status: number; text: string }> {
  const body = Buffer.from(form.toString());
  return new Promise((resolve, reject) => {
    const req = https.request(url, {
      method: 'POST',
      agent,
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', 'content-length': String(body.length) },
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`token service did not answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks as unknown as Uint8Array[]).toString('utf8') }));
    });
    req.end(body);
  });
}

const failed = (reason: string): AuthToken => ({ type: '', value: '', error: `Retrieval of OAuthSAMLBearerAssertion tokens failed; reason: ${reason}` });

/** The whole exchange; never throws: failures come back as an authToken with `error`, as SAP does. */
export async function samlBearerTokens(sub: Subaccount, props: Record<string, string>, claims: Record<string, unknown>, agent: https.Agent, now: Date): Promise<AuthToken[]> {
  let url: URL;
  try {
    url = new URL(props.tokenServiceURL ?? '');
    if (url.protocol !== 'https:') return [failed('tokenServiceURL must be an https URL')];
  } catch {
    return [failed('tokenServiceURL is missing or not a URL')];
  }
  let xml: string;
  try {
    xml = buildSignedAssertion(sub, props, claims, now);
  } catch (err) {
    return [failed((err as Error).message)];
  }
  for (const [k, v] of Object.entries(props)) if (k.startsWith('tokenServiceURL.queries.')) url.searchParams.set(k.slice('tokenServiceURL.queries.'.length), v);
  const encoding = props.samlAssertionEncoding === 'base64' ? 'base64' : 'base64url';
  const form = new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:saml2-bearer', assertion: encodeAssertion(xml, encoding) });
  if (props.clientKey) form.set('client_id', props.clientKey);
  if (props.scope) form.set('scope', props.scope);
  if (props.companyId) form.set('company_id', props.companyId);
  for (const [k, v] of Object.entries(props)) if (k.startsWith('tokenService.body.')) form.set(k.slice('tokenService.body.'.length), v);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(props)) if (k.startsWith('tokenServiceURL.headers.')) headers[k.slice('tokenServiceURL.headers.'.length)] = v;
  if (props.tokenServiceUser && props.tokenServicePassword) {
    headers.authorization = `Basic ${Buffer.from(`${props.tokenServiceUser}:${props.tokenServicePassword}`).toString('base64')}`;
  }
  const timeoutSeconds = Number(props['tokenServiceURL.SocketReadTimeoutInSeconds'] ?? '10');
  let answer: { status: number; text: string };
  try {
    answer = await post(url, form, headers, agent, (Number.isFinite(timeoutSeconds) && timeoutSeconds > 0 ? timeoutSeconds : 10) * 1000);
  } catch (err) {
    return [failed(`token service ${url.host} could not be reached: ${(err as Error).message}`)];
  }
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(answer.text) as Record<string, unknown>;
  } catch {
    /* non-JSON answer: reported by status below */
  }
  if (answer.status !== 200 || typeof body.access_token !== 'string') {
    const detail = [body.error, body.error_description].filter((x) => typeof x === 'string').join(': ');
    return [failed(`token service answered HTTP ${answer.status}${detail ? ` (${detail})` : ''}`)];
  }
  const type = typeof body.token_type === 'string' && body.token_type.toLowerCase() !== 'bearer' ? body.token_type : 'Bearer';
  return [
    {
      type,
      value: body.access_token,
      http_header: { key: 'Authorization', value: `${type} ${body.access_token}` },
      ...(body.expires_in !== undefined ? { expires_in: String(body.expires_in) } : {}),
    },
  ];
}
