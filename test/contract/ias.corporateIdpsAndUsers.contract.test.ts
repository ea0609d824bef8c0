/**
 * The sandbox's corporate IdP and SCIM user APIs against SAP's recordings
 * (ias_fixture_datasource_corporate_idps.yaml): the recorded GET answers with the recorded status and
 * response shape; the product's clients read them and derive federation on/off as the recording says.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { createIasService } from '../../sandbox/ias/iasService';
import { createIasClients } from '../../shared/sap/ias/iasClients';
import { corporateIdpFacts } from '../../orchestrations/platformAttributeMapping/corporateIdpFacts';
import { startSandboxFixture, type SandboxFixture } from '../integration/sandbox/ias.sandboxFixture';
import { SPEC_DIR } from './ias.specValidator';

const recording = YAML.parse(readFileSync(path.join(SPEC_DIR, 'ias_fixture_datasource_corporate_idps.yaml'), 'utf8'));
const recorded = JSON.parse(recording.interactions[0].response.body);
const CLIENT = { clientId: 'contract-client', clientSecret: 'contract-secret-1' };
const HOST = 'recorded.accounts.ondemand.com';
let fx: SandboxFixture;

function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (value && typeof value === 'object') return Object.fromEntries(Object.keys(value).sort().map((k) => [k, shape((value as Record<string, unknown>)[k])]));
  return value === null ? 'null' : typeof value;
}

beforeAll(async () => {
  fx = await startSandboxFixture([createIasService()], {
    iasTenants: [
      {
        tenant: 'recorded',
        clients: [{ ...CLIENT, scopes: ['manageApp', 'manageUsers'] }],
        corporateIdps: recorded.identityProviders,
        users: [
          { id: 'u1', userName: 'a', emails: [{ value: 'a@example.test', primary: true }] },
          { id: 'u2', userName: 'b', emails: [{ value: 'A@example.test', primary: true }] },
        ],
      },
    ],
  });
});

afterAll(async () => {
  await fx.stop();
});

describe('recorded GET /IdentityProviders/v1/ against the sandbox', () => {
  it('answers with the recorded status and the recorded shape of every identity provider', async () => {
    const clients = createIasClients(HOST, CLIENT, fx.options);
    const idps = await clients.corporateIdps.list();
    expect(recording.interactions[0].response.code).toBe(200);
    expect(idps.map(shape)).toEqual(recorded.identityProviders.map(shape));
  });

  it('reads identity federation as the recording holds it (useLocalUserStore)', async () => {
    const idps = await createIasClients(HOST, CLIENT, fx.options).corporateIdps.list();
    const facts = Object.fromEntries(idps.map((i) => [i.id, corporateIdpFacts(i).identityFederation]));
    for (const idp of recorded.identityProviders) expect(facts[idp.id]).toBe(idp.identityFederation.useLocalUserStore === true);
  });
});

describe('SCIM /scim/Users', () => {
  it('pages as SCIM ListResponse and the client reads every e-mail', async () => {
    const { users, complete } = await createIasClients(HOST, CLIENT, fx.options).users.list();
    expect(complete).toBe(true);
    expect(users.map((u) => u.emails?.[0].value).sort()).toEqual(['A@example.test', 'a@example.test']);
  });
});
