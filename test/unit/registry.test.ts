import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileTenantRegistry, memoryTenantRegistry, TenantRegistryError, type TenantRecord, type TenantRegistry } from '../../shared/registry';

const FP = 'AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89';

function record(overrides: Partial<TenantRecord> = {}): TenantRecord {
  return {
    tenantHost: 'my100001-api.s4hana.ondemand.com',
    subaccountId: '7b3c1e2a-4d5f-4a6b-9c8d-0e1f2a3b4c5d',
    region: 'eu10',
    communicationSystemId: 'BTP_7B3C1E2A',
    scenarioId: 'SAP_COM_0501',
    arrangementName: 'SAP_COM_0501_7B3C1E2A',
    destinationName: 'S4HC_my100001_SAP_COM_0501',
    trustCertificate: { fingerprintSha256: FP, commonName: 'cfapps.eu10.hana.ondemand.com/7b3c1e2a-4d5f-4a6b-9c8d-0e1f2a3b4c5d', notAfter: '2027-01-15T10:00:00.000Z' },
    onboardedAt: '2025-03-01T08:00:00.000Z',
    lastVerifiedAt: '2025-03-01T08:00:00.000Z',
    ...overrides,
  };
}

const tmpDirs: string[] = [];
afterAll(() => Promise.all(tmpDirs.map((d) => fs.rm(d, { recursive: true, force: true }))));

async function fileRegistry(): Promise<{ registry: TenantRegistry; dir: string }> {
  const base = await fs.mkdtemp(path.join(os.tmpdir(), 'registry-'));
  tmpDirs.push(base);
  const dir = path.join(base, 'registry');
  return { registry: fileTenantRegistry({ dir }), dir };
}

describe.each([
  ['memory', async () => memoryTenantRegistry()],
  ['file', async () => (await fileRegistry()).registry],
])('%s tenant registry', (_kind, make) => {
  let registry: TenantRegistry;
  beforeEach(async () => {
    registry = await make();
  });

  it('creates a record and finds it by tenant and subaccount, case-insensitively', async () => {
    expect((await registry.upsert(record())).outcome).toBe('created');
    expect(await registry.get('MY100001-api.s4hana.ondemand.com', '7B3C1E2A-4D5F-4A6B-9C8D-0E1F2A3B4C5D')).toEqual(record());
    expect(await registry.get('my100002-api.s4hana.ondemand.com', record().subaccountId)).toBeUndefined();
  });

  it('remove forgets one tenant and says false when there was nothing to remove', async () => {
    await registry.upsert(record());
    await registry.upsert(record({ tenantHost: 'my100002-api.s4hana.ondemand.com' }));
    expect(await registry.remove('MY100001-api.s4hana.ondemand.com', record().subaccountId)).toBe(true);
    expect(await registry.get(record().tenantHost, record().subaccountId)).toBeUndefined();
    expect((await registry.list()).map((r) => r.tenantHost)).toEqual(['my100002-api.s4hana.ondemand.com']);
    expect(await registry.remove(record().tenantHost, record().subaccountId)).toBe(false);
  });

  it('a re-run that only re-verifies is unchanged and keeps the first onboardedAt', async () => {
    await registry.upsert(record());
    const again = await registry.upsert(record({ onboardedAt: '2025-04-01T00:00:00.000Z', lastVerifiedAt: '2025-04-01T00:00:00.000Z' }));
    expect(again.outcome).toBe('unchanged');
    const stored = await registry.get(record().tenantHost, record().subaccountId);
    expect(stored?.onboardedAt).toBe('2025-03-01T08:00:00.000Z');
    expect(stored?.lastVerifiedAt).toBe('2025-04-01T00:00:00.000Z');
  });

  it('a new trust certificate is an update', async () => {
    await registry.upsert(record());
    const newFp = FP.replace(/^AB/, '00');
    const result = await registry.upsert(record({ trustCertificate: { ...record().trustCertificate, fingerprintSha256: newFp } }));
    expect(result.outcome).toBe('updated');
    expect((await registry.list())).toHaveLength(1);
    expect(await registry.findByCertificateFingerprint(FP)).toHaveLength(0);
    expect(await registry.findByCertificateFingerprint(newFp)).toHaveLength(1);
  });

  it('finds every tenant trusting a certificate, whatever the fingerprint notation', async () => {
    await registry.upsert(record());
    await registry.upsert(record({ tenantHost: 'my100002-api.s4hana.ondemand.com' }));
    await registry.upsert(record({ subaccountId: '11111111-2222-3333-4444-555555555555', trustCertificate: { ...record().trustCertificate, fingerprintSha256: '00'.repeat(32) } }));
    const plain = FP.replace(/:/g, '').toLowerCase();
    const hits = await registry.findByCertificateFingerprint(plain);
    expect(hits.map((r) => r.tenantHost).sort()).toEqual(['my100001-api.s4hana.ondemand.com', 'my100002-api.s4hana.ondemand.com']);
    expect(await registry.list()).toHaveLength(3);
  });

  it('rejects an incomplete record', async () => {
    await expect(registry.upsert({ ...record(), destinationName: '' })).rejects.toThrow();
    expect(await registry.list()).toHaveLength(0);
  });

  it('does not hand out its internal objects', async () => {
    await registry.upsert(record());
    const a = await registry.get(record().tenantHost, record().subaccountId);
    a!.destinationName = 'mutated';
    expect((await registry.get(record().tenantHost, record().subaccountId))?.destinationName).toBe(record().destinationName);
  });
});

describe('file tenant registry on disk', () => {
  it('survives a reload and leaves no temp files', async () => {
    const { registry, dir } = await fileRegistry();
    await registry.upsert(record());
    await registry.upsert(record({ tenantHost: 'my100002-api.s4hana.ondemand.com' }));
    expect(await fileTenantRegistry({ dir }).list()).toHaveLength(2);
    expect((await fs.readdir(dir)).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('concurrent upserts of many tenants all land', async () => {
    const { registry, dir } = await fileRegistry();
    await Promise.all(Array.from({ length: 20 }, (_, i) => registry.upsert(record({ tenantHost: `my1000${String(i).padStart(2, '0')}-api.s4hana.ondemand.com` }))));
    expect(await fileTenantRegistry({ dir }).list()).toHaveLength(20);
  });

  it('concurrent upserts of the same tenant: one created, the rest unchanged', async () => {
    const { registry } = await fileRegistry();
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => registry.upsert(record())));
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['created', 'unchanged', 'unchanged', 'unchanged', 'unchanged']);
  });

  it('names a corrupt file in a typed error', async () => {
    const { registry, dir } = await fileRegistry();
    await registry.upsert(record());
    const [file] = await fs.readdir(dir);
    await fs.writeFile(path.join(dir, file), '{ not json');
    const error = await registry.list().catch((e) => e);
    expect(error).toBeInstanceOf(TenantRegistryError);
    expect(error.message).toContain(file);
  });

  it('an empty registry directory that does not exist yet lists nothing', async () => {
    const { registry } = await fileRegistry();
    expect(await registry.list()).toEqual([]);
  });
});
