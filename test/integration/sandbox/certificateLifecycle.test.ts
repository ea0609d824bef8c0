/**
 * The sandbox features a certificate-lifecycle workflow needs, over real HTTP after a real
 * onboarding: the certificate timeline (exact outage windows of a rotation), the tenant switch that
 * refuses a certificate push, and the clock that lets certificates expire.
 */
import { destroySharedSapAgents } from '../../../shared/sap/http/agent';
import { adminRequest, sapRequest, xsuaaToken } from '../../support/sandboxClient';
import { startOnboardingStack, type Landscape, type OnboardingStack } from '../../support/onboardingStack';
import { adminDestinations, adminS4 } from '../onboarding/adminActions';

jest.setTimeout(120_000);

let stack: OnboardingStack;
let landscape: Landscape;
let systemId: string;

const base64Der = (pem: string) => pem.replace(/-----[^-]+-----|\s/g, '');
const timeline = async () => (await adminRequest(stack.sandbox, `/timeline?tenant=${landscape.tenant}`)).json().tenants[landscape.tenant];

/** Find destination with a fresh XSUAA token from the sandbox's clock: the token exchange's outcome. */
async function exchange(): Promise<{ value?: string; error?: string }> {
  const token = await xsuaaToken(stack.sandbox, landscape.serviceKey);
  const found = await sapRequest(stack.sandbox, `${landscape.serviceKey.uri}/destination-configuration/v1/destinations/S4HC_${landscape.tenant.toUpperCase()}_SAP_COM_0501`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return found.json().authTokens[0];
}

beforeAll(async () => {
  stack = await startOnboardingStack({ landscapes: 1 });
  landscape = stack.landscapes[0];
  const view = await stack.onboard(landscape.request());
  expect(view.status).toBe('completed');
  systemId = `BTP_${landscape.subaccountId.slice(0, 8).toUpperCase()}`;
});

afterAll(async () => {
  destroySharedSapAgents();
  await stack?.stop();
});

describe('certificate timeline (GET /__sandbox/timeline)', () => {
  it('shows an onboarded tenant whose system holds the certificate BTP signs with', async () => {
    const t = await timeline();
    expect(t.mismatched).toBe(false);
    expect(t.events.at(-1).systems).toEqual([
      expect.objectContaining({ communicationSystem: systemId, subaccount: landscape.subaccountId, samlIssuer: `cfapps.eu10.hana.ondemand.com/${landscape.subaccountId}`, matches: true }),
    ]);
    const unknown = await adminRequest(stack.sandbox, '/timeline?tenant=my999999');
    expect([unknown.status, unknown.json().tenants]).toEqual([404, [landscape.tenant]]);
  });

  it('measures a rotation cut-over exactly: opens on the BTP rotate, closes when S/4 holds the new certificate', async () => {
    const destinations = adminDestinations(stack, landscape);
    const s4 = adminS4(stack, landscape);
    const cleared = await adminRequest(stack.sandbox, '/timeline', { method: 'DELETE' });
    expect(cleared.json().tenants[landscape.tenant].events).toHaveLength(1);
    await destinations.generatePassiveCertificate();
    expect((await timeline()).events).toHaveLength(1); // a passive certificate signs nothing yet

    const rotated = await destinations.rotateCertificate();
    const during = await timeline();
    expect(during.mismatched).toBe(true);
    expect(during.events.at(-1).cause).toBe(`POST destination-configuration.cfapps.eu10.hana.ondemand.com/destination-configuration/v1/saml2Metadata/rotateCertificate`);
    expect((await exchange()).error).toMatch(/HTTP 400/); // what the timeline stands for, checked once
    await new Promise((r) => setTimeout(r, 300));

    const system = await s4.systems.findById(systemId);
    await s4.systems.patch(system!.UUID, { OAuth2IdentityProviderCertificatePublicKeyBase64: base64Der(rotated.activeCertificate) });
    const after = await timeline();
    expect(after.mismatched).toBe(false);
    expect(after.mismatches).toHaveLength(1);
    const [window] = after.mismatches;
    expect(window.ms).toBe(Date.parse(window.end) - Date.parse(window.start));
    expect(window.ms).toBeGreaterThanOrEqual(300);
    expect(after.longestClosedMismatchMs).toBe(window.ms);
    expect((await exchange()).value).toEqual(expect.any(String));
  });
});

describe('tenant switch refuseSigningCertificateUpdate', () => {
  it('makes S/4 refuse the certificate push, so the outage stays open until the switch is off and the push is repeated', async () => {
    const destinations = adminDestinations(stack, landscape);
    const s4 = adminS4(stack, landscape);
    await stack.setSwitches(landscape.tenant, { refuseSigningCertificateUpdate: true });
    await destinations.generatePassiveCertificate();
    const rotated = await destinations.rotateCertificate();
    const system = await s4.systems.findById(systemId);
    const push = () => s4.systems.patch(system!.UUID, { OAuth2IdentityProviderCertificatePublicKeyBase64: base64Der(rotated.activeCertificate) });
    await expect(push()).rejects.toMatchObject({ status: 400, sapMessage: expect.stringContaining(`communication system ${systemId} cannot be changed by API`) });
    const refused = await timeline();
    expect(refused.mismatched).toBe(true);
    expect(refused.mismatches.at(-1).end).toBeNull();

    await stack.setSwitches(landscape.tenant, { refuseSigningCertificateUpdate: false });
    await push();
    expect((await timeline()).mismatches.at(-1).end).toEqual(expect.any(String));
  });
});

describe('sandbox clock (PUT /__sandbox/clock)', () => {
  afterAll(async () => {
    await adminRequest(stack.sandbox, '/clock', { method: 'PUT', body: { offsetSeconds: 0 } });
  });

  it('lets the trust certificate expire for S/4 without waiting, and back at offset 0 the exchange works again', async () => {
    expect((await exchange()).value).toEqual(expect.any(String));
    const moved = await adminRequest(stack.sandbox, '/clock', { method: 'PUT', body: { offsetSeconds: 3 * 366 * 24 * 3600 } });
    expect(moved.json().offsetSeconds).toBe(3 * 366 * 24 * 3600);
    expect(Date.parse(moved.json().now) - Date.now()).toBeGreaterThan(3 * 365 * 24 * 3600 * 1000);

    const expired = await exchange();
    expect(expired.error).toMatch(/HTTP 400.*invalid_grant.*expired at/);
    const state = await stack.sandboxState();
    const last = state.services.s4.tenants[landscape.tenant].tokenLog.at(-1);
    expect(Date.parse(last.at)).toBeGreaterThan(Date.now() + 3 * 365 * 24 * 3600 * 1000);

    const bad = await adminRequest(stack.sandbox, '/clock', { method: 'PUT', body: { offsetSeconds: 'soon' } });
    expect([bad.status, bad.json().fields[0].field]).toEqual([400, 'offsetSeconds']);
    await adminRequest(stack.sandbox, '/clock', { method: 'PUT', body: { offsetSeconds: 0 } });
    expect((await adminRequest(stack.sandbox, '/clock')).json().offsetSeconds).toBe(0);
    expect((await exchange()).value).toEqual(expect.any(String));
  });
});
