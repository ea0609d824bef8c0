import { prepareOnboarding, seededLandscape } from '../../../cli/sandboxOnboarding';
import { OnboardingRequest } from '../../../shared/schemas/onboardingRequest';
import { parseDestinationServiceKey } from '../../../shared/sap/xsuaa/serviceKey';
import { BootstrapUser } from '../../../shared/workflow/bootstrapUser';

const seed = {
  subaccounts: [
    {
      guid: '7b3c1e2a-4d5f-4a6b-9c8d-0e1f2a3b4c5d',
      region: 'eu10',
      subdomain: 'sandbox-dev',
      serviceKey: {
        clientid: 'sb-clone!b1|destination-xsappname!b404',
        clientsecret: 'seeded-client-secret',
        url: 'https://sandbox-dev.authentication.eu10.hana.ondemand.com',
        uri: 'https://destination-configuration.cfapps.eu10.hana.ondemand.com',
        identityzone: 'sandbox-dev',
      },
    },
  ],
  s4Tenants: [{ tenant: 'my100001', sid: 'SBX', bootstrapUser: { name: 'SAP_COM_0A48_BOOTSTRAP', password: 'seeded-password' } }],
};

describe('the onboarding of a seeded sandbox tenant', () => {
  const landscape = seededLandscape(seed);
  const prepared = prepareOnboarding(landscape.subaccounts[0], landscape.s4Tenants[0]);

  it('is a request the onboarding API accepts, naming the stored credentials', () => {
    const parsed = OnboardingRequest.safeParse(prepared.request);
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
    expect(prepared.request.s4.host).toBe('my100001-api.s4hana.ondemand.com');
    expect(prepared.credentials.map((c) => c.name)).toEqual([prepared.request.btp.destinationServiceKeySecret, prepared.request.s4.bootstrapUserSecret]);
  });

  it('stores the service key whole and the SAP_COM_0A48 user as {user, password}', () => {
    const [serviceKey, bootstrap] = prepared.credentials;
    expect(parseDestinationServiceKey(serviceKey.value).identityzone).toBe('sandbox-dev');
    expect(BootstrapUser.parse(bootstrap.value)).toEqual({ user: 'SAP_COM_0A48_BOOTSTRAP', password: 'seeded-password' });
  });

  it('never puts a credential value into the request or a description', () => {
    const visible = JSON.stringify([prepared.request, prepared.credentials.map((c) => [c.name, c.description])]);
    expect(visible).not.toContain('seeded-password');
    expect(visible).not.toContain('seeded-client-secret');
  });

  it('names what is missing in a seed without a subaccount', () => {
    expect(() => seededLandscape({ s4Tenants: seed.s4Tenants })).toThrow(/subaccounts/);
  });
});
