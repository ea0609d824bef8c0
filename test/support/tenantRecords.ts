/** Tenant records for the registry tests. */
import type { TenantRecord } from '../../shared/registry';

export const FP = 'AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89';
export const SUBACCOUNT = '7b3c1e2a-4d5f-4a6b-9c8d-0e1f2a3b4c5d';

export function tenantRecord(overrides: Partial<TenantRecord> = {}): TenantRecord {
  return {
    tenantHost: 'my100001-api.s4hana.ondemand.com',
    subaccountId: SUBACCOUNT,
    region: 'eu10',
    communicationSystemId: 'BTP_7B3C1E2A',
    scenarioId: 'SAP_COM_0501',
    arrangementName: 'SAP_COM_0501_7B3C1E2A',
    destinationName: 'S4HC_my100001_SAP_COM_0501',
    trustCertificate: { fingerprintSha256: FP, commonName: `cfapps.eu10.hana.ondemand.com/${SUBACCOUNT}`, notAfter: '2027-01-15T10:00:00.000Z' },
    onboardedAt: '2025-03-01T08:00:00.000Z',
    lastVerifiedAt: '2025-03-01T08:00:00.000Z',
    ...overrides,
  };
}
