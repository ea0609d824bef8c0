/**
 * Issue 10, workflow 2 on devhost with the SAP sandbox: seed 001's table with identity federation
 * on and off (corporate IdPs as SAP's Terraform provider recorded them), e-mail uniqueness through
 * SCIM, idempotent re-runs, a mapping that cannot work refused before any write, and 400s.
 */
import { destroySharedSapAgents } from '../../../shared/sap/http/agent';
import { sapWrites, type OnboardingStack } from '../../support/onboardingStack';
import { AUTH, CREDENTIAL, iasApplications, iasTenantSeed, plan, runToEnd, startIasStack } from './iasStack';

jest.setTimeout(240_000);

const FED_ON = 'Federation with Entra ID';
const FED_OFF = '9e35a298-36c1-4d21-967d-c8525ebfa84e';
let stack: OnboardingStack;

const request = (tenant: string, extra: Record<string, unknown>) => ({ ias: { tenantHost: `${tenant}.accounts.ondemand.com`, apiClientSecret: CREDENTIAL }, ...extra });

beforeAll(async () => {
  stack = await startIasStack([iasTenantSeed('fed-on-ias'), iasTenantSeed('fed-off-ias'), iasTenantSeed('bad-ias')]);
});

afterAll(async () => {
  destroySharedSapAgents();
  await stack?.stop();
});

/** What the BTP application sends: the subject name identifier and every attribute with its source. */
async function sent(tenant: string) {
  const app = iasApplications(await stack.sandboxState(), tenant).find((a) => a.name === 'SAP Business Technology Platform');
  const auth = app[AUTH];
  return {
    subject: auth.subjectNameIdentifier,
    attributes: [
      ...(auth.assertionAttributes ?? []).map((a: any) => [a.assertionAttributeName, 'Identity Directory', a.userAttributeName]),
      ...(auth.advancedAssertionAttributes ?? []).map((a: any) => [a.attributeName, 'advanced', a.attributeValue]),
    ].sort(),
  };
}

describe('seed 001 with identity federation off: renames from the corporate IdP', () => {
  let run: any;
  beforeAll(async () => {
    run = await runToEnd(stack, 'attribute-mappings', request('fed-off-ias', { corporateIdp: FED_OFF, corporateIdpAttributes: { last_name: 'sn' } }));
  });

  it('the application sends exactly the five attributes, each from the corporate IdP', async () => {
    expect(run.status).toBe('completed');
    expect(run.result.identityFederation).toBe(false);
    expect(await sent('fed-off-ias')).toEqual({
      subject: 'uid',
      attributes: [
        ['email', 'advanced', '${corporateIdP.email}'],
        ['first_name', 'advanced', '${corporateIdP.first_name}'],
        ['groups', 'advanced', '${corporateIdP.groups}'],
        ['last_name', 'advanced', '${corporateIdP.sn}'],
      ],
    });
  });

  it('reports the IdP that does not allow local users and the e-mail address two users share', () => {
    const idp = run.steps.find((s: any) => s.id === 'corporateIdp');
    expect(idp.detail).toBe('test: identity federation off');
    expect(idp.warnings).toEqual([expect.stringMatching(/does not allow local users/)]);
    const users = run.steps.find((s: any) => s.id === 'userDirectory');
    expect(users.warnings).toEqual([expect.stringMatching(/^e-mail anna\.berg@example\.test belongs to 2 users/)]);
    expect(run.result.duplicateEmails).toBe(1);
  });

  it('a plan after the run finds nothing to change', async () => {
    const answer = await plan(stack, 'attribute-mappings', request('fed-off-ias', { corporateIdp: FED_OFF, corporateIdpAttributes: { last_name: 'sn' } }));
    expect(answer.status).toBe(200);
    expect(answer.body.steps.find((s: any) => s.id === 'attributeMapping').plan).toMatchObject({ action: 'unchanged', changes: [] });
  });

  it('a re-run writes nothing and says so', async () => {
    await stack.clearSandboxRequests();
    const again = await runToEnd(stack, 'attribute-mappings', request('fed-off-ias', { corporateIdp: FED_OFF, corporateIdpAttributes: { last_name: 'sn' } }));
    expect(again.steps.map((s: any) => [s.id, s.outcome])).toEqual([
      ['corporateIdp', 'checked'],
      ['userDirectory', 'checked'],
      ['attributeMapping', 'unchanged'],
    ]);
    expect(sapWrites(await stack.sandboxRequests())).toEqual([]);
  });
});

describe('seed 001 with identity federation on: explicit mappings from the Identity Directory', () => {
  const body = request('fed-on-ias', { corporateIdp: FED_ON, groupsExpression: '${companyGroups:regex[BTP.*]}' });

  it('a plan lists what would be added, replaced and removed, and writes nothing', async () => {
    await stack.clearSandboxRequests();
    const answer = await plan(stack, 'attribute-mappings', body);
    expect(answer.status).toBe(200);
    const changes = answer.body.steps.find((s: any) => s.id === 'attributeMapping').plan.changes;
    expect(changes).toEqual(
      expect.arrayContaining([
        { field: 'first_name', to: 'Identity Directory firstName' },
        { field: 'last_name', to: 'Identity Directory lastName' },
        { field: 'groups', from: 'Identity Directory companyGroups', to: 'Expression ${companyGroups:regex[BTP.*]}' },
        { field: 'mail', from: 'Identity Directory mail' },
        { field: 'uuid', from: 'Identity Directory uid' },
        { field: 'email', from: 'Corporate IdP email' },
        { field: 'mail', from: 'Corporate IdP email' },
      ]),
    );
    expect(changes).toHaveLength(7);
    expect(sapWrites(await stack.sandboxRequests())).toEqual([]);
  });

  it('the application sends exactly the five attributes, from the Identity Directory and the group expression', async () => {
    const run = await runToEnd(stack, 'attribute-mappings', body);
    expect(run.status).toBe('completed');
    expect(run.result.identityFederation).toBe(true);
    expect(run.steps.find((s: any) => s.id === 'attributeMapping').outcome).toBe('updated');
    expect(await sent('fed-on-ias')).toEqual({
      subject: 'uid',
      attributes: [
        ['email', 'Identity Directory', 'mail'],
        ['first_name', 'Identity Directory', 'firstName'],
        ['groups', 'advanced', '${companyGroups:regex[BTP.*]}'],
        ['last_name', 'Identity Directory', 'lastName'],
      ],
    });
  });
});

describe('a mapping that cannot work is never written', () => {
  it('a corporate IdP rename with federation on fails the run, names the problem, and leaves the application as it was', async () => {
    const before = await sent('bad-ias');
    await stack.clearSandboxRequests();
    const run = await runToEnd(stack, 'attribute-mappings', request('bad-ias', { corporateIdp: FED_ON, corporateIdpAttributes: { last_name: 'sn' } }));
    expect(run.status).toBe('failed');
    expect(run.error.step).toBe('attributeMapping');
    expect(run.error.message).toMatch(/source Corporate IdP is not used with federation on: last_name ← sn/);
    expect(sapWrites(await stack.sandboxRequests())).toEqual([]);
    expect(await sent('bad-ias')).toEqual(before);
  });

  it('an IdP name two corporate IdPs carry fails with the fix', async () => {
    const run = await runToEnd(stack, 'attribute-mappings', request('bad-ias', { corporateIdp: 'test' }));
    expect(run.status).toBe('failed');
    expect(run.error.message).toMatch(/2 corporate identity providers are called "test"/);
    expect(run.error.fix).toMatch(/id/);
  });
});

describe('bad input gets a 400 with the reason, and nothing reaches IAS', () => {
  const cases: [string, Record<string, unknown>, string, RegExp][] = [
    ['an expression with unbalanced braces', { groupsExpression: '${companyGroups:regex[BTP.*]' }, 'groupsExpression', /unbalanced braces/],
    ['an expression with an unknown function', { groupsExpression: '${companyGroups:grep[BTP]}' }, 'groupsExpression', /unknown function "grep"/],
    ['an unknown Identity Directory attribute', { subjectNameIdentifier: 'userid' }, 'subjectNameIdentifier', /not an Identity Directory attribute/],
    ['a BTP attribute seed 001 does not know', { corporateIdpAttributes: { surname: 'sn' } }, 'corporateIdpAttributes.surname', /unknown field/],
  ];
  it.each(cases)('%s', async (_name, patch, field, message) => {
    await stack.clearSandboxRequests();
    const answer = await stack.api('POST', '/api/attribute-mappings', request('bad-ias', patch));
    expect(answer.status).toBe(400);
    expect(answer.body.fields).toContainEqual({ field, message: expect.stringMatching(message) });
    expect(sapWrites(await stack.sandboxRequests())).toEqual([]);
  });
});

describe('secrets', () => {
  it('the IAS API client secret is in no Durable history, run status or answer: only its name is', async () => {
    const { readdirSync, readFileSync, statSync } = require('node:fs') as typeof import('node:fs');
    const path = require('node:path') as typeof import('node:path');
    const { IAS_CLIENT } = require('./iasStack') as typeof import('./iasStack');
    const files = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(path.join(dir, n)).isDirectory() ? files(path.join(dir, n)) : [path.join(dir, n)]));
    const history = files(stack.dataDir).filter((f) => !f.includes(`${path.sep}secrets${path.sep}`) && !f.includes(`${path.sep}azurite${path.sep}`));
    expect(history.length).toBeGreaterThan(0);
    const texts = history.map((f) => readFileSync(f, 'latin1'));
    for (const text of texts) expect(text).not.toContain(IAS_CLIENT.clientSecret);
    // The runs above are in there, by the credential's name.
    expect(texts.some((t) => t.includes(`"apiClientSecret":"${CREDENTIAL}"`))).toBe(true);
    const list = await stack.api('GET', '/api/attribute-mappings');
    expect(list.body.items.length).toBeGreaterThan(0);
    expect(list.text).not.toContain(IAS_CLIENT.clientSecret);
    expect(stack.devhostOutput()).not.toContain(IAS_CLIENT.clientSecret);
  });
});
