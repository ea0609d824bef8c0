/**
 * Issue 7 item 2: every host a secret goes to is pinned to its exact service pattern. One table per
 * pin: the hosts SAP documents are accepted, look-alikes are refused.
 */
import { createDestinationServiceClient } from '../../../shared/sap/destination';
import { SapError } from '../../../shared/sap/errors';
import {
  acceptedRegions,
  matchDestinationServiceHost,
  matchIasTenantHost,
  matchNeoPlatformApiHost,
  matchS4ApiHost,
  matchXsuaaHost,
  regionDomain,
  serviceUrlHost,
  ServicePinError,
} from '../../../shared/sap/http/servicePins';
import { createIasTokenProvider } from '../../../shared/sap/ias/iasToken';
import { createNeoTokenProvider } from '../../../shared/sap/neo/neoToken';
import { createXsuaaTokenClient } from '../../../shared/sap/xsuaa';

const hostOf = (url: string) => {
  const parsed = serviceUrlHost(url);
  return parsed.ok ? parsed.host : undefined;
};

describe('XSUAA pin: <subdomain>.authentication.<region domain>', () => {
  it.each([
    ['mysub.authentication.eu10.hana.ondemand.com', 'mysub', 'eu10'],
    ['my-sub-1.authentication.us21.hana.ondemand.com', 'my-sub-1', 'us21'],
    ['mysub.authentication.eu10-004.hana.ondemand.com', 'mysub', 'eu10-004'],
    ['mysub.authentication.cn40.platform.sapcloud.cn', 'mysub', 'cn40'],
  ])('accepts %s (subdomain %s, region %s)', (host, subdomain, region) => {
    expect(matchXsuaaHost(host)).toEqual({ ok: true, host, subdomain, region });
  });

  it.each([
    ['a Cloud Foundry app route', 'evil-app.cfapps.eu10.hana.ondemand.com'],
    ['an XSUAA name below an app route', 'mysub.authentication.cfapps.eu10.hana.ondemand.com'],
    ['an XSUAA name with a foreign suffix', 'mysub.authentication.eu10.hana.ondemand.com.evil.com'],
    ['an IAS tenant', 'mysub.accounts.ondemand.com'],
    ['the mTLS certurl host (not used by this product)', 'mysub.authentication.cert.eu10.hana.ondemand.com'],
    ["SAP's internal landscape", 'mysub.authentication.sap.hana.ondemand.com'],
    ['a host without a subdomain', 'authentication.eu10.hana.ondemand.com'],
    ['two labels before authentication', 'a.b.authentication.eu10.hana.ondemand.com'],
    ['a .cloud.sap name no SAP page documents', 'mysub.authentication.eu10.cloud.sap'],
    ['a China name for another region', 'mysub.authentication.cn41.platform.sapcloud.cn'],
  ])('refuses %s: %s', (_why, host) => {
    const result = matchXsuaaHost(host);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem).toContain('is not an XSUAA host');
  });
});

describe('Destination service pin: destination-configuration.cfapps.<region domain>', () => {
  it.each([
    ['destination-configuration.cfapps.eu10.hana.ondemand.com', 'eu10'],
    ['destination-configuration.cfapps.ap21.hana.ondemand.com', 'ap21'],
    ['destination-configuration.cfapps.cn40.platform.sapcloud.cn', 'cn40'],
  ])('accepts %s (region %s)', (host, region) => {
    expect(matchDestinationServiceHost(host)).toEqual({ ok: true, host, region });
  });

  it.each([
    ['another app route in the same domain', 'evil-app.cfapps.eu10.hana.ondemand.com'],
    ['the service name with a foreign suffix', 'destination-configuration.cfapps.eu10.hana.ondemand.com.evil.com'],
    ['the service name as a subdomain of an app route', 'destination-configuration.evil-app.cfapps.eu10.hana.ondemand.com'],
    ['a look-alike service name', 'destination-configuration-x.cfapps.eu10.hana.ondemand.com'],
    ['the XSUAA host', 'mysub.authentication.eu10.hana.ondemand.com'],
  ])('refuses %s: %s', (_why, host) => {
    expect(matchDestinationServiceHost(host).ok).toBe(false);
  });
});

describe('S/4HANA Cloud API pin: <tenant>-api.s4hana.ondemand.com / .s4hana.cloud.sap', () => {
  it.each(['my100001-api.s4hana.ondemand.com', 'my438741-api.s4hana.cloud.sap'])('accepts %s', (host) => {
    expect(matchS4ApiHost(host)).toEqual({ ok: true, host });
  });

  it.each([
    ['the UI host', 'my100001.s4hana.ondemand.com'],
    ['an app route', 'my100001-api.cfapps.eu10.hana.ondemand.com'],
    ['an extra label', 'my100001-api.evil.s4hana.ondemand.com'],
    ['a foreign suffix', 'my100001-api.s4hana.ondemand.com.evil.com'],
  ])('refuses %s: %s', (_why, host) => {
    expect(matchS4ApiHost(host).ok).toBe(false);
  });

  it('accepts what SAP_HOST_ALLOWLIST_EXTRA adds, and only that', () => {
    expect(matchS4ApiHost('my1-api.s4.example.test', ['*.s4.example.test']).ok).toBe(true);
    expect(matchS4ApiHost('my1-api.s4.example.test').ok).toBe(false);
  });
});

describe('IAS tenant pin: <tenant>.accounts.ondemand.com / .accounts.cloud.sap', () => {
  it.each(['mytenant.accounts.ondemand.com', 'mytenant.accounts.cloud.sap'])('accepts %s', (host) => {
    expect(matchIasTenantHost(host).ok).toBe(true);
  });

  it.each([
    ['an app route', 'mytenant.cfapps.eu10.hana.ondemand.com'],
    ['an extra label', 'evil.mytenant.accounts.ondemand.com'],
    ['a foreign suffix', 'mytenant.accounts.ondemand.com.evil.com'],
    ['the bare domain', 'accounts.ondemand.com'],
  ])('refuses %s: %s', (_why, host) => {
    expect(matchIasTenantHost(host).ok).toBe(false);
  });
});

describe('Neo platform API pin: api.<landscape> / apissecurity.<landscape>', () => {
  it.each(['api.hana.ondemand.com', 'api.eu2.hana.ondemand.com', 'apissecurity.us1.hana.ondemand.com'])('accepts %s', (host) => {
    expect(matchNeoPlatformApiHost(host).ok).toBe(true);
  });

  it.each([
    ['the Cloud Foundry API', 'api.cf.eu10.hana.ondemand.com'],
    ['an app route', 'api.cfapps.eu10.hana.ondemand.com'],
    ['a Cloud Foundry region (two digits)', 'api.eu10.hana.ondemand.com'],
    ['a foreign suffix', 'api.eu2.hana.ondemand.com.evil.com'],
  ])('refuses %s: %s', (_why, host) => {
    expect(matchNeoPlatformApiHost(host).ok).toBe(false);
  });
});

describe('service base URLs as a key holds them', () => {
  it('takes https://<host>, with or without a slash, and lower-cases the host', () => {
    expect(hostOf('https://mysub.authentication.eu10.hana.ondemand.com')).toBe('mysub.authentication.eu10.hana.ondemand.com');
    expect(hostOf('https://mysub.authentication.eu10.hana.ondemand.com/')).toBe('mysub.authentication.eu10.hana.ondemand.com');
    expect(hostOf('https://MySub.Authentication.EU10.hana.ondemand.com')).toBe('mysub.authentication.eu10.hana.ondemand.com');
  });

  it.each([
    ['user info that makes the real host evil.com', 'https://mysub.authentication.eu10.hana.ondemand.com@evil.com', /user information/],
    ['user info before the right host', 'https://evil.com@mysub.authentication.eu10.hana.ondemand.com', /user information/],
    ['a port', 'https://mysub.authentication.eu10.hana.ondemand.com:8443', /port 8443/],
    ['a trailing dot', 'https://mysub.authentication.eu10.hana.ondemand.com.', /dot/],
    ['a path', 'https://mysub.authentication.eu10.hana.ondemand.com/evil', /path/],
    ['a query', 'https://mysub.authentication.eu10.hana.ondemand.com?x=1', /query/],
    ['plain http', 'http://mysub.authentication.eu10.hana.ondemand.com', /http, not https/],
    ['no URL at all', 'mysub.authentication.eu10.hana.ondemand.com', /not a URL/],
  ])('refuses %s', (_why, url, problem) => {
    const parsed = serviceUrlHost(url);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem).toMatch(problem);
  });

  it('an explicit :443 is the default port and is accepted', () => {
    expect(hostOf('https://mysub.authentication.eu10.hana.ondemand.com:443')).toBe('mysub.authentication.eu10.hana.ondemand.com');
  });
});

describe('regions', () => {
  it('cn40 has its own domain; every other region is under hana.ondemand.com', () => {
    expect(regionDomain('cn40')).toBe('cn40.platform.sapcloud.cn');
    expect(regionDomain('eu10')).toBe('eu10.hana.ondemand.com');
  });

  it('an extension landscape accepts its base region, not the other way round', () => {
    expect(acceptedRegions('eu10-004')).toEqual(['eu10-004', 'eu10']);
    expect(acceptedRegions('eu10')).toEqual(['eu10']);
  });
});

describe('the clients refuse to send a secret outside the pin, before any I/O', () => {
  const options = { connectTo: '127.0.0.1:9', timeoutMs: 500 };
  const key = {
    clientid: 'sb-x',
    clientsecret: 'Pinned-Secret',
    url: 'https://mysub.authentication.eu10.hana.ondemand.com',
    uri: 'https://destination-configuration.cfapps.eu10.hana.ondemand.com',
  };

  const refusal = (build: () => unknown) => {
    try {
      build();
    } catch (e) {
      return e;
    }
    throw new Error('expected the client to refuse');
  };

  it('XSUAA token client: an app route as url', () => {
    const e = refusal(() => createXsuaaTokenClient({ serviceKey: { ...key, url: 'https://evil-app.cfapps.eu10.hana.ondemand.com' }, options }));
    expect(e).toBeInstanceOf(ServicePinError);
    expect(e).toBeInstanceOf(SapError);
    expect((e as SapError).system).toBe('evil-app.cfapps.eu10.hana.ondemand.com');
    expect((e as SapError).sapMessage).toContain('is not an XSUAA host');
    expect(String((e as Error).message)).not.toContain('Pinned-Secret');
  });

  it('Destination service client: an app route as uri', () => {
    const e = refusal(() => createDestinationServiceClient({ serviceKey: { ...key, uri: 'https://destination-configuration.cfapps.eu10.hana.ondemand.com.evil.com' }, options }));
    expect(e).toBeInstanceOf(ServicePinError);
    expect((e as SapError).api).toBe('Destination');
  });

  it('Destination service client: user info in url', () => {
    const e = refusal(() => createDestinationServiceClient({ serviceKey: { ...key, url: 'https://evil.com@mysub.authentication.eu10.hana.ondemand.com' }, options }));
    expect((e as SapError).sapMessage).toMatch(/user information/);
    expect((e as SapError).sapMessage).not.toContain('evil.com@');
  });

  it('IAS token provider: a host that is not an IAS tenant', () => {
    const e = refusal(() => createIasTokenProvider({ tenantHost: 'mytenant.cfapps.eu10.hana.ondemand.com', credentials: { clientId: 'c', clientSecret: 's' }, options }));
    expect(e).toBeInstanceOf(ServicePinError);
    expect((e as SapError).api).toBe('Ias');
  });

  it('Neo token provider: a landscape whose api host is a Cloud Foundry one', () => {
    const e = refusal(() => createNeoTokenProvider({ landscapeHost: 'cf.eu10.hana.ondemand.com', credentials: { clientId: 'c', clientSecret: 's' }, options }));
    expect(e).toBeInstanceOf(ServicePinError);
    expect((e as SapError).api).toBe('Neo');
  });
});
