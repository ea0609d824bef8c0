/**
 * Each onboarding step's diff, from what its read found: create, update, unchanged and conflict.
 * Pure: no SAP, no store. The integration tests prove the same rules against the sandbox.
 */
import { X509Certificate } from 'node:crypto';
import { OnboardingRequest } from '../../../shared/schemas/onboardingRequest';
import { MASKED } from '../../../shared/workflow/stepPlan';
import type { CommunicationSystem, CommunicationUser } from '../../../shared/sap/s4';
import { oauth2IdentityProviderFields } from '../../../shared/sap/s4/unconfirmedFields';
import { toSpec } from '../../../orchestrations/onboarding/request';
import { DESTINATION_OWNER_PROPERTY, destinationOwner, ownedDescription, DESCRIPTION_MAX } from '../../../orchestrations/onboarding/ownership';
import { communicationUser } from '../../../orchestrations/onboarding/steps/communicationUser';
import { communicationSystem } from '../../../orchestrations/onboarding/steps/communicationSystem';
import { arrangement } from '../../../orchestrations/onboarding/steps/arrangement';
import { destination, desiredDestination } from '../../../orchestrations/onboarding/steps/destination';
import { trustCertificate } from '../../../orchestrations/onboarding/steps/trustCertificate';
import { PermanentStepError } from '../../../shared/workflow/stepOutcome';
import forge from 'node-forge';

const SUBACCOUNT = '7b3c1e2a-4d5f-4a6b-9c8d-0e1f2a3b4c5d';
const request = { btp: { region: 'eu10', subaccountId: SUBACCOUNT, destinationServiceKeySecret: 'btp-key' }, s4: { host: 'my100001-api.s4hana.ondemand.com', bootstrapUserSecret: 's4-boot' } };
const specWith = (extra: object = {}) => toSpec(OnboardingRequest.parse({ ...request, ...extra }), 7);
const spec = specWith();

function selfSigned(cn: string): string {
  const keys = forge.pki.rsa.generateKeyPair(1024);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  cert.setSubject([{ name: 'commonName', value: cn }, { name: 'organizationName', value: 'SAP' }]);
  cert.setIssuer(cert.subject.attributes);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}
const PEM = selfSigned(`cfapps.eu10.hana.ondemand.com/${SUBACCOUNT}`);
const x509 = new X509Certificate(PEM);
const cert = { commonName: `cfapps.eu10.hana.ondemand.com/${SUBACCOUNT}`, fingerprintSha256: x509.fingerprint256, notBefore: x509.validFrom, notAfter: x509.validTo, pem: PEM, base64Der: x509.raw.toString('base64') };
const user = { userName: spec.s4.communicationUserName, userId: 'CC0000000001', passwordSecret: 's4-my100001-com0501-password' };

describe('communication user', () => {
  const ours: CommunicationUser = { ID: 'CC0000000001', Name: spec.s4.communicationUserName, Description: ownedDescription(spec) };

  it('creates a missing user, the password masked and named by its secret', () => {
    const diff = communicationUser.diff({ user: undefined, usedBy: [], passwordApplied: false }, { spec });
    expect(diff.action).toBe('create');
    expect(diff.changes.find((c) => c.field === 'Password')!.to).toMatch(new RegExp(`^${MASKED.replace(/[()]/g, '\\$&')}: generated and stored as `));
  });

  it('is unchanged when it carries our description and S/4 has the stored password', () => {
    expect(communicationUser.diff({ user: ours, usedBy: [], passwordApplied: true }, { spec })).toMatchObject({ action: 'unchanged', output: { userId: 'CC0000000001' } });
  });

  it('repairs a hand-made user that nothing else uses: description and password', () => {
    const diff = communicationUser.diff({ user: { ...ours, Description: 'made by hand' }, usedBy: [], passwordApplied: false }, { spec });
    expect(diff.action).toBe('update');
    expect(diff.changes.map((c) => c.field)).toEqual(['Description', 'Password']);
  });

  it('is a conflict naming the systems and arrangements when another integration uses it', () => {
    const usedBy = ['communication system PAYROLL with arrangement PAYROLL_0008 (SAP_COM_0008)'];
    const diff = communicationUser.diff({ user: ours, usedBy, passwordApplied: true }, { spec });
    expect(diff).toMatchObject({ action: 'conflict', conflict: { usedBy } });
    expect(diff.conflict!.fix).toMatch(/s4\.communicationUserName.*"adopt": \["communicationUser"\]/);
  });

  it('takes it over when the request adopts it', () => {
    const adopting = specWith({ adopt: ['communicationUser'] });
    expect(communicationUser.diff({ user: { ...ours, Description: 'PAYROLL' }, usedBy: ['communication system PAYROLL'], passwordApplied: false }, { spec: adopting }).action).toBe('update');
  });
});

describe('the description that marks what the product owns', () => {
  it('fits S/4 field of 80 characters whole, with the whole subaccount id', () => {
    const text = ownedDescription(spec);
    expect(text.length).toBeLessThanOrEqual(DESCRIPTION_MAX);
    expect(text).toContain(SUBACCOUNT);
    expect(text).toContain(spec.s4.scenarioId);
  });
});

describe('communication system', () => {
  const input = { spec, cert, user, uploadCertificate: true };
  const inbound = { UUID: 'iu-1', CommunicationUserID: user.userId, AuthenticationMethod: 'oauth2', OAuth2GrantType: 'saml2-bearer', OAuth2ClientID: user.userName };
  const ours = (): CommunicationSystem =>
    ({
      UUID: 's-1',
      ID: spec.s4.communicationSystemId,
      Description: ownedDescription(spec),
      ...oauth2IdentityProviderFields({ samlIssuer: cert.commonName, userIdMappingMode: spec.s4.userIdMappingMode, signingCertificatePem: PEM }),
      InboundUsers: [inbound],
    }) as CommunicationSystem;

  it('creates a missing system with its inbound user', () => {
    const diff = communicationSystem.diff({ system: undefined, arrangements: [] }, input);
    expect(diff.action).toBe('create');
    expect(diff.changes.map((c) => c.field)).toContain('inbound user');
  });

  it('is unchanged when the system holds the certificate, the issuer and our inbound user', () => {
    expect(communicationSystem.diff({ system: ours(), arrangements: [] }, input)).toMatchObject({ action: 'unchanged', output: { certificateMatches: true, oauthClientId: user.userName } });
  });

  it('repairs a system whose identity provider was switched off, naming the field', () => {
    const off = { ...ours(), IsOAuth2IdentityProviderActive: false } as CommunicationSystem;
    const diff = communicationSystem.diff({ system: off, arrangements: [] }, input);
    expect(diff.action).toBe('update');
    expect(diff.changes).toContainEqual({ field: 'IsOAuth2IdentityProviderActive', from: 'false', to: 'true' });
  });

  it('is a conflict when other inbound users or arrangements of other scenarios use it', () => {
    const shared = { ...ours(), InboundUsers: [inbound, { UUID: 'iu-2', CommunicationUserID: 'CC0000000099' }] } as CommunicationSystem;
    const arrangements = [{ UUID: 'a-9', Name: 'PAYROLL_0008', CommunicationScenarioID: 'SAP_COM_0008', CommunicationSystemID: shared.ID }];
    const diff = communicationSystem.diff({ system: shared, arrangements }, input);
    expect(diff).toMatchObject({ action: 'conflict', conflict: { usedBy: ['inbound user CC0000000099', 'arrangement PAYROLL_0008 (SAP_COM_0008)'] } });
  });
});

describe('arrangement', () => {
  const system = { systemId: spec.s4.communicationSystemId, systemUuid: 's-1', inboundUserUuid: 'iu-1', oauthClientId: 'C', certificateMatches: true };
  const ours = { UUID: 'a-1', Name: spec.s4.arrangementName, CommunicationScenarioID: 'SAP_COM_0501', CommunicationSystemID: system.systemId, InboundUser: { CommunicationSystemInboundUserUUID: 'iu-1' } };

  it('creates, leaves alone, re-points, and refuses a name taken by another scenario', () => {
    expect(arrangement.diff(undefined, { spec, system }).action).toBe('create');
    expect(arrangement.diff(ours, { spec, system }).action).toBe('unchanged');
    expect(arrangement.diff({ ...ours, InboundUser: { CommunicationSystemInboundUserUUID: 'old' } }, { spec, system })).toMatchObject({ action: 'update', changes: [{ field: 'inbound user', from: 'old', to: 'iu-1' }] });
    expect(arrangement.diff({ ...ours, CommunicationScenarioID: 'SAP_COM_0008' }, { spec, system }).action).toBe('conflict');
  });
});

describe('destination', () => {
  const oauth = { clientId: user.userName, tokenServiceURL: 'https://my100001-api.s4hana.ondemand.com/sap/bc/sec/oauth2/token', audience: 'https://my100001.s4hana.ondemand.com' };
  const input = { spec, oauth, user };
  const wanted = desiredDestination(input, 'the-password');

  it('creates a missing destination, the password masked', () => {
    const diff = destination.diff({ existing: undefined, password: 'the-password' }, input);
    expect(diff.action).toBe('create');
    expect(JSON.stringify(diff)).not.toContain('the-password');
  });

  it('repairs our destination with a wrong audience, naming old and new value', () => {
    const diff = destination.diff({ existing: { destination: { ...wanted, audience: 'https://wrong' } }, password: 'the-password' }, input);
    expect(diff).toMatchObject({ action: 'update', changes: [{ field: 'audience', from: 'https://wrong', to: oauth.audience }] });
  });

  it('names a changed password without showing either value', () => {
    const diff = destination.diff({ existing: { destination: { ...wanted, tokenServicePassword: 'old-password' } }, password: 'the-password' }, input);
    expect(diff.changes).toEqual([{ field: 'tokenServicePassword', from: MASKED, to: MASKED }]);
  });

  it('is a conflict when the product did not create it, unless adopted; never when another onboarding owns it', () => {
    const { [DESTINATION_OWNER_PROPERTY]: _mark, ...byHand } = wanted;
    expect(destination.diff({ existing: { destination: { ...byHand, Description: 'by hand' } }, password: 'p' }, input).action).toBe('conflict');
    const adopting = { ...input, spec: specWith({ adopt: ['destination'] }) };
    expect(destination.diff({ existing: { destination: { ...byHand, Description: 'by hand' } }, password: 'p' }, adopting).action).toBe('update');
    const other = { ...wanted, [DESTINATION_OWNER_PROPERTY]: destinationOwner(specWith({ btp: { ...request.btp, subaccountId: '11111111-2222-4333-8444-555555555555' } })) };
    expect(destination.diff({ existing: { destination: other }, password: 'the-password' }, adopting).action).toBe('conflict');
  });
});

describe('trust certificate', () => {
  it('uses what preflight read, creates only when allowed, and says where to allow it', () => {
    expect(trustCertificate.diff({ pem: PEM, supplied: false }, { spec }).action).toBe('unchanged');
    expect(trustCertificate.diff({ pem: undefined, supplied: false }, { spec: specWith({ btp: { ...request.btp, allowCertificateGeneration: true } }) }).action).toBe('create');
    expect(() => trustCertificate.diff({ pem: undefined, supplied: false }, { spec })).toThrow(PermanentStepError);
    try {
      trustCertificate.diff({ pem: undefined, supplied: false }, { spec });
    } catch (e) {
      expect((e as PermanentStepError).failure.fix).toContain('btp.allowCertificateGeneration');
    }
  });
});
