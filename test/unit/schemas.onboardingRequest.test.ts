import * as forge from 'node-forge';
import {
  checkSecretReferences,
  OnboardingRequest,
  onboardingRequestSchema,
  validationErrors,
  type OnboardingRequestInput,
} from '../../shared/schemas';
import { memorySecrets } from './schemas.support';

const SUBACCOUNT = '7B3C1E2A-4D5F-4A6B-9C8D-0E1F2A3B4C5D';

function request(overrides: { btp?: object; s4?: object; destination?: object; extra?: object } = {}): OnboardingRequestInput {
  return {
    btp: { region: 'eu10', subaccountId: SUBACCOUNT, destinationServiceKeySecret: 'btp-destination-key', ...overrides.btp },
    s4: { host: 'my100001-api.s4hana.ondemand.com', bootstrapUserSecret: 's4-my100001-bootstrap', ...overrides.s4 },
    ...(overrides.destination ? { destination: overrides.destination } : {}),
    ...overrides.extra,
  } as OnboardingRequestInput;
}

function fieldsOf(body: unknown, schema = OnboardingRequest) {
  const parsed = schema.safeParse(body);
  if (parsed.success) throw new Error('expected the request to be rejected');
  return validationErrors(parsed.error);
}

function selfSignedPem(cn: string): string {
  const keys = forge.pki.rsa.generateKeyPair(1024);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date();
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  cert.setSubject([{ name: 'commonName', value: cn }]);
  cert.setIssuer([{ name: 'commonName', value: cn }]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

describe('OnboardingRequest', () => {
  it('fills the documented defaults and derives the names from tenant, scenario and subaccount', () => {
    const r = OnboardingRequest.parse(request());
    expect(r.btp).toEqual({
      region: 'eu10',
      subaccountId: SUBACCOUNT.toLowerCase(),
      destinationServiceKeySecret: 'btp-destination-key',
      destinationName: 'S4HC_MY100001_SAP_COM_0501',
      allowCertificateGeneration: false,
    });
    expect(r.s4).toEqual({
      host: 'my100001-api.s4hana.ondemand.com',
      bootstrapUserSecret: 's4-my100001-bootstrap',
      scenarioId: 'SAP_COM_0501',
      userIdMappingMode: 'user_uuid',
      communicationSystemId: 'BTP_7B3C1E2A',
      communicationUserName: 'COM0501_7B3C1E2A',
      arrangementName: 'SAP_COM_0501_7B3C1E2A',
    });
  });

  it('derived names follow a configured scenario, and explicit names win', () => {
    const r = OnboardingRequest.parse(request({ s4: { scenarioId: 'SAP_COM_0A08', communicationSystemId: 'MY_BTP' } }));
    expect(r.s4.communicationUserName).toBe('COM0A08_7B3C1E2A');
    expect(r.s4.arrangementName).toBe('SAP_COM_0A08_7B3C1E2A');
    expect(r.s4.communicationSystemId).toBe('MY_BTP');
  });

  it('its output parses again to itself (safe to re-validate in the orchestrator)', () => {
    const once = OnboardingRequest.parse(request({ destination: { sapClient: '100' } }));
    expect(OnboardingRequest.parse(once)).toEqual(once);
  });

  it('accepts the .cloud.sap domain and upper-case host input', () => {
    expect(OnboardingRequest.parse(request({ s4: { host: 'MY438741-API.s4hana.cloud.sap' } })).s4.host).toBe('my438741-api.s4hana.cloud.sap');
  });

  it('lists every bad field of a request with several errors at once', () => {
    const fields = fieldsOf({
      btp: { region: 'Europe', subaccountId: 'not-a-guid', destinationServiceKeySecret: 'has_underscore', destinationName: 'bad name!' },
      s4: { host: 'https://my100001-api.s4hana.ondemand.com/', bootstrapUserSecret: 'ok-name', scenarioId: 'SAP_COM_501', userIdMappingMode: 'email', communicationSystemId: 'lower' },
      extraTopLevel: true,
    });
    expect(fields.map((f) => f.field).sort()).toEqual(
      [
        'btp.destinationName',
        'btp.destinationServiceKeySecret',
        'btp.region',
        'btp.subaccountId',
        'extraTopLevel',
        's4.communicationSystemId',
        's4.host',
        's4.scenarioId',
        's4.userIdMappingMode',
      ].sort(),
    );
    expect(fields.find((f) => f.field === 'extraTopLevel')?.message).toBe('unknown field');
    expect(fields.find((f) => f.field === 's4.scenarioId')?.message).toMatch(/SAP_COM_0501/);
  });

  it('names unknown nested fields one by one', () => {
    const fields = fieldsOf(request({ btp: { subacountId: 'typo' }, s4: { password: 'x' } }));
    expect(fields).toEqual(
      expect.arrayContaining([
        { field: 'btp.subacountId', message: 'unknown field' },
        { field: 's4.password', message: 'unknown field' },
      ]),
    );
  });

  it('says which required fields are missing', () => {
    expect(fieldsOf({ btp: {}, s4: {} })).toEqual(
      expect.arrayContaining([
        { field: 'btp.region', message: 'is required' },
        { field: 'btp.subaccountId', message: 'is required' },
        { field: 'btp.destinationServiceKeySecret', message: 'is required' },
        { field: 's4.host', message: 'is required' },
        { field: 's4.bootstrapUserSecret', message: 'is required' },
      ]),
    );
    expect(fieldsOf(undefined)).toEqual([{ field: 'body', message: 'must be a JSON object' }]);
    expect(fieldsOf([])).toEqual([{ field: 'body', message: 'must be a JSON object' }]);
    expect(fieldsOf(request({ btp: { allowCertificateGeneration: 'yes' } }))).toEqual([{ field: 'btp.allowCertificateGeneration', message: 'must be a boolean' }]);
  });

  it.each([
    ['my100001.s4hana.ondemand.com', /-api suffix/],
    ['my100001-api.evil.example.com', /not an allowed/],
    ['my100001-api.s4hana.ondemand.com:443', /host name/],
    ['my100001-api.s4hana.ondemand.com.evil.com', /not an allowed/],
    ['localhost', /host name/],
  ])('rejects the S/4 host %s', (host, message) => {
    const fields = fieldsOf(request({ s4: { host } }));
    expect(fields).toHaveLength(1);
    expect(fields[0].field).toBe('s4.host');
    expect(fields[0].message).toMatch(message);
  });

  it('extra allowlist patterns from the settings admit more hosts', () => {
    const schema = onboardingRequestSchema({ allowlistExtra: ['*.s4.example.test'] });
    expect(schema.parse(request({ s4: { host: 'my1-api.s4.example.test' } })).s4.host).toBe('my1-api.s4.example.test');
    expect(fieldsOf(request({ s4: { host: 'my1-api.s4.example.test' } }))[0].field).toBe('s4.host');
  });

  it('validates a trust certificate override as a real certificate', () => {
    const pem = selfSignedPem('cfapps.eu10.hana.ondemand.com/7b3c1e2a');
    expect(OnboardingRequest.parse(request({ btp: { trustCertificatePem: pem } })).btp.trustCertificatePem).toBe(pem);
    const fields = fieldsOf(request({ btp: { trustCertificatePem: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----' } }));
    expect(fields).toEqual([{ field: 'btp.trustCertificatePem', message: expect.stringMatching(/not a usable certificate/) }]);
  });

  it('destination overrides: reserved or secret-looking properties are refused', () => {
    const fields = fieldsOf(
      request({
        destination: {
          nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:persistent',
          additionalProperties: { tokenServicePassword: 'x', 'KeyStorePassword': 'y', 'URL.headers.x-custom': 'fine' },
        },
      }),
    );
    expect(fields.map((f) => f.field).sort()).toEqual(
      ['destination.additionalProperties.KeyStorePassword', 'destination.additionalProperties.tokenServicePassword', 'destination.nameIdFormat'].sort(),
    );
  });

  it('messages never echo the submitted values', () => {
    const marker = 'Zq9-unique-marker';
    const fields = fieldsOf(request({ btp: { region: marker, destinationServiceKeySecret: `${marker}_x` }, s4: { host: `${marker}.example` }, destination: { additionalProperties: { clientSecret: marker } } }));
    expect(fields.length).toBeGreaterThanOrEqual(4);
    expect(JSON.stringify(fields)).not.toContain(marker.toLowerCase());
    expect(JSON.stringify(fields)).not.toContain(marker);
  });
});

describe('checkSecretReferences (422)', () => {
  const subaccountId = SUBACCOUNT.toLowerCase();
  const serviceKeyObject = {
    clientid: 'sb-x',
    clientsecret: 'Very-Secret-1',
    url: 'https://sub.authentication.eu10.hana.ondemand.com',
    uri: 'https://destination-configuration.cfapps.eu10.hana.ondemand.com',
    identityzone: 'sub',
    tenantid: subaccountId,
  };
  const serviceKey = JSON.stringify(serviceKeyObject);
  const bootstrap = JSON.stringify({ user: 'COM0A48', password: 'Another-Secret-2' });

  it('passes when both credentials exist and have the right shape', async () => {
    const r = OnboardingRequest.parse(request());
    expect(await checkSecretReferences(r, memorySecrets({ 'btp-destination-key': serviceKey, 's4-my100001-bootstrap': bootstrap }))).toEqual([]);
  });

  it('names each missing credential and how to store it', async () => {
    const r = OnboardingRequest.parse(request());
    const fields = await checkSecretReferences(r, memorySecrets({}));
    expect(fields.map((f) => f.field)).toEqual(['btp.destinationServiceKeySecret', 's4.bootstrapUserSecret']);
    expect(fields[0].message).toContain('PUT /api/credentials/btp-destination-key');
  });

  it('says what is wrong with a credential without showing it', async () => {
    const r = OnboardingRequest.parse(request());
    const fields = await checkSecretReferences(
      r,
      memorySecrets({ 'btp-destination-key': JSON.stringify({ clientid: 'sb-x', clientsecret: 'Leaky-Secret-3' }), 's4-my100001-bootstrap': '{"user":"COM0A48","pw":"Leaky-Secret-4"}' }),
    );
    expect(fields.map((f) => f.field)).toEqual(['btp.destinationServiceKeySecret', 's4.bootstrapUserSecret']);
    expect(fields[0].message).toMatch(/url/);
    expect(fields[1].message).toMatch(/password/);
    expect(JSON.stringify(fields)).not.toMatch(/Leaky-Secret/);
  });

  // Issue 7 item 2: the general allowlist is not enough for a host that gets the client secret, and
  // SAP_HOST_ALLOWLIST_EXTRA no longer widens it (it used to admit `*.attacker.example` here).
  it('refuses a service key whose token URL is not the XSUAA of the region, before the secret is sent there', async () => {
    const r = OnboardingRequest.parse(request());
    const foreignKey = JSON.stringify({ ...serviceKeyObject, url: 'https://login.attacker.example' });
    const fields = await checkSecretReferences(r, memorySecrets({ 'btp-destination-key': foreignKey, 's4-my100001-bootstrap': bootstrap }));
    expect(fields).toEqual([{ field: 'btp.destinationServiceKeySecret', message: expect.stringContaining('url holds login.attacker.example, expected <subdomain>.authentication.eu10.hana.ondemand.com') }]);
    expect(fields[0].message).toContain('credential "btp-destination-key"');
    expect(fields[0].message).not.toContain('uri holds');
    expect(fields[0].message).not.toContain('Very-Secret-1');
  });

  it('refuses a service key of another subaccount, naming both GUIDs and the fix', async () => {
    const r = OnboardingRequest.parse(request());
    const other = '32fceecc-9de8-4d87-95ee-1824f8a9e108';
    const fields = await checkSecretReferences(r, memorySecrets({ 'btp-destination-key': JSON.stringify({ ...serviceKeyObject, tenantid: other }), 's4-my100001-bootstrap': bootstrap }));
    expect(fields).toHaveLength(1);
    expect(fields[0].message).toContain(`tenantid holds ${other}, expected ${subaccountId}`);
    expect(fields[0].message).toContain(`store the Destination service key of subaccount ${subaccountId} in region eu10`.replace(/^s/, 'S'));
    expect(fields[0].message).toContain('correct btp.subaccountId');
  });
});
