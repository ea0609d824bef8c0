/**
 * Does a Destination service key belong to the subaccount and region a request names? Checked when
 * the request arrives (422, shared/schemas/secretReferences.ts) and again where the Destination
 * service client is built (shared/workflow/stepDependencies.ts), because the stored key can change in
 * between. One check, two callers.
 *
 * What a key says about itself (contracts A.1; sandbox/seed.default.json; SAP's XSUAA credentials
 * carry `identityzone`, `identityzoneid`, `tenantid`, `subaccountid`, `zoneid`):
 * - `url`: `https://<subdomain>.authentication.<region domain>`, the XSUAA of the subaccount's
 *   identity zone; the client secret goes there (servicePins.ts).
 * - `uri`: `https://destination-configuration.cfapps.<region domain>`; the token goes there.
 * - `identityzone`: the subaccount's subdomain, the first label of `url`.
 * - `subaccountid` (newer keys) / `tenantid`: the subaccount's GUID. `tenantid` is the identity zone
 *   (tenant) ID, which BTP gives the GUID of the subaccount it belongs to; `subaccountid`, where a
 *   key has it, names the subaccount directly and is preferred.
 */
import {
  acceptedRegions,
  destinationServiceHost,
  matchDestinationServiceHost,
  matchXsuaaHost,
  regionDomain,
  serviceUrlHost,
} from '../http/servicePins';
import type { DestinationServiceKey } from './serviceKey';

export interface ServiceKeyTarget {
  region: string;
  subaccountId: string;
}

export interface ServiceKeyMismatch {
  field: 'url' | 'uri' | 'identityzone' | 'subaccountid' | 'tenantid';
  /** What the key holds there, in words safe to show (host names, GUIDs; never a secret). */
  holds: string;
  expected: string;
  /**
   * foreignHost: not the pinned service at all; otherRegion: the service of another region
   * (`keyRegion`); otherSubaccount / noSubaccount / otherZone: the key names another subaccount.
   */
  reason: 'foreignHost' | 'otherRegion' | 'otherSubaccount' | 'noSubaccount' | 'otherZone';
  keyRegion?: string;
}

export interface ServiceKeyMisfit {
  /** `ServiceHostNotPinned` when a secret would go elsewhere; `ServiceKeyOfOtherSubaccount` otherwise. */
  kind: 'ServiceHostNotPinned' | 'ServiceKeyOfOtherSubaccount';
  mismatches: ServiceKeyMismatch[];
  /** "does not belong to subaccount … in region …: url holds …, expected …". */
  problem: string;
  fix: string;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export function serviceKeyMismatches(key: DestinationServiceKey, target: ServiceKeyTarget): ServiceKeyMismatch[] {
  const regions = acceptedRegions(target.region);
  const domain = regionDomain(target.region);
  const out: ServiceKeyMismatch[] = [];

  let subdomain: string | undefined;
  const url = serviceUrlHost(key.url);
  const expectedXsuaa = `<subdomain>.authentication.${domain}`;
  if (!url.ok) {
    out.push({ field: 'url', holds: `a URL that ${url.problem}`, expected: `https://${expectedXsuaa}`, reason: 'foreignHost' });
  } else {
    const xsuaa = matchXsuaaHost(url.host);
    if (!xsuaa.ok) out.push({ field: 'url', holds: url.host, expected: expectedXsuaa, reason: 'foreignHost' });
    else if (!regions.includes(xsuaa.region)) {
      out.push({ field: 'url', holds: `${url.host} (region ${xsuaa.region})`, expected: `${xsuaa.subdomain}.authentication.${domain}`, reason: 'otherRegion', keyRegion: xsuaa.region });
    }
    else subdomain = xsuaa.subdomain;
  }

  const uri = serviceUrlHost(key.uri);
  const expectedDestination = destinationServiceHost(target.region);
  if (!uri.ok) {
    out.push({ field: 'uri', holds: `a URL that ${uri.problem}`, expected: `https://${expectedDestination}`, reason: 'foreignHost' });
  } else {
    const destination = matchDestinationServiceHost(uri.host);
    if (!destination.ok) out.push({ field: 'uri', holds: uri.host, expected: expectedDestination, reason: 'foreignHost' });
    else if (!regions.includes(destination.region)) {
      out.push({ field: 'uri', holds: `${uri.host} (region ${destination.region})`, expected: expectedDestination, reason: 'otherRegion', keyRegion: destination.region });
    }
  }

  const zone = typeof key.identityzone === 'string' ? key.identityzone : undefined;
  if (zone !== undefined && subdomain !== undefined && !same(zone, subdomain)) {
    out.push({ field: 'identityzone', holds: zone, expected: `${subdomain} (the subdomain in url)`, reason: 'otherZone' });
  }

  const subaccountField = typeof key.subaccountid === 'string' ? 'subaccountid' : 'tenantid';
  const keySubaccount = typeof key[subaccountField] === 'string' ? (key[subaccountField] as string) : undefined;
  if (keySubaccount === undefined) {
    out.push({ field: 'tenantid', holds: 'nothing (the field is missing)', expected: target.subaccountId, reason: 'noSubaccount' });
  } else if (!same(keySubaccount, target.subaccountId)) {
    out.push({ field: subaccountField, holds: keySubaccount, expected: target.subaccountId, reason: 'otherSubaccount' });
  }
  return out;
}

/** undefined when the key fits; otherwise what is wrong and what to do, in an administrator's words. */
export function serviceKeyMisfit(secretName: string, key: DestinationServiceKey, target: ServiceKeyTarget): ServiceKeyMisfit | undefined {
  const mismatches = serviceKeyMismatches(key, target);
  if (mismatches.length === 0) return undefined;
  const where = `subaccount ${target.subaccountId} in region ${target.region}`;
  const problem = `is not the Destination service key of ${where}: ${mismatches.map((m) => `${m.field} holds ${m.holds}, expected ${m.expected}`).join('; ')}`;
  const store = `store the Destination service key of ${where} exactly as the BTP cockpit shows it with PUT /api/credentials/${secretName}`;

  const otherRegion = mismatches.find((m) => m.reason === 'otherRegion');
  const otherSubaccount = mismatches.find((m) => m.reason === 'otherSubaccount');
  const fixes: string[] = [];
  if (mismatches.some((m) => m.reason === 'foreignHost')) {
    fixes.push(
      `${cap(store)}: its url and uri receive the client secret and the access token, so only the XSUAA and Destination service hosts of region ${target.region} are accepted.`,
    );
  } else {
    if (otherSubaccount) fixes.push(`${cap(store)}, or correct btp.subaccountId if subaccount ${otherSubaccount.holds} is the one to connect.`);
    if (otherRegion) {
      const { keyRegion } = otherRegion;
      fixes.push(otherSubaccount ? `Correct btp.region to ${keyRegion} as well if that key is the right one.` : `Correct btp.region to ${keyRegion} if the subaccount is there, or ${store}.`);
    }
    if (fixes.length === 0) fixes.push(`${cap(store)}.`);
  }
  return {
    kind: mismatches.some((m) => m.reason === 'foreignHost' || m.reason === 'otherRegion') ? 'ServiceHostNotPinned' : 'ServiceKeyOfOtherSubaccount',
    mismatches,
    problem,
    fix: fixes.join(' '),
  };
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
