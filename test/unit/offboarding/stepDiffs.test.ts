/**
 * Each offboarding step's diff, from what its read found: delete (ours), unchanged (already gone),
 * conflict (it exists but is not ours). Pure: no SAP, no store.
 */
import { OnboardingRequest } from '../../../shared/schemas/onboardingRequest';
import { communicationUserPasswordSecret, MANAGED_BY } from '../../../shared/secrets';
import type { TenantRecord } from '../../../shared/registry';
import type { CommunicationArrangement, CommunicationSystem, CommunicationUser } from '../../../shared/sap/s4';
import { toSpec } from '../../../orchestrations/onboarding/request';
import { DESTINATION_OWNER_PROPERTY, destinationOwner, ownedDescription } from '../../../orchestrations/onboarding/ownership';
import { destination } from '../../../orchestrations/offboarding/steps/destination';
import { arrangement } from '../../../orchestrations/offboarding/steps/arrangement';
import { communicationSystem } from '../../../orchestrations/offboarding/steps/communicationSystem';
import { communicationUser } from '../../../orchestrations/offboarding/steps/communicationUser';
import { passwordSecret } from '../../../orchestrations/offboarding/steps/passwordSecret';
import { registryRow } from '../../../orchestrations/offboarding/steps/registryRow';

const SUBACCOUNT = '7b3c1e2a-4d5f-4a6b-9c8d-0e1f2a3b4c5d';
const OTHER_SUBACCOUNT = '11111111-2222-4333-8444-555555555555';
const specOf = (subaccountId: string) =>
  toSpec(OnboardingRequest.parse({ btp: { region: 'eu10', subaccountId, destinationServiceKeySecret: 'btp-key' }, s4: { host: 'my100001-api.s4hana.ondemand.com', bootstrapUserSecret: 's4-boot' } }), 7);
const spec = specOf(SUBACCOUNT);
const input = { spec };
const names = { user: spec.s4.communicationUserName, system: spec.s4.communicationSystemId, arrangement: spec.s4.arrangementName, destination: spec.btp.destinationName };

describe('destination', () => {
  const ours = { Name: names.destination, Type: 'HTTP', URL: 'https://my100001-api.s4hana.ondemand.com', Authentication: 'OAuth2SAMLBearerAssertion', [DESTINATION_OWNER_PROPERTY]: destinationOwner(spec) };

  it('deletes a destination whose owner is this onboarding, showing what goes', () => {
    const diff = destination.diff(ours, input);
    expect(diff).toMatchObject({ action: 'delete', object: `destination ${names.destination}`, output: { removed: true } });
    expect(diff.changes).toContainEqual({ field: 'URL', from: ours.URL });
    expect(diff.changes.every((c) => c.to === undefined)).toBe(true);
  });

  it('says unchanged when it is already gone', () => {
    expect(destination.diff(undefined, input)).toMatchObject({ action: 'unchanged', detail: 'already gone', output: { removed: false } });
  });

  it('is a conflict without our owner mark, or with another onboarding as owner', () => {
    const { [DESTINATION_OWNER_PROPERTY]: _mark, ...byHand } = ours;
    expect(destination.diff(byHand, input)).toMatchObject({ action: 'conflict', conflict: { usedBy: ['someone else (it has no sap-trust owner mark)'] } });
    const other = destinationOwner(specOf(OTHER_SUBACCOUNT));
    expect(destination.diff({ ...ours, [DESTINATION_OWNER_PROPERTY]: other }, input)).toMatchObject({ action: 'conflict', conflict: { usedBy: [other] } });
  });
});

describe('arrangement', () => {
  const ours: CommunicationArrangement = { UUID: 'a-1', Name: names.arrangement, CommunicationScenarioID: 'SAP_COM_0501', CommunicationSystemID: names.system };

  it('deletes our arrangement: our system, our scenario', () => {
    expect(arrangement.diff(ours, input)).toMatchObject({ action: 'delete', object: `communication arrangement ${names.arrangement}` });
  });

  it('says unchanged when it is already gone', () => {
    expect(arrangement.diff(undefined, input)).toMatchObject({ action: 'unchanged', output: { removed: false } });
  });

  it('is a conflict on another system or for another scenario', () => {
    expect(arrangement.diff({ ...ours, CommunicationSystemID: 'ERP_PROD' }, input)).toMatchObject({ action: 'conflict', conflict: { usedBy: ['communication system ERP_PROD (SAP_COM_0501)'] } });
    expect(arrangement.diff({ ...ours, CommunicationScenarioID: 'SAP_COM_0008' }, input)).toMatchObject({ action: 'conflict' });
  });
});

describe('communication system', () => {
  const user: CommunicationUser = { ID: 'CC0000000001', Name: names.user, Description: ownedDescription(spec) };
  const system = (extra: Partial<CommunicationSystem> = {}): CommunicationSystem => ({
    UUID: 's-1',
    ID: names.system,
    Description: ownedDescription(spec),
    InboundUsers: [{ UUID: 'i-1', CommunicationUserID: user.ID }],
    ...extra,
  });
  const ourArrangement: CommunicationArrangement = { UUID: 'a-1', Name: names.arrangement, CommunicationScenarioID: 'SAP_COM_0501', CommunicationSystemID: names.system };

  it('deletes a marked system that only our user and our arrangement use', () => {
    const diff = communicationSystem.diff({ system: system(), arrangements: [ourArrangement], user }, input);
    expect(diff).toMatchObject({ action: 'delete', object: `communication system ${names.system}`, detail: `with its inbound user ${user.ID}` });
  });

  it('says unchanged when it is already gone', () => {
    expect(communicationSystem.diff({ arrangements: [] }, input)).toMatchObject({ action: 'unchanged' });
  });

  it('is a conflict without our mark, or with the mark of another subaccount', () => {
    expect(communicationSystem.diff({ system: system({ Description: 'ERP integration' }), arrangements: [], user }, input)).toMatchObject({ action: 'conflict' });
    expect(communicationSystem.diff({ system: system({ Description: ownedDescription(specOf(OTHER_SUBACCOUNT)) }), arrangements: [], user }, input)).toMatchObject({ action: 'conflict' });
  });

  it('is a conflict while another inbound user or another arrangement uses it, and names them', () => {
    const shared = system({ InboundUsers: [{ UUID: 'i-1', CommunicationUserID: user.ID }, { UUID: 'i-2', CommunicationUserID: 'CC0000000099' }] });
    expect(communicationSystem.diff({ system: shared, arrangements: [], user }, input)).toMatchObject({ action: 'conflict', conflict: { usedBy: ['inbound user CC0000000099'] } });
    const otherArrangement = { ...ourArrangement, UUID: 'a-2', Name: 'SALES_ORDERS', CommunicationScenarioID: 'SAP_COM_0109' };
    expect(communicationSystem.diff({ system: system(), arrangements: [ourArrangement, otherArrangement], user }, input)).toMatchObject({
      action: 'conflict',
      conflict: { usedBy: ['arrangement SALES_ORDERS (SAP_COM_0109)'] },
    });
  });
});

describe('communication user', () => {
  const user: CommunicationUser = { ID: 'CC0000000001', Name: names.user, Description: ownedDescription(spec) };

  it('deletes a marked user that no other system uses', () => {
    expect(communicationUser.diff({ user, usedBy: [] }, input)).toMatchObject({ action: 'delete', object: `communication user ${names.user}` });
  });

  it('says unchanged when it is already gone', () => {
    expect(communicationUser.diff({ user: undefined, usedBy: [] }, input)).toMatchObject({ action: 'unchanged' });
  });

  it('is a conflict without our mark, or while another system uses it', () => {
    expect(communicationUser.diff({ user: { ...user, Description: 'made by hand' }, usedBy: [] }, input)).toMatchObject({ action: 'conflict' });
    expect(communicationUser.diff({ user, usedBy: ['communication system ERP_PROD'] }, input)).toMatchObject({ action: 'conflict', conflict: { usedBy: ['communication system ERP_PROD'] } });
  });
});

describe('password secret', () => {
  const name = communicationUserPasswordSecret(spec.s4.host, names.user).name;

  it('deletes the secret the onboarding stored', () => {
    expect(passwordSecret.diff({ name, tags: { 'managed-by': MANAGED_BY, 'communication-user': names.user } }, input)).toMatchObject({ action: 'delete', object: `secret ${name}` });
  });

  it('says unchanged when it is already gone', () => {
    expect(passwordSecret.diff(undefined, input)).toMatchObject({ action: 'unchanged' });
  });

  it('is a conflict when someone stored it by hand', () => {
    expect(passwordSecret.diff({ name, tags: {} }, input)).toMatchObject({ action: 'conflict' });
  });
});

describe('registry row', () => {
  const row: TenantRecord = {
    tenantHost: spec.s4.host,
    subaccountId: SUBACCOUNT,
    region: 'eu10',
    communicationSystemId: names.system,
    scenarioId: 'SAP_COM_0501',
    arrangementName: names.arrangement,
    destinationName: names.destination,
    trustCertificate: { fingerprintSha256: 'ab'.repeat(32), commonName: 'cn', notAfter: '2030-01-01T00:00:00.000Z' },
    onboardedAt: '2026-01-01T00:00:00.000Z',
    lastVerifiedAt: '2026-01-01T00:00:00.000Z',
    onboardingId: 'onboard-x-r1',
  };

  it('deletes the row that records the names of this request', () => {
    expect(registryRow.diff(row, input)).toMatchObject({ action: 'delete' });
  });

  it('says unchanged when it is already gone', () => {
    expect(registryRow.diff(undefined, input)).toMatchObject({ action: 'unchanged' });
  });

  it('is a conflict when the onboarding recorded other names, and says which', () => {
    const diff = registryRow.diff({ ...row, communicationSystemId: 'BTP_CUSTOM' }, input);
    expect(diff).toMatchObject({ action: 'conflict', conflict: { usedBy: ['the onboarding onboard-x-r1'] } });
    expect(diff.conflict!.fix).toContain('communicationSystemId BTP_CUSTOM');
  });
});
