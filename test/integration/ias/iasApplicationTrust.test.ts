/**
 * Issue 10, workflow 1 on devhost with the SAP sandbox: seed 000 from the SP metadata the cockpit
 * produces, idempotent re-runs, plans, the unconfirmed metadata-URL key, and bad input refused with
 * a 400 before anything reaches IAS.
 */
import { createHash } from 'node:crypto';
import { destroySharedSapAgents } from '../../../shared/sap/http/agent';
import { sapWrites, type OnboardingStack } from '../../support/onboardingStack';
import { makeCertificate, minimalMetadata, neoCockpitMetadata, richMetadata } from '../../support/spMetadataFixtures';
import { AUTH, CREDENTIAL, iasApplications, iasTenantSeed, plan, runToEnd, startIasStack } from './iasStack';

jest.setTimeout(240_000);

const TENANT = 'trust-ias';
const HOST = `${TENANT}.accounts.ondemand.com`;
let stack: OnboardingStack;
const signing = makeCertificate('https://hana.ondemand.com/myneoaccount');

const request = (extra: Record<string, unknown> = {}) => ({
  ias: { tenantHost: HOST, apiClientSecret: CREDENTIAL },
  applicationName: 'SAP APIM',
  spMetadataXml: neoCockpitMetadata('myneoaccount', signing),
  ...extra,
});

/** The IAS-side steps: the Neo path's steps are skipped for XML metadata. */
const iasSteps = (view: any) => view.steps.filter((s: any) => !s.id.startsWith('neo'));
const derOf = (pem: string) => pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '');
const sha256 = (base64: string) => createHash('sha256').update(Buffer.from(base64, 'base64')).digest('hex');

beforeAll(async () => {
  const twin = { name: 'Twin App', [AUTH]: { ssoType: 'saml2' } };
  stack = await startIasStack([iasTenantSeed(TENANT, { applications: [twin, twin] }), iasTenantSeed('url-ias')]);
});

afterAll(async () => {
  destroySharedSapAgents();
  await stack?.stop();
});

const app = async (tenant: string, name: string) => iasApplications(await stack.sandboxState(), tenant).find((a) => a.name === name);

describe('seed 000 from the cockpit\'s SP metadata', () => {
  let first: any;
  beforeAll(async () => {
    first = await runToEnd(stack, 'ias-trusts', request());
  });

  it('creates the application with the SP\'s ACS, logout endpoints and signing certificate', async () => {
    expect(first.status).toBe('completed');
    expect(iasSteps(first).map((s: any) => [s.id, s.outcome])).toEqual([
      ['application', 'created'],
      ['assertionAttributes', 'updated'],
      ['metadataUrl', 'unchanged'],
    ]);
    const created = await app(TENANT, 'SAP APIM');
    const saml = created[AUTH].saml2Configuration;
    expect(created[AUTH].ssoType).toBe('saml2');
    expect(saml.acsEndpoints).toEqual([{ bindingName: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST', location: 'https://authn.hana.ondemand.com/saml2/sp/acs/myneoaccount/myneoaccount', index: 0, isDefault: true }]);
    expect(saml.sloEndpoints).toHaveLength(2);
    expect(saml.certificatesForSigning).toHaveLength(1);
    expect(derOf(saml.certificatesForSigning[0].base64Certificate)).toBe(signing.base64Der);
    expect(saml.certificatesForSigning[0].dn).toBe('CN=https://hana.ondemand.com/myneoaccount');
    expect(first.result.signingCertificates[0].fingerprintSha256).toBe(sha256(signing.base64Der));
    expect(first.result.entityId).toBe('https://hana.ondemand.com/myneoaccount');
  });

  it('ends with exactly the four assertion attributes of seed 000, from the Identity Directory', async () => {
    const created = await app(TENANT, 'SAP APIM');
    const attributes = created[AUTH].assertionAttributes.map((a: any) => [a.assertionAttributeName, a.userAttributeName]).sort();
    expect(attributes).toEqual([
      ['display_name', 'displayName'],
      ['first_name', 'firstName'],
      ['last_name', 'lastName'],
      ['mail', 'mail'],
    ]);
  });

  it('a re-run writes nothing and says so', async () => {
    await stack.clearSandboxRequests();
    const again = await runToEnd(stack, 'ias-trusts', request());
    expect(again.status).toBe('completed');
    expect(iasSteps(again).map((s: any) => s.outcome)).toStrictEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(sapWrites(await stack.sandboxRequests())).toEqual([]);
  });

  it('a plan for a new certificate and an extra attribute lists what would be replaced and added, and writes nothing', async () => {
    await stack.clearSandboxRequests();
    const renewed = makeCertificate('https://hana.ondemand.com/myneoaccount');
    const answer = await plan(stack, 'ias-trusts', request({ spMetadataXml: neoCockpitMetadata('myneoaccount', renewed), assertionAttributes: { department: 'department' } }));
    expect(answer.status).toBe(200);
    const [application, attributes, url] = iasSteps(answer.body);
    expect(url.plan.action).toBe('unchanged');
    expect(application.plan.action).toBe('update');
    expect(application.plan.changes.map((c: any) => c.field)).toEqual(['saml2Configuration.certificatesForSigning']);
    expect(attributes.plan.action).toBe('update');
    expect(attributes.plan.changes).toEqual([{ field: 'department', to: 'Identity Directory department' }]);
    expect(sapWrites(await stack.sandboxRequests())).toEqual([]);
  });

  it('repairs an application whose SAML configuration was changed by hand', async () => {
    const richSigning = makeCertificate('sp.example.test');
    const encryption = makeCertificate('sp.example.test enc');
    const run = await runToEnd(stack, 'ias-trusts', request({ spMetadataXml: richMetadata('https://sp.example.test', richSigning, encryption) }));
    expect(run.status).toBe('completed');
    expect(iasSteps(run)[0].outcome).toBe('updated');
    expect(iasSteps(run)[0].warnings.join(' ')).toMatch(/bindings:URI.*left out/);
    const saml = (await app(TENANT, 'SAP APIM'))[AUTH].saml2Configuration;
    expect(saml.acsEndpoints.map((a: any) => [a.index, a.isDefault])).toEqual([
      [1, false],
      [2, true],
    ]);
    expect(derOf(saml.certificateForEncryption.base64Certificate)).toBe(encryption.base64Der);
    expect(saml.defaultNameIdFormat).toBe('urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress');
    expect(saml.sloEndpoints).toEqual([]);
  });
});

describe('the metadata URL (key UNCONFIRMED: metadataUrl or samlMetadataUrl)', () => {
  it.each(['metadataUrl', 'samlMetadataUrl'] as const)('when IAS honours %s, the run finds out by reading back and reports it', async (honoured) => {
    await stack.setSwitches('url-ias', { metadataUrlKey: honoured });
    const name = `URL app ${honoured}`;
    const body = { ...request({ applicationName: name, spMetadataUrl: 'https://authn.hana.ondemand.com/saml2/sp/metadata/myneoaccount' }), ias: { tenantHost: 'url-ias.accounts.ondemand.com', apiClientSecret: CREDENTIAL } };
    const run = await runToEnd(stack, 'ias-trusts', { ...body, spMetadataXml: minimalMetadata(`urn:test:${honoured}`) });
    expect(run.status).toBe('completed');
    expect(run.result.metadataUrlKey).toBe(honoured);
    const step = run.steps.find((s: any) => s.id === 'metadataUrl');
    expect(step.outcome).toBe('created');
    if (honoured === 'samlMetadataUrl') expect(step.warnings).toEqual([expect.stringMatching(/metadataUrl and dropped it; it honours samlMetadataUrl/)]);
    const saml = (await app('url-ias', name))[AUTH].saml2Configuration;
    expect(saml[honoured]).toBe('https://authn.hana.ondemand.com/saml2/sp/metadata/myneoaccount');
    expect(Object.keys(saml).filter((k) => /etadataUrl$/.test(k))).toEqual([honoured]);
    const again = await runToEnd(stack, 'ias-trusts', { ...body, spMetadataXml: minimalMetadata(`urn:test:${honoured}`) });
    expect(iasSteps(again).map((s: any) => s.outcome)).toStrictEqual(['unchanged', 'unchanged', 'unchanged']);
  });
});

describe('bad input gets a 400 with the reason, and nothing reaches IAS', () => {
  const expired = makeCertificate('old.example.test', new Date(Date.UTC(2020, 0, 1)), new Date(Date.UTC(2021, 0, 1)));
  const cases: [string, Record<string, unknown>, string, RegExp][] = [
    ['malformed XML', { spMetadataXml: '<md:EntityDescriptor><md:SPSSODescriptor>' }, 'spMetadataXml', /not well-formed XML/],
    ['metadata without entityID', { spMetadataXml: minimalMetadata('x').replace(' entityID="x"', '') }, 'spMetadataXml', /no entityID/],
    ['metadata without ACS', { spMetadataXml: '<EntityDescriptor entityID="urn:x"><SPSSODescriptor/></EntityDescriptor>' }, 'spMetadataXml', /no AssertionConsumerService/],
    ['an expired certificate', { spMetadataXml: neoCockpitMetadata('acc', expired) }, 'spMetadataXml', /expired on 2021-01-01/],
    ['an unparsable certificate', { spMetadataXml: neoCockpitMetadata('acc', { base64Der: 'AAAA', pem: '' }) }, 'spMetadataXml', /not a readable X\.509/],
    ['XML with a DOCTYPE and an external entity', { spMetadataXml: '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><EntityDescriptor entityID="&e;"/>' }, 'spMetadataXml', /DOCTYPE or entity declaration/],
    ['an unknown Identity Directory attribute', { assertionAttributes: { dept: 'departmnt' } }, 'assertionAttributes.dept', /not an Identity Directory attribute/],
    ['an application name two applications carry', { applicationName: 'Twin App' }, 'applicationName', /matches 2 IAS applications/],
    ['both SP metadata and a Neo subaccount', { neoSubaccount: { landscapeHost: 'hana.ondemand.com', subaccount: 'acc', credentialSecret: 'neo-acc' } }, 'neoSubaccount', /either spMetadataXml or neoSubaccount, not both/],
    ['a Neo subaccount given by its display name', { spMetadataXml: undefined, neoSubaccount: { landscapeHost: 'hana.ondemand.com', subaccount: 'My Account', credentialSecret: 'neo-acc' } }, 'neoSubaccount.subaccount', /technical name/],
  ];

  it.each(cases)('%s', async (_name, patch, field, message) => {
    await stack.clearSandboxRequests();
    const answer = await stack.api('POST', '/api/ias-trusts', request(patch));
    expect(answer.status).toBe(400);
    expect(answer.body.fields).toContainEqual({ field, message: expect.stringMatching(message) });
    expect(sapWrites(await stack.sandboxRequests())).toEqual([]);
  });
});

describe('sap-trust ias-trust (the CLI against devhost)', () => {
  const { execFile } = require('node:child_process') as typeof import('node:child_process');
  const { writeFileSync, mkdtempSync } = require('node:fs') as typeof import('node:fs');
  const { tmpdir } = require('node:os') as typeof import('node:os');
  const cli = (args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [require('node:path').join(__dirname, '../../../dist/cli/main.js'), ...args, '--url', stack.devhostUrl, '--key', stack.functionKey], { env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });

  it('plan prints each step with what it would change; start runs to the end; a bad file gets the 400 fields', async () => {
    const dir = mkdtempSync(require('node:path').join(tmpdir(), 'ias-cli-'));
    const file = `${dir}/trust.json`;
    writeFileSync(file, JSON.stringify(request({ applicationName: 'CLI App' })));
    const planned = await cli(['ias-trust', 'plan', file]);
    expect(planned.code).toBe(0);
    expect(planned.stdout).toMatch(/IAS application with SAML 2\.0 configuration\s+create/);
    expect(planned.stdout).toMatch(/\+ name: CLI App/);
    const started = await cli(['ias-trust', 'start', file]);
    expect(started.code).toBe(0);
    expect(started.stdout).toMatch(/completed/);
    expect(started.stdout).toMatch(/Assertion attributes\s+updated/);
    writeFileSync(file, JSON.stringify(request({ applicationName: 'CLI App', spMetadataXml: '<x' })));
    const refused = await cli(['ias-trust', 'start', file]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/spMetadataXml: the metadata is not well-formed XML/);
  });
});
