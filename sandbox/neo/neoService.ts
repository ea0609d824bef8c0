/**
 * Simulated SAP BTP Neo platform API host `api.<landscape>`: the Platform API OAuth token
 * endpoint and the Trust Management API v2 (contracts D). Rate limited to 100 requests per
 * minute per subaccount. Choices SAP does not document live in neoUnconfirmed.ts.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { SandboxRequest, SandboxResponse, SandboxService } from '../core/service';
import { basicCredentials } from '../ias/iasAuthentication';
import {
  NEO_IMPORT_SUCCESS_STATUS,
  NEO_REQUESTS_PER_MINUTE,
  neoError,
  neoServerError,
  neoTooManyRequests,
} from './neoUnconfirmed';
import { NeoSeed, NeoSwitches, subaccountKey, tokenKey, type NeoScope, type NeoSlice, type NeoSubaccount } from './neoState';
import { TrustConfiguration, defaultTrustConfiguration, describeProblems } from './trustConfiguration';

export const NEO_TOKEN_LIFETIME_SECONDS = 1500;

const HOST = /^(?<prefix>api|apissecurity)\.(?<landscape>(?:[a-z0-9]+\.)?hana\.ondemand\.com)$/;
const TRUST = /^\/trust\/v2\/accounts\/(?<subaccount>[^/]+)\/?$/;

function sameSecret(a: string, b: string): boolean {
  const left = new TextEncoder().encode(a);
  const right = new TextEncoder().encode(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function oauthError(status: 400 | 401, error: string, description: string): SandboxResponse {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (status === 401) headers['www-authenticate'] = 'Basic realm="apitoken"';
  return { status, headers, body: { error, error_description: description } };
}

function mask(secret: string): string {
  return secret.length <= 4 ? '****' : `${secret.slice(0, 2)}****`;
}

function seedSection(seed: unknown): unknown {
  if (seed && typeof seed === 'object' && !Array.isArray(seed)) return (seed as { neoSubaccounts?: unknown }).neoSubaccounts ?? [];
  return seed ?? [];
}

export interface NeoServiceOptions {
  requestsPerMinute?: number;
}

export function createNeoService(options: NeoServiceOptions = {}): SandboxService<NeoSlice> {
  const limit = options.requestsPerMinute ?? NEO_REQUESTS_PER_MINUTE;
  /** Fixed one-minute windows per subaccount; in memory only (a restart forgets them, as a new minute would). */
  const windows = new Map<string, { startedAt: number; count: number }>();
  /** How many requests each subaccount was refused with 429 (shown by describe, for the bench). */
  const limited = new Map<string, number>();

  function rateLimited(key: string, now: Date, withRetryAfter: boolean, reducedLimit?: number): SandboxResponse | undefined {
    const at = now.getTime();
    const window = windows.get(key);
    if (!window || at - window.startedAt >= 60_000) {
      windows.set(key, { startedAt: at, count: 1 });
      return undefined;
    }
    window.count += 1;
    if (window.count <= (reducedLimit ?? limit)) return undefined;
    limited.set(key, (limited.get(key) ?? 0) + 1);
    return neoTooManyRequests(withRetryAfter ? Math.max(1, Math.ceil((window.startedAt + 60_000 - at) / 1000)) : undefined);
  }

  function issueToken(req: SandboxRequest, slice: NeoSlice, landscape: string, now: Date): SandboxResponse {
    const grantType = req.query.get('grant_type') ?? new URLSearchParams(req.body.toString('utf8')).get('grant_type');
    if (!grantType) return oauthError(400, 'invalid_request', 'Missing parameter grant_type');
    if (grantType !== 'client_credentials') return oauthError(400, 'unsupported_grant_type', `Unsupported grant type ${grantType}`);
    const basic = basicCredentials(req.headers.authorization);
    if (!basic) return oauthError(401, 'invalid_client', 'Client authentication with HTTP Basic is required');
    for (const account of Object.values(slice.subaccounts)) {
      if (account.landscape !== landscape) continue;
      const client = account.clients.find((c) => c.clientId === basic.user && sameSecret(c.clientSecret, basic.password));
      if (!client) continue;
      const accessToken = randomBytes(16).toString('hex');
      slice.tokens[tokenKey(accessToken)] = {
        subaccountKey: subaccountKey(account.landscape, account.subaccount),
        clientId: client.clientId,
        scopes: client.scopes,
        expiresAt: new Date(now.getTime() + NEO_TOKEN_LIFETIME_SECONDS * 1000).toISOString(),
      };
      for (const [key, token] of Object.entries(slice.tokens)) if (new Date(token.expiresAt) <= now) delete slice.tokens[key];
      return {
        status: 200,
        headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
        body: { access_token: accessToken, token_type: 'Bearer', expires_in: NEO_TOKEN_LIFETIME_SECONDS, scope: client.scopes.join(' ') },
      };
    }
    return oauthError(401, 'invalid_client', 'Bad credentials');
  }

  function authorize(req: SandboxRequest, slice: NeoSlice, key: string, account: NeoSubaccount | undefined, needs: NeoScope[], now: Date): SandboxResponse | undefined {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    const token = bearer ? slice.tokens[tokenKey(bearer[1])] : undefined;
    if (!token || new Date(token.expiresAt) <= now) return neoError(401, 'Missing, invalid or expired access token');
    if (!account) return neoError(404, `Subaccount ${key.split('/')[1]} not found on ${key.split('/')[0]}; use the subaccount technical name`);
    if (token.subaccountKey !== key) return neoError(403, `The OAuth client is not authorized for subaccount ${account.subaccount}`);
    const missing = needs.filter((scope) => !token.scopes.includes(scope));
    if (missing.length > 0) return neoError(403, `Insufficient scope: the OAuth client lacks ${missing.join(', ')}`);
    return undefined;
  }

  return {
    name: 'neo',
    matchHost(host) {
      const match = HOST.exec(host);
      return match?.groups ? { landscape: match.groups.landscape, prefix: match.groups.prefix } : undefined;
    },
    initialState: () => ({ subaccounts: {}, tokens: {} }),
    seed(slice, seed) {
      for (const s of NeoSeed.parse(seedSection(seed))) {
        slice.subaccounts[subaccountKey(s.landscape, s.subaccount)] = {
          landscape: s.landscape,
          subaccount: s.subaccount,
          clients: s.clients,
          trust: s.trust ?? defaultTrustConfiguration(s.landscape, s.subaccount),
        };
      }
    },
    describe(slice) {
      return Object.fromEntries(
        Object.entries(slice.subaccounts).map(([key, a]) => [
          key,
          {
            clients: a.clients.map((c) => ({ clientId: c.clientId, clientSecret: mask(c.clientSecret), scopes: c.scopes })),
            trust: a.trust.localServiceProvider?.signingKey
              ? { ...a.trust, localServiceProvider: { ...a.trust.localServiceProvider, signingKey: '****' } }
              : a.trust,
            switches: a.switches ?? {},
            tooManyRequests: limited.get(key) ?? 0,
          },
        ]),
      );
    },
    applySwitches(slice, subaccount, switches) {
      const accounts = Object.values(slice.subaccounts).filter((a) => a.subaccount === subaccount);
      if (accounts.length === 0) return undefined;
      const parsed = NeoSwitches.safeParse(switches);
      if (!parsed.success) {
        return { status: 400, body: { error: 'invalid request', fields: parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message })) } };
      }
      for (const a of accounts) a.switches = { ...(a.switches ?? {}), ...parsed.data };
      return { status: 200, body: { subaccount, switches: accounts[0].switches } };
    },
    handle(req, slice, ctx) {
      const landscape = ctx.hostParams.landscape ?? '';
      const now = ctx.now();
      if (req.path === '/oauth2/apitoken/v1' && ctx.hostParams.prefix !== 'apissecurity') {
        if (req.method !== 'POST') return neoError(405, `Method ${req.method} is not allowed`);
        const answer = issueToken(req, slice, landscape, now);
        if (answer.status === 200) ctx.changed();
        return answer;
      }
      const trust = TRUST.exec(req.path);
      if (!trust?.groups) return neoError(404, `No resource at ${req.path}`);
      const subaccount = decodeURIComponent(trust.groups.subaccount);
      const key = subaccountKey(landscape, subaccount);
      const account = slice.subaccounts[key];
      const switches = account?.switches ?? {};
      const tooMany = rateLimited(key, now, !switches.noRetryAfter, switches.requestsPerMinute);
      if (tooMany) return tooMany;
      if (req.method === 'GET') {
        const refused = authorize(req, slice, key, account, ['hcp.readTrustSettings'], now);
        if (refused) return refused;
        if (switches.notFoundForDefault && account!.trust.configurationType === 'Default') {
          return neoError(404, `Subaccount ${subaccount} has no custom trust configuration`);
        }
        return { status: 200, headers: { 'content-type': 'application/json' }, body: account!.trust };
      }
      if (req.method === 'PUT') {
        const refused = authorize(req, slice, key, account, ['hcp.readTrustSettings', 'hcp.manageTrustSettings'], now);
        if (refused) return refused;
        let json: unknown;
        try {
          json = JSON.parse(req.body.toString('utf8'));
        } catch {
          return neoError(400, 'Invalid trust configuration: the body is not valid JSON');
        }
        const parsed = TrustConfiguration.safeParse(json);
        if (!parsed.success) return neoError(400, `Invalid trust configuration: ${describeProblems(parsed.error)}`);
        const idps = parsed.data.applicationIdentityProviders?.identityProviders ?? [];
        if (switches.dropLastIdentityProviderOnImport && idps.length > 0) {
          switches.dropLastIdentityProviderOnImport -= 1;
          account!.trust = { ...parsed.data, applicationIdentityProviders: { identityProviders: idps.slice(0, -1) } };
        } else {
          account!.trust = parsed.data;
        }
        ctx.changed();
        if (switches.failImportsAfterWrite) {
          switches.failImportsAfterWrite -= 1;
          return neoServerError('Internal error while importing the trust configuration');
        }
        return { status: NEO_IMPORT_SUCCESS_STATUS };
      }
      return neoError(405, `Method ${req.method} is not allowed`);
    },
  };
}

export const neoService = createNeoService();
