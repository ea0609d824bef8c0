/**
 * An onboarding stack with IAS tenants for issue 10: the corporate IdPs SAP's Terraform provider
 * recorded (test/contract/specs/ias_fixture_datasource_corporate_idps.yaml), an "SAP Business
 * Technology Platform" application as BTP creates it (contracts C.4 defaults), Identity Directory
 * users, and the API client stored as a credential. Runs are started and followed over HTTP.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { startOnboardingStack, type ApiAnswer, type OnboardingStack } from '../../support/onboardingStack';

export const IAS_CLIENT = { clientId: 'b7e1c0de-0000-4000-8000-00000000ias0', clientSecret: 'ias-api-client-secret-for-tests-only' };
export const CREDENTIAL = 'ias-api-client';

export function recordedCorporateIdps(): Record<string, any>[] {
  const recording = YAML.parse(readFileSync(path.join(__dirname, '../../contract/specs/ias_fixture_datasource_corporate_idps.yaml'), 'utf8'));
  return JSON.parse(recording.interactions[0].response.body).identityProviders;
}

export const BTP_APPLICATION = {
  name: 'SAP Business Technology Platform',
  'urn:sap:identity:application:schemas:extension:sci:1.0:Authentication': {
    ssoType: 'openIdConnect',
    subjectNameIdentifier: 'uid',
    assertionAttributes: [
      { assertionAttributeName: 'email', userAttributeName: 'mail' },
      { assertionAttributeName: 'groups', userAttributeName: 'companyGroups' },
      { assertionAttributeName: 'mail', userAttributeName: 'mail' },
      { assertionAttributeName: 'uuid', userAttributeName: 'uid' },
    ],
    advancedAssertionAttributes: [
      { attributeName: 'email', attributeValue: '${corporateIdP.email}' },
      { attributeName: 'mail', attributeValue: '${corporateIdP.email}' },
    ],
  },
};

const users = (tenant: string) => [
  { userName: `anna.${tenant}`, name: { givenName: 'Anna', familyName: 'Berg' }, emails: [{ value: 'anna.berg@example.test', primary: true }] },
  { userName: `anna2.${tenant}`, name: { givenName: 'Anna', familyName: 'Berg' }, emails: [{ value: 'Anna.Berg@example.test', primary: true }] },
  { userName: `karl.${tenant}`, name: { givenName: 'Karl', familyName: 'Ode' }, emails: [{ value: 'karl.ode@example.test', primary: true }] },
];

export function iasTenantSeed(tenant: string, extra: { applications?: unknown[]; corporateIdps?: unknown[] } = {}) {
  return {
    tenant,
    clients: [{ ...IAS_CLIENT, scopes: ['manageApp', 'manageUsers'] }],
    applications: [BTP_APPLICATION, ...(extra.applications ?? [])],
    corporateIdps: extra.corporateIdps ?? recordedCorporateIdps(),
    users: users(tenant),
  };
}

export async function startIasStack(tenants: ReturnType<typeof iasTenantSeed>[]): Promise<OnboardingStack> {
  const stack = await startOnboardingStack({ landscapes: 1, extraSeed: { iasTenants: tenants } });
  const stored = await stack.api('PUT', `/api/credentials/${CREDENTIAL}`, { value: IAS_CLIENT });
  if (stored.status !== 204) throw new Error(`PUT credential: ${stored.status} ${stored.text}`);
  return stack;
}

const FINAL = new Set(['completed', 'failed', 'terminated', 'canceled']);

/** POST /api/<kind>, then GET until the run ends. */
export async function runToEnd(stack: OnboardingStack, kind: string, body: unknown, timeoutMs = 90_000): Promise<any> {
  const started = await stack.api('POST', `/api/${kind}`, body);
  if (started.status !== 202) throw new Error(`POST /api/${kind}: HTTP ${started.status} ${started.text}`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const view = await stack.api('GET', `/api/${kind}/${encodeURIComponent(started.body.id)}`);
    if (FINAL.has(view.body.status)) return view.body;
    if (Date.now() > deadline) throw new Error(`${started.body.id} still ${view.body.status}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

export async function plan(stack: OnboardingStack, kind: string, body: unknown): Promise<ApiAnswer> {
  return stack.api('POST', `/api/${kind}/plans`, body);
}

export function iasApplications(state: any, tenant: string): any[] {
  const t = state.services?.ias?.tenants?.[tenant] ?? state.services?.ias?.[tenant];
  if (!t) throw new Error(`sandbox state has no IAS tenant ${tenant}`);
  return Object.values(t.applications);
}

export const AUTH = 'urn:sap:identity:application:schemas:extension:sci:1.0:Authentication';
