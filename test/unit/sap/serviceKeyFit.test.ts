/**
 * Issue 7 items 2 and 12: a Destination service key must be the one of the request's subaccount and
 * region, with its url and uri on that region's XSUAA and Destination service. The same check runs
 * at request time (422) and in the activity; its words are the administrator's.
 */
import { serviceKeyMismatches, serviceKeyMisfit } from '../../../shared/sap/xsuaa/serviceKeyFit';
import type { DestinationServiceKey } from '../../../shared/sap/xsuaa/serviceKey';

const SUBACCOUNT = '32fceecc-9de8-4d87-95ee-1824f8a9e108';
const OTHER = '11111111-2222-4333-8444-555555555555';
const target = { region: 'eu10', subaccountId: SUBACCOUNT };

const key = (patch: Partial<DestinationServiceKey> & Record<string, unknown> = {}): DestinationServiceKey => ({
  clientid: 'sb-clone!b1|destination-xsappname!b404',
  clientsecret: 'Fit-Secret-Value',
  url: 'https://sandbox-sub.authentication.eu10.hana.ondemand.com',
  uri: 'https://destination-configuration.cfapps.eu10.hana.ondemand.com',
  uaadomain: 'authentication.eu10.hana.ondemand.com',
  identityzone: 'sandbox-sub',
  tenantid: SUBACCOUNT,
  ...patch,
});

describe('serviceKeyMismatches', () => {
  it('a key of the subaccount and region fits', () => {
    expect(serviceKeyMismatches(key(), target)).toEqual([]);
  });

  it('GUIDs compare without regard to case', () => {
    expect(serviceKeyMismatches(key({ tenantid: SUBACCOUNT.toUpperCase() }), target)).toEqual([]);
  });

  it('an eu10 key fits a request for the extension landscape eu10-004', () => {
    expect(serviceKeyMismatches(key(), { ...target, region: 'eu10-004' })).toEqual([]);
  });

  it('the url of an app route is a foreign host', () => {
    expect(serviceKeyMismatches(key({ url: 'https://evil-app.cfapps.eu10.hana.ondemand.com' }), target)).toEqual([
      { field: 'url', holds: 'evil-app.cfapps.eu10.hana.ondemand.com', expected: '<subdomain>.authentication.eu10.hana.ondemand.com', reason: 'foreignHost' },
    ]);
  });

  it('a uri with a foreign suffix is a foreign host', () => {
    expect(serviceKeyMismatches(key({ uri: 'https://destination-configuration.cfapps.eu10.hana.ondemand.com.evil.com' }), target)).toEqual([
      { field: 'uri', holds: 'destination-configuration.cfapps.eu10.hana.ondemand.com.evil.com', expected: 'destination-configuration.cfapps.eu10.hana.ondemand.com', reason: 'foreignHost' },
    ]);
  });

  it('a us10 key for an eu10 request: both hosts are of another region', () => {
    const us10 = key({ url: 'https://sandbox-sub.authentication.us10.hana.ondemand.com', uri: 'https://destination-configuration.cfapps.us10.hana.ondemand.com' });
    expect(serviceKeyMismatches(us10, target)).toEqual([
      { field: 'url', holds: 'sandbox-sub.authentication.us10.hana.ondemand.com (region us10)', expected: 'sandbox-sub.authentication.eu10.hana.ondemand.com', reason: 'otherRegion', keyRegion: 'us10' },
      { field: 'uri', holds: 'destination-configuration.cfapps.us10.hana.ondemand.com (region us10)', expected: 'destination-configuration.cfapps.eu10.hana.ondemand.com', reason: 'otherRegion', keyRegion: 'us10' },
    ]);
  });

  it('a key of another subaccount names its tenantid', () => {
    expect(serviceKeyMismatches(key({ tenantid: OTHER }), target)).toEqual([{ field: 'tenantid', holds: OTHER, expected: SUBACCOUNT, reason: 'otherSubaccount' }]);
  });

  it('subaccountid, where the key has it, decides over tenantid (the identity zone ID)', () => {
    expect(serviceKeyMismatches(key({ subaccountid: SUBACCOUNT, tenantid: OTHER }), target)).toEqual([]);
    expect(serviceKeyMismatches(key({ subaccountid: OTHER }), target)).toEqual([{ field: 'subaccountid', holds: OTHER, expected: SUBACCOUNT, reason: 'otherSubaccount' }]);
  });

  it('a key that does not say its subaccount cannot be proven to fit', () => {
    expect(serviceKeyMismatches(key({ tenantid: undefined }), target)).toEqual([
      { field: 'tenantid', holds: 'nothing (the field is missing)', expected: SUBACCOUNT, reason: 'noSubaccount' },
    ]);
  });

  it('an identityzone that is not the subdomain of url', () => {
    expect(serviceKeyMismatches(key({ identityzone: 'other-sub' }), target)).toEqual([
      { field: 'identityzone', holds: 'other-sub', expected: 'sandbox-sub (the subdomain in url)', reason: 'otherZone' },
    ]);
  });

  it('user info in url is described, not echoed', () => {
    const [m] = serviceKeyMismatches(key({ url: 'https://user:Leaked-Pw@sandbox-sub.authentication.eu10.hana.ondemand.com' }), target);
    expect(m).toMatchObject({ field: 'url', reason: 'foreignHost', holds: 'a URL that has user information before the host name' });
    expect(JSON.stringify(m)).not.toContain('Leaked-Pw');
  });
});

describe('serviceKeyMisfit: the words an administrator reads', () => {
  it('a foreign host: kind ServiceHostNotPinned, the field, what it holds, what was expected, and how to fix it', () => {
    const misfit = serviceKeyMisfit('btp-sub-key', key({ url: 'https://evil-app.cfapps.eu10.hana.ondemand.com' }), target)!;
    expect(misfit.kind).toBe('ServiceHostNotPinned');
    expect(misfit.problem).toBe(
      `is not the Destination service key of subaccount ${SUBACCOUNT} in region eu10: url holds evil-app.cfapps.eu10.hana.ondemand.com, expected <subdomain>.authentication.eu10.hana.ondemand.com`,
    );
    expect(misfit.fix).toContain(`Store the Destination service key of subaccount ${SUBACCOUNT} in region eu10 exactly as the BTP cockpit shows it with PUT /api/credentials/btp-sub-key`);
    expect(misfit.fix).toContain('client secret');
  });

  it('another region: the fix offers correcting btp.region to the key region', () => {
    const misfit = serviceKeyMisfit('btp-sub-key', key({ url: 'https://sandbox-sub.authentication.us10.hana.ondemand.com', uri: 'https://destination-configuration.cfapps.us10.hana.ondemand.com' }), target)!;
    expect(misfit.kind).toBe('ServiceHostNotPinned');
    expect(misfit.fix).toMatch(/^Correct btp\.region to us10 if the subaccount is there, or store the Destination service key of subaccount 32fceecc/);
  });

  it('another subaccount: kind ServiceKeyOfOtherSubaccount; the fix names both ways out', () => {
    const misfit = serviceKeyMisfit('btp-sub-key', key({ tenantid: OTHER }), { ...target, subaccountId: SUBACCOUNT })!;
    expect(misfit.kind).toBe('ServiceKeyOfOtherSubaccount');
    expect(misfit.problem).toContain(`tenantid holds ${OTHER}, expected ${SUBACCOUNT}`);
    expect(misfit.fix).toContain(`or correct btp.subaccountId if subaccount ${OTHER} is the one to connect`);
  });

  it('never carries the client secret', () => {
    const misfit = serviceKeyMisfit('k', key({ url: 'https://evil.example', tenantid: OTHER }), target)!;
    expect(JSON.stringify(misfit)).not.toContain('Fit-Secret-Value');
  });
});
