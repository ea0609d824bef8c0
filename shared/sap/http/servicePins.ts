/**
 * Every host a secret is sent to, pinned to the exact name of the SAP service that should get it
 * (DESIGN §4.6). The general allowlist (allowlist.ts) admits `*.hana.ondemand.com`, which holds every
 * Cloud Foundry app route (`<app>.cfapps.<region>.hana.ondemand.com`), and `*.accounts.ondemand.com`,
 * which holds every IAS tenant; a client secret, a bearer token or a password must not go to any
 * host there, only to the one service it belongs to.
 *
 * | secret | goes to | pinned to |
 * |---|---|---|
 * | Destination service key `clientid`/`clientsecret` | `url` + `/oauth/token` | `<subdomain>.authentication.<region domain>` |
 * | XSUAA token (and the destinations it reads, with the communication user's password) | `uri` | `destination-configuration.cfapps.<region domain>` |
 * | SAP_COM_0A48 user and password; the SAML bearer assertion (tokenServiceURL) | S/4 API host | `<tenant>-api.s4hana.ondemand.com`, `<tenant>-api.s4hana.cloud.sap` |
 * | IAS API client secret | `https://<tenant host>/oauth2/token` | `<tenant>.accounts.ondemand.com`, `<tenant>.accounts.cloud.sap` |
 * | Neo Platform API client secret | `https://<api host>/oauth2/apitoken/v1` | `api.<neo landscape>`, `apissecurity.<neo landscape>` |
 *
 * Sources:
 * - Region domains: SAP-docs/btp-cloud-platform docs/10-concepts/
 *   regions-and-api-endpoints-available-for-the-cloud-foundry-environment-f344a57.md (commit 00e5e107):
 *   every Cloud Foundry region's domain is `<region>.hana.ondemand.com` (eu10, eu10-002…004, us10,
 *   us10-001/-002, eu20, ap21, cn40 …), except China (Shanghai) cn40: `cn40.platform.sapcloud.cn`.
 *   Extension landscapes (`eu10-004`) belong to their region (`eu10`), whose XSUAA and Destination
 *   service they use, so a request for `eu10-004` also accepts the `eu10` hosts.
 * - XSUAA and Destination service hosts: contracts A.1/A.2 (S-CONN calling-the-destination-service-
 *   rest-api-84c5d38.md): `url` = `https://<subdomain>.authentication.<region>.hana.ondemand.com`,
 *   `uri` = `https://destination-configuration.cfapps.<region>.hana.ondemand.com`; S-DSPEC token URL
 *   `https://{identity zone}.authentication.{host}/oauth/token`. China: SAP's docs give only the
 *   domain; `<sub>.authentication.cn40.platform.sapcloud.cn` is seen in public SAP Analytics Cloud
 *   configurations (UNCONFIRMED by an SAP page, pinned by the same rule as every other region).
 * - Not accepted, on purpose: `*.authentication.sap.hana.ondemand.com` (SAP's internal landscape,
 *   in no customer region table), `*.authentication.cert.<region>…` (the mTLS `certurl`, which this
 *   product does not use), and any `*.cloud.sap` XSUAA host (no SAP page documents one).
 * - S/4HANA Cloud: contracts B.2 (S-CP how-to-create-a-communication-arrangement-a0771f6.md: "Always
 *   use the API hostname … including the "-api" suffix"; 3P-S4API: `my438741-api.s4hana.cloud.sap`).
 *   `SAP_HOST_ALLOWLIST_EXTRA` may add S/4 hosts: the S/4 host is the administrator's own choice in
 *   the request, and that setting is where the administrator widens it (e.g. a lab system).
 * - IAS: contracts C.1 (S-CIS token endpoint `https://<tenant>.accounts.ondemand.com/oauth2/token`,
 *   also `*.accounts.cloud.sap`).
 * - Neo: contracts D and its 2026-12 update (SAP doc: `api.<host>`; SAP's own sample:
 *   `apissecurity.<host>`), hosts `hana.ondemand.com`, `eu2.hana.ondemand.com`, `us1.hana.ondemand.com`
 *   …: Neo region codes are two letters and one digit, unlike Cloud Foundry's two digits.
 *
 * The pins take no extra patterns for XSUAA and the Destination service: a service key is not the
 * administrator's choice of host, and the issue this closes was a key pointing at an app route.
 */
import { SapError, type SapApi } from '../errors';
import { hostMatchesPattern } from './allowlist';

export type PinnedService = 'XSUAA' | 'Destination service' | 'S/4HANA Cloud API' | 'IAS tenant' | 'Neo platform API';

const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const CF_REGION = '[a-z]{2}[0-9]{2}(?:-[0-9]{3})?';
/** `(<region>).hana.ondemand.com` or China's `(cn40).platform.sapcloud.cn`; the region is captured. */
const CF_REGION_DOMAIN = `(?:(${CF_REGION})\\.hana\\.ondemand\\.com|(cn40)\\.platform\\.sapcloud\\.cn)`;

const XSUAA_HOST = new RegExp(`^(${LABEL})\\.authentication\\.${CF_REGION_DOMAIN}$`);
const DESTINATION_HOST = new RegExp(`^destination-configuration\\.cfapps\\.${CF_REGION_DOMAIN}$`);
const S4_API_HOST = new RegExp(`^(${LABEL})-api\\.s4hana\\.(?:ondemand\\.com|cloud\\.sap)$`);
const IAS_TENANT_HOST = new RegExp(`^(${LABEL})\\.accounts\\.(?:ondemand\\.com|cloud\\.sap)$`);
const NEO_API_HOST = /^(?:api|apissecurity)\.(?:[a-z]{2}[0-9]\.)?hana\.ondemand\.com$/;

/** The domain of a Cloud Foundry region: `eu10.hana.ondemand.com`, `cn40.platform.sapcloud.cn`. */
export function regionDomain(region: string): string {
  return region === 'cn40' ? 'cn40.platform.sapcloud.cn' : `${region}.hana.ondemand.com`;
}

/** `eu10-004` → `eu10`: an extension landscape uses its region's XSUAA and Destination service. */
export function baseRegion(region: string): string {
  return region.replace(/-[0-9]{3}$/, '');
}

/** The regions whose service hosts a request for `region` may use: itself and its base region. */
export function acceptedRegions(region: string): string[] {
  return [...new Set([region, baseRegion(region)])];
}

export const xsuaaHost = (subdomain: string, region: string) => `${subdomain}.authentication.${regionDomain(region)}`;
export const destinationServiceHost = (region: string) => `destination-configuration.cfapps.${regionDomain(region)}`;

export type PinResult<T> = { ok: true; host: string } & T | { ok: false; problem: string };

/**
 * A service base URL as a service key holds it: `https://<host>` and nothing else. User info, a
 * port, a path, a query or a trailing dot in the host are refused: none of them is in a key BTP
 * issues, and each could make "the same host" mean another one to some layer.
 */
export function serviceUrlHost(url: string): { ok: true; host: string } | { ok: false; problem: string } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { ok: false, problem: 'is not a URL' };
  }
  if (u.protocol !== 'https:') return { ok: false, problem: `uses ${u.protocol.replace(/:$/, '')}, not https` };
  if (u.username || u.password) return { ok: false, problem: 'has user information before the host name' };
  if (u.port) return { ok: false, problem: `names port ${u.port}` };
  if (u.pathname !== '/' || u.search || u.hash) return { ok: false, problem: 'has a path, query or fragment after the host name' };
  if (u.hostname.endsWith('.')) return { ok: false, problem: 'ends the host name with a dot' };
  return { ok: true, host: u.hostname };
}

/** `<subdomain>.authentication.<region domain>`: where a Destination service key's secret may go. */
export function matchXsuaaHost(host: string): PinResult<{ subdomain: string; region: string }> {
  const m = XSUAA_HOST.exec(host);
  if (!m) return { ok: false, problem: `${host} is not an XSUAA host (<subdomain>.authentication.<region>.hana.ondemand.com)` };
  return { ok: true, host, subdomain: m[1], region: m[2] ?? m[3] };
}

/** `destination-configuration.cfapps.<region domain>`: where the XSUAA token may go. */
export function matchDestinationServiceHost(host: string): PinResult<{ region: string }> {
  const m = DESTINATION_HOST.exec(host);
  if (!m) return { ok: false, problem: `${host} is not a Destination service host (destination-configuration.cfapps.<region>.hana.ondemand.com)` };
  return { ok: true, host, region: m[1] ?? m[2] };
}

/** `<tenant>-api.s4hana.ondemand.com` / `.s4hana.cloud.sap`, or a host the settings add. */
export function matchS4ApiHost(host: string, extraPatterns: readonly string[] = []): PinResult<object> {
  if (S4_API_HOST.test(host) || extraPatterns.some((p) => hostMatchesPattern(host, p))) return { ok: true, host };
  return { ok: false, problem: `${host} is not an S/4HANA Cloud API host (<tenant>-api.s4hana.ondemand.com or <tenant>-api.s4hana.cloud.sap)` };
}

/** `<tenant>.accounts.ondemand.com` / `<tenant>.accounts.cloud.sap`. */
export function matchIasTenantHost(host: string): PinResult<object> {
  if (IAS_TENANT_HOST.test(host)) return { ok: true, host };
  return { ok: false, problem: `${host} is not an IAS tenant host (<tenant>.accounts.ondemand.com or <tenant>.accounts.cloud.sap)` };
}

/** `api.<neo landscape>` or `apissecurity.<neo landscape>`. */
export function matchNeoPlatformApiHost(host: string): PinResult<object> {
  if (NEO_API_HOST.test(host)) return { ok: true, host };
  return { ok: false, problem: `${host} is not a Neo platform API host (api.<landscape>, e.g. api.eu2.hana.ondemand.com)` };
}

const API_OF: Record<PinnedService, SapApi> = {
  XSUAA: 'Xsuaa',
  'Destination service': 'Destination',
  'S/4HANA Cloud API': 'S4',
  'IAS tenant': 'Ias',
  'Neo platform API': 'Neo',
};

/** Refused by a client before any I/O: it was asked to send a secret to a host outside its pin. */
export class ServicePinError extends SapError {
  constructor(
    readonly service: PinnedService,
    host: string,
    readonly problem: string,
  ) {
    super({ api: API_OF[service], kind: 'Invalid', system: host, operation: 'send credentials', sapMessage: `refused to send credentials: ${problem}` });
  }
}

/** For clients: the host of a service base URL (a service key's `url`/`uri`) when it is pinned, else a ServicePinError. */
export function assertPinnedUrl(service: PinnedService, url: string, match: (host: string) => PinResult<object>): string {
  const parsed = serviceUrlHost(url);
  if (!parsed.ok) throw new ServicePinError(service, `(${service} URL)`, `the ${service} URL ${parsed.problem}`);
  return assertPinnedHost(service, parsed.host, match);
}

/** For clients: `host` when it is pinned, else a ServicePinError. */
export function assertPinnedHost(service: PinnedService, host: string, match: (host: string) => PinResult<object>): string {
  const pinned = match(host);
  if (!pinned.ok) throw new ServicePinError(service, host, pinned.problem);
  return host;
}
