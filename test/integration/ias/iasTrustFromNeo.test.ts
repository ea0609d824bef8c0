/**
 * Seed 000 end to end from a Neo subaccount (issue 10 with issue 11's safe import), on devhost with
 * the sandbox: the local service provider becomes Custom with a generated key pair (private key only
 * in the SecretStore), the application identity providers are kept, the SP metadata is built from
 * that configuration, and the IAS application ends with the four attributes and the SP's certificate.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { destroySharedSapAgents } from '../../../shared/sap/http/agent';
import { sapWrites as allWrites } from '../../support/onboardingStack';

/** Writes to SAP, without the Neo platform API token request (a POST that changes nothing). */
const sapWrites = (requests: { method: string; host: string; path: string }[]) => allWrites(requests).filter((r) => r.path !== '/oauth2/apitoken/v1');
import { makeKeyPairCertificate, seed004Example } from '../../support/neoTrustDocuments';
import { startNeoTrustStack, NEO_LANDSCAPE, type NeoTrustStack } from '../../support/neoTrustStack';
import { AUTH, CREDENTIAL, IAS_CLIENT, iasApplications, iasTenantSeed, plan, runToEnd } from './iasStack';

jest.setTimeout(300_000);

let neo: NeoTrustStack;
const HOST = 'neo-ias.accounts.ondemand.com';
const derOf = (pem: string) => pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '');
const example1 = seed004Example(1, { sp: makeKeyPairCertificate('https://eu2.hana.ondemand.com/custom1') });
const example2 = seed004Example(2);
/** Default, with an identity provider that is fully featured once the provider is Custom. */
const defaultWithIdp = (() => {
  const doc = seed004Example(2);
  for (const idp of doc.applicationIdentityProviders!.identityProviders) idp.onlyForIdpInitiatedSSO = 'false';
  return doc;
})();

beforeAll(async () => {
  neo = await startNeoTrustStack([{ subaccount: 'default2', trust: defaultWithIdp }, { subaccount: 'restricted', trust: example2 }, { subaccount: 'custom1', trust: example1 }], { extraSeed: { iasTenants: [iasTenantSeed('neo-ias')] } });
  const stored = await neo.stack.api('PUT', `/api/credentials/${CREDENTIAL}`, { value: IAS_CLIENT });
  if (stored.status !== 204) throw new Error(`PUT credential: ${stored.status} ${stored.text}`);
});

afterAll(async () => {
  await neo?.stop();
  destroySharedSapAgents();
});

const request = (subaccount: string, name: string) => ({
  ias: { tenantHost: HOST, apiClientSecret: CREDENTIAL },
  applicationName: name,
  neoSubaccount: { landscapeHost: NEO_LANDSCAPE, subaccount, credentialSecret: neo.credential(subaccount) },
});
const outcomes = (view: any) => Object.fromEntries(view.steps.map((s: any) => [s.id, s.outcome]));
const app = async (name: string) => iasApplications(await neo.stack.sandboxState(), 'neo-ias').find((a) => a.name === name);

describe('from a Neo subaccount with the Default configuration', () => {
  let first: any;
  beforeAll(async () => {
    first = await runToEnd(neo.stack, 'ias-trusts', request('default2', 'Neo default2'), 180_000);
  });

  it('makes the local service provider Custom with a new key pair through the safe import, keeping the application identity providers', async () => {
    expect(first.status).toBe('completed');
    expect(outcomes(first)).toMatchObject({ neoLocalServiceProvider: 'created', neoTrustValidate: expect.any(String), neoTrustBackup: 'created', neoTrustImport: 'updated', neoTrustRestore: 'skipped', neoSpMetadata: 'checked' });
    const trust = await neo.sandboxTrust('default2');
    expect(trust.configurationType).toBe('Custom');
    expect(trust.localServiceProvider.name).toBe(`https://${NEO_LANDSCAPE}/default2`);
    expect(trust.applicationIdentityProviders.identityProviders.map((i: any) => i.name)).toEqual(defaultWithIdp.applicationIdentityProviders!.identityProviders.map((i) => i.name));
  });

  it('the IAS application ends with the four attributes and the SP\'s certificate and ACS', async () => {
    const trust = await neo.sandboxTrust('default2');
    const created = await app('Neo default2');
    const saml = created[AUTH].saml2Configuration;
    expect(derOf(saml.certificatesForSigning[0].base64Certificate)).toBe(trust.localServiceProvider.signingCertificate);
    expect(saml.acsEndpoints[0].location).toBe(`https://authn.${NEO_LANDSCAPE}/saml2/sp/acs/default2/default2`);
    expect(created[AUTH].assertionAttributes.map((a: any) => a.assertionAttributeName).sort()).toEqual(['display_name', 'first_name', 'last_name', 'mail']);
    expect(first.result.entityId).toBe(`https://${NEO_LANDSCAPE}/default2`);
  });

  it('the private key is only in the SecretStore: not in the run view nor in the Durable history', async () => {
    const detail: string = first.steps.find((s: any) => s.id === 'neoLocalServiceProvider').detail;
    const secretName = /SecretStore \(([^)]+)\)/.exec(detail)![1];
    const document = JSON.parse((await neo.secrets.get(secretName))!);
    const key: string = document.localServiceProvider.signingKey;
    expect(key.length).toBeGreaterThan(1000);
    expect(JSON.stringify(first)).not.toContain(key.slice(0, 64));
    const history = filesUnder(path.join(neo.stack.dataDir)).filter((f) => !/secrets|azurite/.test(f));
    for (const file of history) expect(readFileSync(file, 'latin1')).not.toContain(key.slice(0, 64));
  });

  it('a re-run keeps the key pair, writes nothing and says so', async () => {
    await neo.stack.clearSandboxRequests();
    const again = await runToEnd(neo.stack, 'ias-trusts', request('default2', 'Neo default2'), 120_000);
    expect(again.status).toBe('completed');
    expect(outcomes(again)).toMatchObject({ neoLocalServiceProvider: 'unchanged', neoTrustImport: 'skipped', application: 'unchanged', assertionAttributes: 'unchanged', metadataUrl: 'unchanged' });
    expect(sapWrites(await neo.stack.sandboxRequests())).toEqual([]);
  });
});

describe('from a Neo subaccount whose only identity provider is restricted to IdP-initiated SSO', () => {
  it('the safe import refuses Custom (no fully featured IdP) before any backup or import, and IAS is not touched', async () => {
    await neo.stack.clearSandboxRequests();
    const run = await runToEnd(neo.stack, 'ias-trusts', request('restricted', 'Neo restricted'), 120_000);
    expect(run.status).toBe('failed');
    expect(run.error.step).toBe('neoTrustValidate');
    expect(run.error.message).toMatch(/use-case\/fully-featured-idps/);
    expect(sapWrites(await neo.stack.sandboxRequests())).toEqual([]);
    expect((await neo.sandboxTrust('restricted')).configurationType).toBe('Default');
    expect(await app('Neo restricted')).toBeUndefined();
  });
});

describe('from a Neo subaccount that is Custom already', () => {
  it('keeps its provider and certificate, and a plan shows only the IAS side', async () => {
    const answer = await plan(neo.stack, 'ias-trusts', request('custom1', 'Neo custom1'));
    expect(answer.status).toBe(200);
    const steps = Object.fromEntries(answer.body.steps.map((s: any) => [s.id, s.plan?.action ?? s.outcome]));
    expect(steps).toMatchObject({ neoLocalServiceProvider: 'unchanged', neoTrustImport: 'skipped', application: 'create' });
    const run = await runToEnd(neo.stack, 'ias-trusts', request('custom1', 'Neo custom1'), 120_000);
    expect(run.status).toBe('completed');
    const saml = (await app('Neo custom1'))[AUTH].saml2Configuration;
    expect(derOf(saml.certificatesForSigning[0].base64Certificate)).toBe(example1.localServiceProvider!.signingCertificate);
  });
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}
