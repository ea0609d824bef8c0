/**
 * Issue 4, "Done when": a fresh onboarding, a re-run that writes nothing, drift repair. One
 * landscape (subaccount + tenant my100001) on devhost with the SAP sandbox; the three runs follow
 * each other, as an administrator would do them.
 */
import { X509Certificate } from 'node:crypto';
import { destroySharedSapAgents } from '../../../shared/sap/http/agent';
import { onboarding } from '../../../orchestrations/onboarding/workflow';

const ONBOARDING_STEPS = onboarding.steps;
import {
  OAUTH2_CLIENT_ID_SOURCES,
  sandboxObjects,
  sapWrites,
  s4Tenant,
  startOnboardingStack,
  subaccount,
  type Landscape,
  type OnboardingStack,
  type OnboardingView,
} from '../../support/onboardingStack';
import { adminDestinations, adminS4, normalizeFingerprint, otherCertificate } from './adminActions';

jest.setTimeout(180_000);

describe.each(OAUTH2_CLIENT_ID_SOURCES)('with the OAuth client ID taken from the communication user %s', (oauth2ClientIdFrom) => {
  let stack: OnboardingStack;
  let landscape: Landscape;
  let fresh: OnboardingView;

  beforeAll(async () => {
    stack = await startOnboardingStack({ landscapes: 1, oauth2ClientIdFrom });
    landscape = stack.landscapes[0];
  });

  afterAll(async () => {
    destroySharedSapAgents();
    await stack?.stop();
  });

  const outcomes = (view: OnboardingView) => Object.fromEntries(view.steps.map((s) => [s.id, s.outcome]));

  describe('a fresh onboarding', () => {
    beforeAll(async () => {
      fresh = await stack.onboard(landscape.request());
    });

    it('completes, with an outcome and timing for every step', () => {
      expect(fresh.error).toBeUndefined();
      expect(fresh.status).toBe('completed');
      expect(fresh.id).toBe(`onboard-${landscape.tenant}-${landscape.subaccountId}-r1`);
      expect(fresh.steps.map((s) => s.id)).toEqual(ONBOARDING_STEPS.map((s) => s.id));
      for (const step of fresh.steps) {
        expect([step.id, step.outcome]).toEqual([step.id, expect.stringMatching(/^(created|updated|unchanged|checked|verified)$/)]);
        expect(typeof step.durationMs).toBe('number');
      }
      expect(outcomes(fresh)).toMatchObject({ preflight: 'checked', communicationUser: 'created', communicationSystem: 'created', arrangement: 'created', destination: 'created', verify: 'verified', record: 'created' });
    });

    it('returns the destination, the OAuth 2.0 details and the verified token exchange', () => {
      const r = fresh.result!;
      expect(r).toBeDefined();
      expect(r.destinationName).toBe('S4HC_MY100001_SAP_COM_0501');
      expect(r.destinationUrl).toBe('https://my100001-api.s4hana.ondemand.com');
      expect(r.tokenServiceURL).toBe('https://my100001-api.s4hana.ondemand.com/sap/bc/sec/oauth2/token');
      expect(r.audience).toBe('https://my100001.s4hana.ondemand.com');
      expect(r.clientId).toEqual(expect.any(String));
      expect(r.clientId.length).toBeGreaterThan(0);
      expect(r.tokenExchangeVerified).toBe(true);
    });

    it('leaves the communication user, system, inbound user, arrangement and destination in SAP', async () => {
      const state = await stack.sandboxState();
      const tenant = s4Tenant(state, landscape.tenant);
      const sub = subaccount(state, landscape.subaccountId);
      const activeCert = sub.trustCertificate.active;
      expect(activeCert).toBeTruthy();
      const cn = /CN=([^,]+)/.exec(activeCert.subject)![1];
      expect(cn).toBe(`cfapps.eu10.hana.ondemand.com/${landscape.subaccountId}`);
      expect(normalizeFingerprint(fresh.result!.certificateFingerprint)).toBe(normalizeFingerprint(activeCert.fingerprint256));

      const user = tenant.communicationUsers.find((u: any) => u.Name === `COM0501_${landscape.subaccountId.slice(0, 8).toUpperCase()}`);
      expect(user).toBeDefined();
      const system = tenant.communicationSystems.find((s: any) => s.ID === `BTP_${landscape.subaccountId.slice(0, 8).toUpperCase()}`);
      expect(system).toMatchObject({ IsOAuth2IdentityProviderActive: true, OAuth2IdentityProviderName: cn, OAuth2IdentityProviderUserLogonType: 'user_uuid' });
      expect(system.OAuth2IdentityProviderCertificatePublicKeyBase64).toBeTruthy();
      const held = new X509Certificate(Buffer.from(system.OAuth2IdentityProviderCertificatePublicKeyBase64.replace(/-----[^-]+-----|\s/g, ''), 'base64'));
      expect(normalizeFingerprint(held.fingerprint256)).toBe(normalizeFingerprint(activeCert.fingerprint256));

      const inbound = tenant.inboundUsers.find((u: any) => u.CommunicationSystemUUID === system.UUID && u.CommunicationUserID === user.ID);
      expect(inbound).toMatchObject({ AuthenticationMethod: 'oauth2', OAuth2GrantType: 'saml2-bearer' });
      expect(inbound.OAuth2ClientID).toBe(fresh.result!.clientId);
      expect(inbound.OAuth2ClientID).toBe(oauth2ClientIdFrom === 'name' ? user.Name : user.ID);

      const arrangements = tenant.communicationArrangements.filter((a: any) => a.CommunicationSystemID === system.ID);
      expect(arrangements).toHaveLength(1);
      expect(arrangements[0]).toMatchObject({ CommunicationScenarioID: 'SAP_COM_0501', InboundUser: inbound.UUID });

      expect(sub.destinations).toHaveLength(1);
      expect(sub.destinations[0]).toMatchObject({
        Name: 'S4HC_MY100001_SAP_COM_0501',
        Type: 'HTTP',
        URL: 'https://my100001-api.s4hana.ondemand.com',
        ProxyType: 'Internet',
        Authentication: 'OAuth2SAMLBearerAssertion',
        audience: 'https://my100001.s4hana.ondemand.com',
        clientKey: fresh.result!.clientId,
        tokenServiceURLType: 'Dedicated',
        tokenServiceURL: 'https://my100001-api.s4hana.ondemand.com/sap/bc/sec/oauth2/token',
        tokenServiceUser: fresh.result!.clientId,
        tokenServicePassword: '***',
        authnContextClassRef: 'urn:oasis:names:tc:SAML:2.0:ac:classes:X509',
        nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
        userIdSource: 'user_uuid',
      });
      // The verification really went through S/4's token endpoint with our issuer.
      expect(tenant.tokenLog).toEqual(expect.arrayContaining([expect.objectContaining({ outcome: 'granted', issuer: cn })]));
    });
  });

  describe('a re-run of a completed onboarding', () => {
    it('writes nothing and reports every step as unchanged', async () => {
      const before = sandboxObjects(await stack.sandboxState());
      await stack.clearSandboxRequests();
      const again = await stack.onboard(landscape.request());
      const requests = await stack.sandboxRequests();
      const after = sandboxObjects(await stack.sandboxState());

      expect(again.status).toBe('completed');
      // Each run keeps its own record; the first one is still there to read.
      expect(again.id).toBe(`onboard-${landscape.tenant}-${landscape.subaccountId}-r2`);
      expect((await stack.get(fresh.id)).status).toBe('completed');
      expect(outcomes(again)).toEqual({ ...Object.fromEntries(ONBOARDING_STEPS.map((s) => [s.id, 'unchanged'])), preflight: 'checked', oauthDetails: 'checked', verify: 'verified' });
      expect(after).toEqual(before);
      expect(requests.length).toBeGreaterThan(0);
      expect(sapWrites(requests)).toEqual([]);
      expect(again.result).toEqual({ ...fresh.result });
    });
  });

  describe('drift made by hand', () => {
    it('is repaired on the next run: changed steps report updated, the rest unchanged, verify passes again', async () => {
      const destinations = adminDestinations(stack, landscape);
      const s4 = adminS4(stack, landscape);
      const name = fresh.result!.destinationName;
      const systemId = `BTP_${landscape.subaccountId.slice(0, 8).toUpperCase()}`;

      // An administrator edits the destination's audience in the cockpit ...
      const current = await destinations.getDestination(name);
      const edited = Object.fromEntries(Object.entries(current!.destination).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
      await destinations.updateDestination({ ...edited, audience: 'https://my100001-api.s4hana.ondemand.com', Name: name, Type: 'HTTP' });
      // ... and someone uploads another certificate with another issuer on the communication system.
      const system = await s4.systems.findById(systemId);
      const wrong = otherCertificate('someone-else.example.com');
      await s4.systems.patch(system!.UUID, { OAuth2IdentityProviderName: 'someone-else.example.com', OAuth2IdentityProviderCertificatePublicKeyBase64: wrong.base64Der });

      const drifted = await stack.sandboxState();
      expect(subaccount(drifted, landscape.subaccountId).destinations[0].audience).toBe('https://my100001-api.s4hana.ondemand.com');
      expect(s4Tenant(drifted, landscape.tenant).communicationSystems.find((s: any) => s.ID === systemId).OAuth2IdentityProviderName).toBe('someone-else.example.com');

      const repaired = await stack.onboard(landscape.request());
      expect(repaired.status).toBe('completed');
      expect(outcomes(repaired)).toEqual({
        preflight: 'checked',
        trustCertificate: 'unchanged',
        communicationUser: 'unchanged',
        communicationSystem: 'updated',
        arrangement: 'unchanged',
        oauthDetails: 'checked',
        destination: 'updated',
        verify: 'verified',
        record: 'unchanged',
      });
      expect(repaired.steps.find((s) => s.id === 'destination')!.detail).toMatch(/audience/);
      expect(repaired.result!.tokenExchangeVerified).toBe(true);

      const state = await stack.sandboxState();
      const sub = subaccount(state, landscape.subaccountId);
      expect(sub.destinations[0].audience).toBe('https://my100001.s4hana.ondemand.com');
      const cn = `cfapps.eu10.hana.ondemand.com/${landscape.subaccountId}`;
      const fixed = s4Tenant(state, landscape.tenant).communicationSystems.find((s: any) => s.ID === systemId);
      expect(fixed.OAuth2IdentityProviderName).toBe(cn);
      const held = new X509Certificate(Buffer.from(fixed.OAuth2IdentityProviderCertificatePublicKeyBase64.replace(/-----[^-]+-----|\s/g, ''), 'base64'));
      expect(normalizeFingerprint(held.fingerprint256)).toBe(normalizeFingerprint(sub.trustCertificate.active.fingerprint256));
    });
  });
});
