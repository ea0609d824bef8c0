/**
 * The sandbox's seeded Destination service keys are what BTP issues (contracts A.1): the identity
 * zone is the subdomain, the tenant is the subaccount, the hosts are the region's. A seed that
 * breaks this would let the product's service-key checks pass or fail for the wrong reason.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SubaccountSeed } from '../../../sandbox/btp/btpState';

const defaultSeed = JSON.parse(readFileSync(path.join(__dirname, '../../../sandbox/seed.default.json'), 'utf8'));
const seeded = defaultSeed.subaccounts[0];

const issues = (patch: Record<string, unknown>) => {
  const parsed = SubaccountSeed.safeParse({ ...seeded, serviceKey: { ...seeded.serviceKey, ...patch } });
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('sandbox subaccount seed', () => {
  it('the default seed is a faithful key: tenantid, subaccountid and identityzoneid are the GUID, identityzone the subdomain', () => {
    expect(issues({})).toEqual([]);
    expect(seeded.serviceKey.tenantid).toBe(seeded.guid);
    expect(seeded.serviceKey.identityzone).toBe(seeded.subdomain);
  });

  it.each([
    ['tenantid of another subaccount', { tenantid: '11111111-1111-4111-8111-111111111111' }, 'serviceKey.tenantid: must be the subaccount GUID'],
    ['subaccountid of another subaccount', { subaccountid: '11111111-1111-4111-8111-111111111111' }, 'serviceKey.subaccountid: must be the subaccount GUID'],
    ['identityzone that is not the subdomain', { identityzone: 'other' }, 'serviceKey.identityzone: must be the subdomain sandbox-sub'],
    ['uaadomain of another region', { uaadomain: 'authentication.us10.hana.ondemand.com' }, 'serviceKey.uaadomain: must be authentication.eu10.hana.ondemand.com'],
    ['url of an app route', { url: 'https://evil-app.cfapps.eu10.hana.ondemand.com' }, 'serviceKey.url: must be https://sandbox-sub.authentication.eu10.hana.ondemand.com'],
  ])('refuses a key with %s', (_what, patch, message) => {
    expect(issues(patch).join('\n')).toContain(message);
  });
});
