/**
 * `GET /v1/destinations/{name}` (contracts A.5): the destination (instance level first, then
 * subaccount; the sandbox has no instance destinations), with `owner` and `authTokens`.
 */
import type https from 'node:https';
import type { SandboxRequest, SandboxResponse } from '../core/service';
import { isSecretProperty, type Subaccount } from './btpState';
import { destinationError, json } from './destinationResponses';
import { decodeUserToken, samlBearerTokens, SANDBOX_PRINCIPAL, UserTokenError, type AuthToken } from './samlBearerExchange';

export async function handleFindDestination(sub: Subaccount, req: SandboxRequest, agent: () => https.Agent, now: Date): Promise<SandboxResponse | undefined> {
  const m = /^\/destination-configuration\/v1\/destinations\/([^/]+)$/.exec(req.path);
  if (!m) return undefined;
  if (req.method !== 'GET') return destinationError(405, 'Method Not Allowed', { allow: 'GET' });
  let name: string;
  try {
    name = decodeURIComponent(m[1]);
  } catch {
    return destinationError(400, 'Destination name is not correctly percent-encoded');
  }
  const stored = sub.destinations[name];
  if (!stored) return destinationError(404, `Configuration with name ${name} was not found`);
  const props = stored.properties;
  if (req.headers['x-tenant'] !== undefined && props.tokenServiceURLType !== 'Common') {
    return destinationError(400, 'Header X-tenant is not allowed for destinations with tokenServiceURLType Dedicated');
  }

  let claims: Record<string, unknown> = { ...SANDBOX_PRINCIPAL };
  const userToken = req.headers['x-user-token'];
  if (typeof userToken === 'string' && userToken !== '') {
    try {
      claims = decodeUserToken(userToken);
    } catch (err) {
      if (err instanceof UserTokenError) return destinationError(400, err.message);
      throw err;
    }
  }

  const skipCredentials = req.query.get('$skipCredentials') === 'true';
  const destinationConfiguration = skipCredentials ? Object.fromEntries(Object.entries(props).filter(([k]) => !isSecretProperty(k))) : props;
  const body: { owner: unknown; destinationConfiguration: unknown; authTokens?: AuthToken[] } = {
    owner: { SubaccountId: sub.guid, InstanceId: null },
    destinationConfiguration,
  };
  if (req.query.get('$skipTokenRetrieval') !== 'true') {
    if (props.Authentication === 'OAuth2SAMLBearerAssertion') {
      body.authTokens = await samlBearerTokens(sub, props, claims, agent(), now);
    } else if (props.Authentication === 'BasicAuthentication' && props.User !== undefined) {
      const value = Buffer.from(`${props.User}:${props.Password ?? ''}`).toString('base64');
      body.authTokens = [{ type: 'Basic', value, http_header: { key: 'Authorization', value: `Basic ${value}` } }];
    }
  }
  return json(200, body);
}
