/**
 * SAP BTP (Cloud Foundry) for any number of subaccounts: the XSUAA token endpoint and the
 * Destination service (contracts A.1–A.6). One service with one slice, because the Destination
 * service accepts exactly the tokens XSUAA issued and finds the subaccount from the token.
 */
import type { SandboxContext, SandboxRequest, SandboxResponse, SandboxService } from '../core/service';
import { BtpSeed, MASK, maskSecrets, SubaccountSettingsInput, tokenHash, type BtpSlice, type Subaccount } from './btpState';
import { destinationError } from './destinationResponses';
import { handleFindDestination } from './findDestination';
import { handleSubaccountDestinations } from './subaccountDestinations';
import { certificateSummary, generateTrustKeyPair, trustKeyBits } from './trustCertificate';
import { handleTrust } from './trustEndpoints';
import { handleXsuaa, uaaError } from './xsuaaToken';

const XSUAA_HOST = /^(?<subdomain>[a-z0-9][a-z0-9-]*)\.authentication\.(?<region>[a-z]{2}\d{1,3}(?:-\d{3})?)\.hana\.ondemand\.com$/;
const DESTINATION_HOST = /^destination-configuration\.cfapps\.(?<region>[a-z]{2}\d{1,3}(?:-\d{3})?)\.hana\.ondemand\.com$/;

function authenticate(req: SandboxRequest, slice: BtpSlice, region: string, now: Date): Subaccount | SandboxResponse {
  const header = req.headers.authorization ?? '';
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  const unauthorized = destinationError(401, 'Unauthorized', { 'www-authenticate': 'Bearer realm="destination-configuration"' });
  if (!m) return unauthorized;
  const token = slice.tokens[tokenHash(m[1])];
  if (!token || new Date(token.expiresAt) <= now) return unauthorized;
  const sub = slice.subaccounts[token.subaccount];
  if (!sub || sub.region !== region) return unauthorized;
  return sub;
}

function seedSubaccounts(slice: BtpSlice, seed: unknown, now = new Date()): void {
  const parsed = BtpSeed.parse(seed ?? {});
  for (const s of parsed.subaccounts ?? []) {
    const sub: Subaccount = {
      guid: s.guid,
      region: s.region,
      subdomain: s.subdomain,
      ...(s.displayName ? { displayName: s.displayName } : {}),
      serviceKey: s.serviceKey,
      destinations: {},
      ...(s.trustCertificateKeyBits ? { trustCertificateKeyBits: s.trustCertificateKeyBits } : {}),
      ...(s.trustCertificateValiditySeconds ? { trustCertificateValiditySeconds: s.trustCertificateValiditySeconds } : {}),
    };
    if (s.trustCertificate !== 'none') sub.active = s.activeKeyPair ?? generateTrustKeyPair(sub, now);
    if (s.trustCertificate === 'activeAndPassive') sub.passive = generateTrustKeyPair(sub, now);
    for (const d of s.destinations) {
      sub.destinations[d.Name] = { properties: d, etag: `"seed-${Buffer.from(d.Name).toString('hex')}"`, modifiedAt: now.toISOString() };
    }
    slice.subaccounts[s.guid] = sub;
  }
}

function settingsOf(s: Subaccount): { trustCertificateKeyBits: number; trustCertificateValiditySeconds: number | null } {
  return { trustCertificateKeyBits: trustKeyBits(s), trustCertificateValiditySeconds: s.trustCertificateValiditySeconds ?? null };
}

function applySubaccountSettings(slice: BtpSlice, guid: string, body: unknown): SandboxResponse | undefined {
  const sub = slice.subaccounts[guid];
  if (!sub) return undefined;
  const parsed = SubaccountSettingsInput.safeParse(body);
  if (!parsed.success) {
    return { status: 400, body: { error: 'invalid request', fields: parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message })) } };
  }
  for (const [key, value] of Object.entries(parsed.data) as [keyof typeof parsed.data, number | null | undefined][]) {
    if (value === null) delete sub[key];
    else if (value !== undefined) (sub as unknown as Record<string, number>)[key] = value;
  }
  return { status: 200, body: { subaccount: guid, settings: settingsOf(sub) } };
}

function describe(slice: BtpSlice, at = new Date()): unknown {
  const now = at.getTime();
  return {
    subaccounts: Object.values(slice.subaccounts).map((s) => ({
      guid: s.guid,
      region: s.region,
      subdomain: s.subdomain,
      displayName: s.displayName,
      settings: settingsOf(s),
      serviceKey: { ...maskSecrets(s.serviceKey), clientsecret: MASK },
      trustCertificate: {
        active: s.active ? certificateSummary(s.active.certificatePem) : null,
        passive: s.passive ? certificateSummary(s.passive.certificatePem) : null,
      },
      destinations: Object.values(s.destinations).map((d) => ({ ...maskSecrets(d.properties), '@etag': d.etag, '@modifiedAt': d.modifiedAt })),
    })),
    activeTokens: Object.values(slice.tokens).filter((t) => new Date(t.expiresAt).getTime() > now).length,
  };
}

export const btpService: SandboxService<BtpSlice> = {
  name: 'btp',
  matchHost(host): Record<string, string> | undefined {
    const xsuaa = XSUAA_HOST.exec(host);
    if (xsuaa?.groups) return { api: 'xsuaa', subdomain: xsuaa.groups.subdomain, region: xsuaa.groups.region };
    const dest = DESTINATION_HOST.exec(host);
    if (dest?.groups) return { api: 'destination', region: dest.groups.region };
    return undefined;
  },
  initialState: () => ({ subaccounts: {}, tokens: {} }),
  seed: seedSubaccounts,
  describe,
  applySubaccountSettings,
  async handle(req: SandboxRequest, slice: BtpSlice, ctx: SandboxContext): Promise<SandboxResponse> {
    const now = ctx.now();
    if (ctx.hostParams.api === 'xsuaa') {
      const answer = handleXsuaa(req, slice, { subdomain: ctx.hostParams.subdomain, region: ctx.hostParams.region }, now);
      if (answer.status === 200) ctx.changed();
      return answer;
    }
    if (!req.path.startsWith('/destination-configuration/v1/')) return destinationError(404, 'Not Found');
    const sub = authenticate(req, slice, ctx.hostParams.region, now);
    if (!('guid' in sub)) return sub;
    const answer =
      (req.path.startsWith('/destination-configuration/v1/saml2Metadata') ? await handleTrust(sub, req, now, ctx.changed) : undefined) ??
      (req.path.startsWith('/destination-configuration/v1/subaccountDestinations') ? handleSubaccountDestinations(sub, req, now) : undefined) ??
      (await handleFindDestination(sub, req, ctx.outboundAgent, now));
    return answer ?? destinationError(404, 'Not Found');
  },
  errorResponse(status, message, host) {
    if (host && XSUAA_HOST.test(host)) return uaaError(status, status === 429 ? 'too_many_requests' : 'server_error', message);
    return destinationError(status, message);
  },
};
