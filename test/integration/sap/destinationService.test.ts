/**
 * XSUAA token and Destination service clients against the sandbox over HTTPS (production path:
 * real host names, connect-to, TLS verified against the sandbox CA). Ends with the real check of
 * the product: "find destination" performs a SAML bearer exchange against the S/4 sandbox tenant.
 */
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSandbox, type RunningSandbox } from '../../../sandbox';
import { btpService } from '../../../sandbox/btp/btpService';
import { s4Service } from '../../../sandbox/s4/s4Service';
import { createDestinationServiceClient, type DestinationProperties, type DestinationServiceClient } from '../../../shared/sap/destination';
import { adviceFor } from '../../../shared/sap/errorAdvice';
import { SapError } from '../../../shared/sap/errors';
import { destroySharedSapAgents, type SapConnectionOptions } from '../../../shared/sap/http';
import { createS4Client } from '../../../shared/sap/s4';
import { oauth2Details, oauth2IdentityProviderFields, USER_ID_MAPPING_MODES } from '../../../shared/sap/s4/unconfirmedFields';
import { createXsuaaTokenClient, parseDestinationServiceKey } from '../../../shared/sap/xsuaa';
import { CLIENT_SECRET, serviceKey, SUBACCOUNT_GUID, subaccountSeed } from './btpSeed';

const TENANT = 'my100002';
const API_HOST = `${TENANT}-api.s4hana.ondemand.com`;
const BOOTSTRAP = { name: 'BOOTSTRAP_0A48', password: 'Bootstrap-0A48-Password-For-Tests-456' };
const COMM_PASSWORD = 'CommUserPassword-for-SAML-bearer-0123456789';

let sandbox: RunningSandbox;
let dataDir: string;
let options: SapConnectionOptions;
let dest: DestinationServiceClient;

async function requestLog(): Promise<{ method: string; host: string; path: string; status: number }[]> {
  const res = await fetch(`${sandbox.adminUrl}/requests`);
  return ((await res.json()) as { requests: { method: string; host: string; path: string; status: number }[] }).requests;
}

async function failure(p: Promise<unknown>): Promise<SapError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(SapError);
    return e as SapError;
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'dest-int-'));
  sandbox = await startSandbox({
    port: 0,
    dataDir,
    quiet: true,
    services: [btpService, s4Service],
    seed: { subaccounts: [subaccountSeed], s4Tenants: [{ tenant: TENANT, bootstrapUser: BOOTSTRAP }] },
  });
  options = { connectTo: sandbox.connectTo, extraCaPem: sandbox.caPem, timeoutMs: 10_000 };
  dest = createDestinationServiceClient({ serviceKey: parseDestinationServiceKey(serviceKey), options });
});
afterAll(async () => {
  destroySharedSapAgents();
  await sandbox.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('XSUAA token', () => {
  it('issues a client-credentials token for the service key', async () => {
    const token = await createXsuaaTokenClient({ serviceKey: parseDestinationServiceKey(serviceKey), options }).getToken();
    expect(token.length).toBeGreaterThan(10);
  });

  it('answers a wrong client secret with Unauthorized, secret not in the error', async () => {
    const wrong = { ...serviceKey, clientsecret: 'wrong-secret-value-that-must-not-leak' };
    const err = await failure(createXsuaaTokenClient({ serviceKey: parseDestinationServiceKey(wrong), options }).getToken());
    expect(err).toMatchObject({ kind: 'Unauthorized', name: 'XsuaaError' });
    expect(JSON.stringify(err) + err.message + err.stack).not.toContain('wrong-secret-value-that-must-not-leak');
  });

  it('names the stored service key and gives BTP advice when its secret is refused, through the Destination client', async () => {
    const wrong = { ...serviceKey, clientsecret: 'rotated-secret-value-that-must-not-leak' };
    const client = createDestinationServiceClient({ serviceKey: parseDestinationServiceKey(wrong), options, credential: 'btp-destination-key-sub1' });
    const err = await failure(client.getActiveCertificate());
    expect(err.message).toMatch(/^BTP authentication \(XSUAA\) .* refused the Destination service key stored as btp-destination-key-sub1 for client credentials token: .* \(HTTP 401\)$/);
    expect(adviceFor(err)).toMatch(/client secret .* rotated/);
    expect(adviceFor(err)).not.toMatch(/locked/);
    expect(JSON.stringify(err) + err.message + adviceFor(err)).not.toContain('rotated-secret-value-that-must-not-leak');
  });
});

describe('trust certificate', () => {
  it('has none at first: GET active and passive answer undefined, rotate is NotFound, delete passive is false', async () => {
    expect(await dest.getActiveCertificate()).toBeUndefined();
    expect(await dest.getPassiveCertificate()).toBeUndefined();
    expect(await dest.deletePassiveCertificate()).toBe(false);
    const err = await failure(dest.rotateCertificate());
    expect(err).toMatchObject({ kind: 'NotFound', status: 404, name: 'DestinationError' });
  });

  it('generates the active certificate only when missing, and never renews it implicitly', async () => {
    const first = await dest.generateActiveIfMissing();
    expect(first.generated).toBe(true);
    const x509 = new X509Certificate(first.certificate);
    expect(x509.subject).toContain(`CN=cfapps.eu10.hana.ondemand.com/${SUBACCOUNT_GUID}`);
    const second = await dest.generateActiveIfMissing();
    expect(second).toEqual({ certificate: first.certificate, generated: false });
    expect(await dest.getActiveCertificate()).toBe(first.certificate);
    const posts = (await requestLog()).filter((r) => r.method === 'POST' && r.path.endsWith('/saml2Metadata/certificate'));
    expect(posts).toHaveLength(1);
  });

  it('renews the active certificate only with the explicit confirmation', async () => {
    const before = await dest.getActiveCertificate();
    await expect(dest.renewActiveCertificate({} as never)).rejects.toThrow(/iUnderstandThisBreaksExistingTrust/);
    expect(await dest.getActiveCertificate()).toBe(before);
    const renewed = await dest.renewActiveCertificate({ iUnderstandThisBreaksExistingTrust: true });
    expect(renewed).not.toBe(before);
    expect(await dest.getActiveCertificate()).toBe(renewed);
  });

  it('generates a passive certificate, rotates, and deletes the passive one', async () => {
    const active = await dest.getActiveCertificate();
    const passive = await dest.generatePassiveCertificate();
    expect(await dest.getPassiveCertificate()).toBe(passive);
    const rotated = await dest.rotateCertificate();
    expect(rotated).toEqual({ activeCertificate: passive, passiveCertificate: active });
    expect(await dest.deletePassiveCertificate()).toBe(true);
    expect(await dest.getPassiveCertificate()).toBeUndefined();
    expect(await dest.getActiveCertificate()).toBe(passive);
  });
});

describe('subaccount destinations', () => {
  const base: DestinationProperties = { Name: 'IT_DEST_1', Type: 'HTTP', URL: 'https://my100002-api.s4hana.ondemand.com', ProxyType: 'Internet', Authentication: 'NoAuthentication' };

  it('get answers undefined, create, then get returns the destination with its ETag', async () => {
    expect(await dest.getDestination('IT_DEST_1')).toBeUndefined();
    await dest.createDestination(base);
    const got = await dest.getDestination('IT_DEST_1');
    expect(got?.destination).toMatchObject(base);
    expect(got?.etag).toBeTruthy();
  });

  it('a second create is a Conflict with SAP\'s message', async () => {
    const err = await failure(dest.createDestination(base));
    expect(err).toMatchObject({ kind: 'Conflict', status: 409, operation: 'subaccountDestinations create' });
    expect(err.sapMessage.length).toBeGreaterThan(0);
  });

  it('update with the current ETag succeeds; with a stale ETag it is a Conflict (412)', async () => {
    const { etag } = (await dest.getDestination('IT_DEST_1'))!;
    await dest.updateDestination({ ...base, Description: 'v2' }, { ifMatch: etag });
    const after = await dest.getDestination('IT_DEST_1');
    expect(after?.destination.Description).toBe('v2');
    expect(after?.etag).not.toBe(etag);
    const err = await failure(dest.updateDestination({ ...base, Description: 'v3' }, { ifMatch: etag }));
    expect(err).toMatchObject({ kind: 'Conflict', status: 412 });
    expect((await dest.getDestination('IT_DEST_1'))?.destination.Description).toBe('v2');
  });

  it('update of a destination that does not exist is NotFound', async () => {
    const err = await failure(dest.updateDestination({ ...base, Name: 'IT_MISSING' }));
    expect(err).toMatchObject({ kind: 'NotFound', status: 404 });
  });

  it('create without Type is Invalid (400)', async () => {
    const err = await failure(dest.createDestination({ Name: 'IT_NO_TYPE' } as unknown as DestinationProperties));
    expect(err).toMatchObject({ kind: 'Invalid', status: 400 });
  });

  it('lists with $filter by names and by prefix', async () => {
    await dest.createDestination({ ...base, Name: "IT_DEST 2's" });
    await dest.createDestination({ ...base, Name: 'OTHER_DEST' });
    expect((await dest.listDestinations({ names: ['IT_DEST_1', "IT_DEST 2's"] })).map((d) => d.Name).sort()).toEqual(["IT_DEST 2's", 'IT_DEST_1']);
    expect((await dest.listDestinations({ namePrefix: 'IT_' })).map((d) => d.Name).sort()).toEqual(["IT_DEST 2's", 'IT_DEST_1']);
    expect((await dest.listDestinations()).map((d) => d.Name)).toEqual(expect.arrayContaining(['IT_DEST_1', 'OTHER_DEST']));
  });

  it('delete answers true, then false when it is gone', async () => {
    expect(await dest.deleteDestination('OTHER_DEST')).toBe(true);
    expect(await dest.deleteDestination('OTHER_DEST')).toBe(false);
    expect(await dest.getDestination('OTHER_DEST')).toBeUndefined();
  });
});

describe('find destination: the SAML bearer exchange against S/4', () => {
  let destination: DestinationProperties;

  beforeAll(async () => {
    const trust = (await dest.generateActiveIfMissing()).certificate;
    const cn = /CN=([^,\n]+)/.exec(new X509Certificate(trust).subject)![1];
    const s4 = createS4Client({ apiHost: API_HOST, user: BOOTSTRAP.name, password: BOOTSTRAP.password, options });
    const user = await s4.users.create({ name: 'COM501FIND', description: 'find destination test', password: COMM_PASSWORD });
    const system = await s4.systems.create({ id: 'BTP_FIND', name: 'BTP_FIND', fields: oauth2IdentityProviderFields({ samlIssuer: cn, signingCertificatePem: trust, userIdMappingMode: 'user_uuid' }) });
    const inbound = await s4.systems.createSamlBearerInboundUser(system.UUID, user.ID);
    await s4.arrangements.create({ scenarioId: 'SAP_COM_0501', systemId: 'BTP_FIND', name: 'SAP_COM_0501_BTP_FIND', inboundUserUUID: inbound.UUID });
    const details = oauth2Details(API_HOST, (await s4.systems.listInboundUsers(system.UUID))[0]);
    destination = {
      Name: 'S4_FIND',
      Type: 'HTTP',
      URL: `https://${API_HOST}`,
      ProxyType: 'Internet',
      Authentication: 'OAuth2SAMLBearerAssertion',
      audience: details.audience,
      clientKey: details.clientId!,
      tokenServiceURL: details.tokenServiceURL,
      tokenServiceURLType: 'Dedicated',
      tokenServiceUser: 'COM501FIND',
      tokenServicePassword: COMM_PASSWORD,
      authnContextClassRef: 'urn:oasis:names:tc:SAML:2.0:ac:classes:X509',
      nameIdFormat: USER_ID_MAPPING_MODES.user_uuid.destination.nameIdFormat,
      userIdSource: USER_ID_MAPPING_MODES.user_uuid.destination.userIdSource,
    };
    await dest.createDestination(destination);
  });

  it('returns the destination and a token obtained from S/4', async () => {
    const found = await dest.findDestination('S4_FIND');
    expect(found.destination.Name).toBe('S4_FIND');
    expect(found.tokenExchange).toEqual({ ok: true });
    expect(found.authTokens[0].type).toMatch(/bearer/i);
    expect(found.authTokens[0].value.length).toBeGreaterThan(0);
  });

  it('surfaces the error field when the exchange fails (wrong token service password)', async () => {
    await dest.createDestination({ ...destination, Name: 'S4_FIND_BAD', tokenServicePassword: 'not-the-password-0000000000' });
    const found = await dest.findDestination('S4_FIND_BAD');
    expect(found.tokenExchange.ok).toBe(false);
    expect(found.tokenExchange.error).toBeTruthy();
    expect(found.authTokens[0].error).toBe(found.tokenExchange.error);
  });

  it('is NotFound for an unknown destination', async () => {
    const err = await failure(dest.findDestination('NO_SUCH_DEST'));
    expect(err).toMatchObject({ kind: 'NotFound', status: 404, operation: 'find destination' });
  });
});

it('never puts the client secret in an error', async () => {
  const err = await failure(dest.findDestination('NO_SUCH_DEST_2'));
  expect(JSON.stringify(err) + err.message + err.stack).not.toContain(CLIENT_SECRET);
});
