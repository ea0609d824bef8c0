/**
 * The batch activity of the certificate check, through the kit's executeStep with the registry, the
 * Destination service and S/4 played by fakes: subaccounts side by side up to `parallel`, one that
 * fails for good is that subaccount's finding, and a registry that does not answer fails the batch
 * for the retry.
 */
import { TenantRegistryUnavailableError, type TenantRecord } from '../../../shared/registry';
import { SIGNING_CERTIFICATE_FIELD } from '../../../shared/sap/s4/unconfirmedFields';
import { executeStep } from '../../../shared/workflow/stepActivity';
import type { StepDependencies } from '../../../shared/workflow/stepDependencies';
import { memoryStepJournal } from '../../../shared/workflow/stepJournal';
import { checkSubaccounts } from '../../../orchestrations/certificateCheck/steps/checkSubaccounts';
import { generateRsaKeyPair } from '../../../sandbox/core/certificateAuthority';
import { selfSigned } from '../../../sandbox/btp/trustCertificate';
import { parseCertificate } from '../../../shared/certificates';

const AT = '2026-12-02T02:00:00.000Z';
const key = generateRsaKeyPair(2048);

function landscape(subaccounts: string[], tenantsEach: number) {
  const certs = new Map(subaccounts.map((s) => [s, selfSigned({ region: 'eu10', guid: s }, key, new Date(AT)).certificatePem]));
  const records = new Map(
    subaccounts.map((s) => [
      s,
      Array.from({ length: tenantsEach }, (_, t): TenantRecord => {
        const c = parseCertificate(certs.get(s)!);
        return {
          tenantHost: `my${s.slice(-3)}${t}-api.s4hana.ondemand.com`,
          subaccountId: s,
          region: 'eu10',
          communicationSystemId: 'BTP_TRUST',
          scenarioId: 'SAP_COM_0501',
          arrangementName: 'SAP_COM_0501_BTP',
          destinationName: 'S4',
          trustCertificate: { fingerprintSha256: c.fingerprintSha256, commonName: c.commonName, notAfter: c.notAfter },
          onboardedAt: AT,
          lastVerifiedAt: AT,
          destinationServiceKeySecret: `btp-${s}`,
          bootstrapUserSecret: 's4-user',
        };
      }),
    ]),
  );
  return { certs, records };
}

function fakeDeps(l: ReturnType<typeof landscape>, failures: Record<string, unknown> = {}) {
  let inFlight = 0;
  let most = 0;
  const recorded: string[] = [];
  const slow = async <T>(value: () => T): Promise<T> => {
    most = Math.max(most, ++inFlight);
    await new Promise((r) => setTimeout(r, 2));
    inFlight--;
    return value();
  };
  const deps = {
    journal: memoryStepJournal(),
    now: () => new Date(AT),
    registry: {
      async listBySubaccount(id: string) {
        if (failures[id]) throw failures[id];
        return l.records.get(id) ?? [];
      },
      async recordChecks(id: string, checks: { tenantHost: string }[]) {
        recorded.push(...checks.map((c) => `${id}:${c.tenantHost}`));
      },
    },
    async destinationService(_secret: string, subaccountId: string) {
      return { getActiveCertificate: () => slow(() => l.certs.get(subaccountId)), getPassiveCertificate: () => slow(() => undefined) };
    },
    async s4(host: string) {
      const subaccount = [...l.records.values()].flat().find((r) => r.tenantHost === host)!.subaccountId;
      const der = parseCertificate(l.certs.get(subaccount)!).pem.replace(/-----[^-]+-----|\s/g, '');
      return { systems: { findById: () => slow(() => ({ CommunicationSystem: 'BTP_TRUST', [SIGNING_CERTIFICATE_FIELD]: der })) } };
    },
  } as unknown as StepDependencies;
  return { deps, recorded, most: () => most };
}

const envelope = (subaccountIds: string[], parallel: number) => ({ mode: 'run', runId: 'certcheck-2026-12-02-batch-1', input: { subaccountIds, at: AT, expiryWindowDays: 30, parallel } });

describe('checkSubaccounts (one batch in one activity)', () => {
  it('checks the subaccounts side by side, at most `parallel` at once, and records every tenant', async () => {
    const ids = ['sub-001', 'sub-002', 'sub-003', 'sub-004', 'sub-005'];
    const l = landscape(ids, 3);
    const fake = fakeDeps(l);
    const result = await executeStep(checkSubaccounts, envelope(ids, 2), async () => fake.deps);
    if (!result.ok) throw new Error(JSON.stringify(result.failure));
    expect(result.output.map((c) => [c.subaccountId, c.tenants, c.counts.ok])).toEqual(ids.map((id) => [id, 3, 3]));
    expect(fake.most()).toBe(2);
    expect(fake.recorded).toHaveLength(15);
    expect(result.detail).toBe('5 subaccounts: 15 ok');
  });

  it('reports a subaccount that fails for good (here a defect) as unreachable with its fix, and checks the others', async () => {
    const ids = ['sub-001', 'sub-002', 'sub-003'];
    const l = landscape(ids, 2);
    const fake = fakeDeps(l, { 'sub-002': new TypeError("Cannot read properties of undefined (reading 'region')") });
    const result = await executeStep(checkSubaccounts, envelope(ids, 3), async () => fake.deps);
    if (!result.ok) throw new Error(JSON.stringify(result.failure));
    const [a, b, c] = result.output;
    expect([a.counts.ok, c.counts.ok]).toEqual([2, 2]);
    expect(b).toMatchObject({ subaccountId: 'sub-002', tenants: 0, counts: { unreachable: 1 } });
    expect(b.findings[0].detail).toBe("subaccount sub-002: Cannot read properties of undefined (reading 'region')");
    expect(b.findings[0].fix).toMatch(/defect in the product/);
  });

  it('fails the batch as transient when the registry does not answer, so the activity is retried', async () => {
    const ids = ['sub-001', 'sub-002'];
    const fake = fakeDeps(landscape(ids, 1), { 'sub-001': new TenantRegistryUnavailableError('Tenant registry table TenantRegistry could not list tenants (ECONNREFUSED)') });
    const result = await executeStep(checkSubaccounts, envelope(ids, 1), async () => fake.deps);
    expect(result).toMatchObject({ ok: false, transient: true });
  });
});
