/**
 * Every request the Destination client sends, and every response the sandbox returns for it,
 * validates against SAP's published OpenAPI spec (test/contract/specs, S-DSPEC). Exchanges are
 * recorded with an axios interceptor on the instance the SAP clients use.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSandbox, type RunningSandbox } from '../../sandbox';
import { btpService } from '../../sandbox/btp/btpService';
import { createDestinationServiceClient, type DestinationProperties } from '../../shared/sap/destination';
import { destroySharedSapAgents } from '../../shared/sap/http';
import { parseDestinationServiceKey } from '../../shared/sap/xsuaa';
import { serviceKey, subaccountSeed } from '../integration/sap/btpSeed';
import { DestinationSpec, recordExchanges, type RecordedExchange } from './destinationSpec';

const spec = new DestinationSpec();

/**
 * Known gap of the published spec, not of the client or sandbox: PUT /v1/subaccountDestinations
 * omits If-Match and its 412 answer although the API supports both (contracts A.4; SAP's own
 * crossplane provider patches the spec for exactly this).
 */
const KNOWN_SPEC_GAPS = [/^PUT \/destination-configuration\/v1\/subaccountDestinations → 412: status 412 not documented/];

/** Requests the test sends invalid on purpose, to check the sandbox's 400 answer. */
const DELIBERATELY_INVALID_REQUESTS = [/^POST \/destination-configuration\/v1\/subaccountDestinations → 400: request body/];

describe('the spec validator', () => {
  const ok: RecordedExchange = {
    method: 'GET',
    url: '/destination-configuration/v1/saml2Metadata/certificate',
    requestHeaders: {},
    requestBody: undefined,
    status: 200,
    responseHeaders: { 'content-type': 'application/json' },
    responseBody: JSON.stringify({ certificate: '-----BEGIN CERTIFICATE-----\nMII=\n-----END CERTIFICATE-----\n' }),
  };

  it('accepts a documented exchange', () => {
    expect(spec.check(ok)).toEqual([]);
  });

  it('rejects an undocumented status, a wrong body, an unknown path and an unknown query parameter', () => {
    expect(spec.check({ ...ok, status: 418 })[0].problem).toMatch(/418 not documented/);
    expect(spec.check({ ...ok, responseBody: JSON.stringify({ certificate: 42 }) })[0].problem).toMatch(/response body/);
    expect(spec.check({ ...ok, url: '/destination-configuration/v1/nope' })[0].problem).toMatch(/path not in spec/);
    expect(spec.check({ ...ok, url: `${ok.url}?$bogus=1` })[0].problem).toMatch(/\$bogus/);
  });

  it('rejects a POST destination body without Type', () => {
    const post: RecordedExchange = { ...ok, method: 'POST', url: '/destination-configuration/v1/subaccountDestinations', requestBody: JSON.stringify({ Name: 'x' }), status: 201, responseBody: '' };
    expect(spec.check(post).map((p) => p.problem).join()).toMatch(/request body/);
  });
});

describe('Destination client ⇄ sandbox against the published spec', () => {
  let sandbox: RunningSandbox;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'dest-contract-'));
    sandbox = await startSandbox({ port: 0, dataDir, quiet: true, services: [btpService], seed: { subaccounts: [subaccountSeed] } });
  });
  afterAll(async () => {
    destroySharedSapAgents();
    await sandbox.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('every request and response of every client operation (success and error) fits the spec', async () => {
    const recorder = recordExchanges((url) => url.hostname.startsWith('destination-configuration.'));
    const dest = createDestinationServiceClient({ serviceKey: parseDestinationServiceKey(serviceKey), options: { connectTo: sandbox.connectTo, extraCaPem: sandbox.caPem } });
    const swallow = (p: Promise<unknown>) => p.catch(() => undefined);
    const d: DestinationProperties = { Name: 'CONTRACT_1', Type: 'HTTP', URL: 'https://my100001-api.s4hana.ondemand.com', ProxyType: 'Internet', Authentication: 'NoAuthentication' };
    try {
      // trust certificate: 404s first, then generate, passive, rotate, delete
      await dest.getActiveCertificate();
      await dest.getPassiveCertificate();
      await swallow(dest.rotateCertificate());
      await dest.deletePassiveCertificate();
      await dest.generateActiveIfMissing();
      await dest.generateActiveIfMissing();
      await dest.renewActiveCertificate({ iUnderstandThisBreaksExistingTrust: true });
      await dest.generatePassiveCertificate();
      await dest.getPassiveCertificate();
      await dest.rotateCertificate();
      await dest.deletePassiveCertificate();
      // destinations: 404, create, 409, get with ETag, update, 412, 404 update, list, delete, find
      await dest.getDestination(d.Name);
      await dest.createDestination(d);
      await swallow(dest.createDestination(d));
      await swallow(dest.createDestination({ Name: 'NO_TYPE' } as unknown as DestinationProperties));
      const { etag } = (await dest.getDestination(d.Name))!;
      await dest.updateDestination({ ...d, Description: 'v2' }, { ifMatch: etag });
      await swallow(dest.updateDestination({ ...d, Description: 'v3' }, { ifMatch: etag }));
      await swallow(dest.updateDestination({ ...d, Name: 'MISSING' }));
      await dest.listDestinations();
      await dest.listDestinations({ names: [d.Name, "with space's"] });
      await dest.listDestinations({ namePrefix: 'CONTRACT' });
      await dest.findDestination(d.Name);
      await swallow(dest.findDestination('NOT_THERE'));
      await dest.deleteDestination(d.Name);
      await dest.deleteDestination(d.Name);
    } finally {
      recorder.stop();
    }

    const statuses = new Set(recorder.exchanges.map((x) => x.status));
    expect([...statuses].sort()).toEqual(expect.arrayContaining([200, 201, 400, 404, 409, 412]));
    expect(recorder.exchanges.length).toBeGreaterThanOrEqual(27);
    const problems = recorder.exchanges.flatMap((x) => spec.check(x)).filter((p) => ![...KNOWN_SPEC_GAPS, ...DELIBERATELY_INVALID_REQUESTS].some((re) => re.test(`${p.exchange}: ${p.problem}`)));
    expect(problems).toEqual([]);
  });
});
