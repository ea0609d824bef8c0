import { buildOpenApiDocument } from '../../shared/schemas';
import { onboarding } from '../../orchestrations/onboarding/workflow';
import { rotation } from '../../orchestrations/rotation/workflow';
import { repair } from '../../orchestrations/repair/workflow';
import { resolveTenants, RotationRequest } from '../../orchestrations/rotation/request';
import type { TenantRecord } from '../../shared/registry';

const SUB = '32fceecc-9de8-4d87-95ee-1824f8a9e108';
const row = (host: string, named = true): TenantRecord => ({
  tenantHost: host,
  subaccountId: SUB,
  region: 'eu10',
  communicationSystemId: 'BTP_32FCEECC',
  scenarioId: 'SAP_COM_0501',
  arrangementName: 'SAP_COM_0501_32FCEECC',
  destinationName: `S4HC_${host.split('-')[0].toUpperCase()}_SAP_COM_0501`,
  trustCertificate: { fingerprintSha256: 'AA:BB', commonName: `cfapps.eu10.hana.ondemand.com/${SUB}`, notAfter: '2028-01-01T00:00:00.000Z' },
  onboardedAt: '2026-01-01T00:00:00.000Z',
  lastVerifiedAt: '2026-01-01T00:00:00.000Z',
  ...(named ? { destinationServiceKeySecret: 'btp-key', bootstrapUserSecret: `s4-${host.split('-')[0]}-sap-com-0a48-user` } : {}),
});

describe('rotation request', () => {
  it('takes a subaccount GUID and an optional window in days as a JSON number, nothing else', () => {
    expect(RotationRequest.safeParse({ subaccountId: SUB, rollbackWindowDays: 0.5 }).success).toBe(true);
    expect(RotationRequest.safeParse({ subaccountId: SUB, rollbackWindowDays: '7' }).success).toBe(false);
    expect(RotationRequest.safeParse({ subaccountId: SUB, rollbackWindowDays: 91 }).success).toBe(false);
    expect(RotationRequest.safeParse({ subaccountId: 'my subaccount' }).success).toBe(false);
    expect(RotationRequest.safeParse({ subaccountId: SUB, tenants: [] }).success).toBe(false);
  });

  it('resolves every registry row of the subaccount with the credential names it was onboarded with', () => {
    const resolved = resolveTenants(SUB, [row('my100001-api.s4hana.ondemand.com'), row('my100002-api.s4hana.ondemand.com')]);
    expect(resolved.ok).toBe(true);
    if (!resolved.ok) return;
    expect(resolved.subaccount).toEqual({ subaccountId: SUB, region: 'eu10', destinationServiceKeySecret: 'btp-key' });
    expect(resolved.tenants.map((t) => [t.tenant, t.bootstrapUserSecret])).toEqual([
      ['my100001', 's4-my100001-sap-com-0a48-user'],
      ['my100002', 's4-my100002-sap-com-0a48-user'],
    ]);
  });

  it('answers 422 for a subaccount without tenants, and names rows that lack credential names', () => {
    expect(resolveTenants(SUB, [])).toMatchObject({ ok: false, status: 422, fields: [{ field: 'subaccountId', message: expect.stringContaining('no tenant') }] });
    const unnamed = resolveTenants(SUB, [row('my100001-api.s4hana.ondemand.com'), row('my100009-api.s4hana.ondemand.com', false)]);
    expect(unnamed).toMatchObject({ ok: false, status: 422 });
    expect(JSON.stringify(unnamed)).toContain('my100009-api.s4hana.ondemand.com');
    expect(JSON.stringify(unnamed)).not.toContain('my100001-api');
  });
});

describe('openapi.json with the rotation and the repair', () => {
  it('documents their run API routes and request bodies', () => {
    const doc = buildOpenApiDocument([onboarding, rotation, repair], { serverUrl: 'https://example.azurewebsites.net' }) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/rotations', '/api/rotations/plans', '/api/repairs']));
    expect(JSON.stringify(doc)).toContain('rollbackWindowDays');
  });
});
