/**
 * The TenantRegistry contract, run against every store: memory (unit tests), file (the local store
 * before the table) and table (Azure Table Storage, here on a real Azurite this file starts on a
 * free port). Then what only one store has: the file store's files, the table's keys and ETags.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TableClient } from '@azure/data-tables';
import { startAzuriteTable, type RunningAzurite } from '../../../devhost/azurite/azuriteTable';
import {
  fileTenantRegistry,
  memoryTenantRegistry,
  tableClient,
  tableConnectionFromEnv,
  tableTenantRegistry,
  TenantRegistryError,
  TenantRegistryUnavailableError,
  type CorruptTenantRecord,
  type TenantRegistry,
} from '../../../shared/registry';
import { escapeKey, rowKeys, unescapeKey } from '../../../shared/registry/tenantEntity';
import { FP, SUBACCOUNT, tenantRecord as record } from '../../support/tenantRecords';

let azurite: RunningAzurite;
let tables = 0;
const tmpDirs: string[] = [];

beforeAll(async () => {
  const location = await fs.mkdtemp(path.join(os.tmpdir(), 'registry-azurite-'));
  tmpDirs.push(location);
  azurite = await startAzuriteTable({ location });
  console.log(`Azurite (Table service) started in ${azurite.startMs} ms`);
});
afterAll(async () => {
  await azurite?.stop();
  await Promise.all(tmpDirs.map((d) => fs.rm(d, { recursive: true, force: true })));
});

/** A table of its own for each test, in the one Azurite of this file. */
function newTableClient(): TableClient {
  const { connection } = tableConnectionFromEnv({ AzureWebJobsStorage: azurite.connectionString });
  return tableClient(connection!, `TenantRegistry${++tables}`);
}

async function newDir(): Promise<string> {
  const base = await fs.mkdtemp(path.join(os.tmpdir(), 'registry-'));
  tmpDirs.push(base);
  return path.join(base, 'registry');
}

interface StoreFixture {
  registry: TenantRegistry;
  corrupt: CorruptTenantRecord[];
  /** Overwrites the stored row of the tenant with something that is not a tenant record. */
  damage?(tenantHost: string, subaccountId: string): Promise<void>;
}

const STORES: [string, () => Promise<StoreFixture>][] = [
  ['memory', async () => ({ registry: memoryTenantRegistry(), corrupt: [] })],
  [
    'file',
    async () => {
      const dir = await newDir();
      const corrupt: CorruptTenantRecord[] = [];
      return {
        registry: fileTenantRegistry({ dir, onCorruptRecord: (c) => corrupt.push(c) }),
        corrupt,
        async damage(tenantHost, subaccountId) {
          await fs.writeFile(path.join(dir, `${tenantHost}__${subaccountId}.json`), '{ "tenantHost": "half an edit');
        },
      };
    },
  ],
  [
    'table',
    async () => {
      const client = newTableClient();
      const corrupt: CorruptTenantRecord[] = [];
      return {
        registry: tableTenantRegistry({ client, onCorruptRecord: (c) => corrupt.push(c) }),
        corrupt,
        async damage(tenantHost, subaccountId) {
          const keys = rowKeys(tenantHost, subaccountId);
          await client.upsertEntity({ ...keys, tenantHost, subaccountId, region: 42, certificateNotAfter: 'next year' }, 'Merge');
        },
      };
    },
  ],
];

describe.each(STORES)('%s tenant registry', (kind, make) => {
  let store: StoreFixture;
  let registry: TenantRegistry;
  beforeEach(async () => {
    store = await make();
    registry = store.registry;
  });

  it('creates a record and finds it by tenant and subaccount, case-insensitively', async () => {
    expect((await registry.upsert(record())).outcome).toBe('created');
    expect(await registry.get('MY100001-api.s4hana.ondemand.com', SUBACCOUNT.toUpperCase())).toEqual(record());
    expect(await registry.get('my100002-api.s4hana.ondemand.com', SUBACCOUNT)).toBeUndefined();
  });

  it('a re-run that only re-verifies is unchanged and keeps the first onboardedAt', async () => {
    await registry.upsert(record());
    const again = await registry.upsert(record({ onboardedAt: '2025-04-01T00:00:00.000Z', lastVerifiedAt: '2025-04-01T00:00:00.000Z' }));
    expect(again.outcome).toBe('unchanged');
    const stored = await registry.get(record().tenantHost, SUBACCOUNT);
    expect(stored?.onboardedAt).toBe('2025-03-01T08:00:00.000Z');
    expect(stored?.lastVerifiedAt).toBe('2025-04-01T00:00:00.000Z');
  });

  it('a new trust certificate is an update', async () => {
    await registry.upsert(record());
    const newFp = FP.replace(/^AB/, '00');
    const result = await registry.upsert(record({ trustCertificate: { ...record().trustCertificate, fingerprintSha256: newFp } }));
    expect(result.outcome).toBe('updated');
    expect(await registry.list()).toHaveLength(1);
    expect(await registry.findByCertificateFingerprint(FP)).toHaveLength(0);
    expect(await registry.findByCertificateFingerprint(newFp)).toHaveLength(1);
  });

  it('finds every tenant trusting a certificate, whatever the fingerprint notation', async () => {
    await registry.upsert(record());
    await registry.upsert(record({ tenantHost: 'my100002-api.s4hana.ondemand.com' }));
    await registry.upsert(record({ subaccountId: '11111111-2222-3333-4444-555555555555', trustCertificate: { ...record().trustCertificate, fingerprintSha256: '00'.repeat(32) } }));
    const hits = await registry.findByCertificateFingerprint(FP.replace(/:/g, '').toLowerCase());
    expect(hits.map((r) => r.tenantHost).sort()).toEqual(['my100001-api.s4hana.ondemand.com', 'my100002-api.s4hana.ondemand.com']);
    expect(await registry.list()).toHaveLength(3);
  });

  it('lists the tenants of one subaccount only', async () => {
    const other = '11111111-2222-3333-4444-555555555555';
    await registry.upsert(record());
    await registry.upsert(record({ tenantHost: 'my100002-api.s4hana.ondemand.com' }));
    await registry.upsert(record({ subaccountId: other }));
    expect((await registry.listBySubaccount(SUBACCOUNT.toUpperCase())).map((r) => r.tenantHost)).toEqual([
      'my100001-api.s4hana.ondemand.com',
      'my100002-api.s4hana.ondemand.com',
    ]);
    expect((await registry.listBySubaccount(other)).map((r) => r.subaccountId)).toEqual([other]);
    expect(await registry.listBySubaccount('22222222-0000-0000-0000-000000000000')).toEqual([]);
  });

  it('an offboarding removes the row, once', async () => {
    await registry.upsert(record());
    await registry.upsert(record({ tenantHost: 'my100002-api.s4hana.ondemand.com' }));
    expect(await registry.remove('MY100001-api.s4hana.ondemand.com', SUBACCOUNT)).toBe(true);
    expect(await registry.get(record().tenantHost, SUBACCOUNT)).toBeUndefined();
    expect(await registry.remove(record().tenantHost, SUBACCOUNT)).toBe(false);
    expect((await registry.list()).map((r) => r.tenantHost)).toEqual(['my100002-api.s4hana.ondemand.com']);
  });

  it('keeps the last check and the last rotation, and a re-run of the onboarding does not wipe them', async () => {
    await registry.upsert(record());
    const check = { at: '2025-05-01T02:00:00.000Z', status: 'expiring' as const, detail: 'the certificate ends in 20 days' };
    const rotation = { at: '2025-05-02T03:00:00.000Z', rotationId: 'rotate-7b3c1e2a-1', outcome: 'completed' as const };
    expect((await registry.recordCheck(record().tenantHost, SUBACCOUNT, check))?.lastCheck).toEqual(check);
    expect((await registry.recordRotation(record().tenantHost, SUBACCOUNT, rotation))?.lastRotation).toEqual(rotation);
    expect(await registry.get(record().tenantHost, SUBACCOUNT)).toEqual({ ...record(), lastCheck: check, lastRotation: rotation });

    const rerun = await registry.upsert(record({ lastVerifiedAt: '2025-06-01T00:00:00.000Z' }));
    expect(rerun.outcome).toBe('unchanged');
    expect(await registry.get(record().tenantHost, SUBACCOUNT)).toMatchObject({ lastCheck: check, lastRotation: rotation, lastVerifiedAt: '2025-06-01T00:00:00.000Z' });

    const next = { at: '2025-06-02T02:00:00.000Z', status: 'ok' as const };
    await registry.recordCheck(record().tenantHost, SUBACCOUNT, next);
    expect((await registry.get(record().tenantHost, SUBACCOUNT))?.lastCheck).toEqual(next);
  });

  it('a check or rotation of a tenant that is not recorded writes nothing', async () => {
    expect(await registry.recordCheck(record().tenantHost, SUBACCOUNT, { at: '2025-05-01T02:00:00.000Z', status: 'ok' })).toBeUndefined();
    expect(await registry.recordRotation(record().tenantHost, SUBACCOUNT, { at: '2025-05-01T02:00:00.000Z', rotationId: 'r1', outcome: 'failed' })).toBeUndefined();
    expect(await registry.list()).toEqual([]);
  });

  it('rejects an incomplete record, and a check with an unknown status', async () => {
    await expect(registry.upsert({ ...record(), destinationName: '' })).rejects.toThrow();
    expect(await registry.list()).toHaveLength(0);
    await registry.upsert(record());
    await expect(registry.recordCheck(record().tenantHost, SUBACCOUNT, { at: '2025-05-01T02:00:00.000Z', status: 'fine' as never })).rejects.toThrow();
    expect((await registry.get(record().tenantHost, SUBACCOUNT))?.lastCheck).toBeUndefined();
  });

  it('does not hand out its internal objects', async () => {
    await registry.upsert(record());
    const a = await registry.get(record().tenantHost, SUBACCOUNT);
    a!.destinationName = 'mutated';
    expect((await registry.get(record().tenantHost, SUBACCOUNT))?.destinationName).toBe(record().destinationName);
  });

  it('concurrent upserts of the same tenant: one created, the rest unchanged', async () => {
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => registry.upsert(record())));
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['created', 'unchanged', 'unchanged', 'unchanged', 'unchanged']);
  });

  it('an onboarding re-run and a certificate check writing the same tenant at once both land', async () => {
    await registry.upsert(record());
    const newFp = FP.replace(/^AB/, '11');
    const check = { at: '2025-05-01T02:00:00.000Z', status: 'mismatch' as const };
    await Promise.all([
      registry.upsert(record({ trustCertificate: { ...record().trustCertificate, fingerprintSha256: newFp } })),
      registry.recordCheck(record().tenantHost, SUBACCOUNT, check),
    ]);
    const stored = await registry.get(record().tenantHost, SUBACCOUNT);
    expect(stored?.trustCertificate.fingerprintSha256).toBe(newFp);
    expect(stored?.lastCheck).toEqual(check);
  });

  it('concurrent upserts of many tenants all land', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => registry.upsert(record({ tenantHost: `my1000${String(i).padStart(2, '0')}-api.s4hana.ondemand.com` }))));
    expect(await registry.list()).toHaveLength(20);
  });

  it('an empty registry lists nothing', async () => {
    expect(await registry.list()).toEqual([]);
    expect(await registry.findByCertificateFingerprint(FP)).toEqual([]);
  });

  // Memory holds parsed records only: nothing to damage.
  if (kind === 'memory') return;
  it('a corrupt row is reported with its keys and skipped by the lists; reading it names it in a typed error', async () => {
    const damagedHost = 'my100002-api.s4hana.ondemand.com';
    await registry.upsert(record());
    await registry.upsert(record({ tenantHost: damagedHost }));
    await store.damage!(damagedHost, SUBACCOUNT);

    expect((await registry.list()).map((r) => r.tenantHost)).toEqual([record().tenantHost]);
    expect((await registry.listBySubaccount(SUBACCOUNT)).map((r) => r.tenantHost)).toEqual([record().tenantHost]);
    expect(await registry.findByCertificateFingerprint(FP)).toHaveLength(1);
    expect(store.corrupt.length).toBeGreaterThanOrEqual(1);
    for (const c of store.corrupt) {
      expect(c.where).toContain(damagedHost);
      expect(c.where).toContain(SUBACCOUNT);
    }

    const error = await registry.get(damagedHost, SUBACCOUNT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TenantRegistryError);
    expect((error as TenantRegistryError).message).toMatch(new RegExp(`corrupt`));
    expect((error as TenantRegistryError).message).toContain(damagedHost);
    expect((error as TenantRegistryError).fix).toMatch(/^Restore .* or delete it/);
    // The onboarding's record step does not paper over it either.
    await expect(registry.upsert(record({ tenantHost: damagedHost }))).rejects.toBeInstanceOf(TenantRegistryError);
    // An offboarding can still remove it.
    expect(await registry.remove(damagedHost, SUBACCOUNT)).toBe(true);
    expect(await registry.upsert(record({ tenantHost: damagedHost }))).toMatchObject({ outcome: 'created' });
  });
});

describe('file tenant registry on disk', () => {
  it('survives a reload and leaves no temp files', async () => {
    const dir = await newDir();
    const registry = fileTenantRegistry({ dir });
    await registry.upsert(record());
    await registry.upsert(record({ tenantHost: 'my100002-api.s4hana.ondemand.com' }));
    expect(await fileTenantRegistry({ dir }).list()).toHaveLength(2);
    expect((await fs.readdir(dir)).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('reads a record written before the last check and rotation existed', async () => {
    const dir = await newDir();
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, `${record().tenantHost}__${SUBACCOUNT}.json`), JSON.stringify(record({ onboardingId: 'onboard-my100001-x' }), null, 2));
    expect(await fileTenantRegistry({ dir }).get(record().tenantHost, SUBACCOUNT)).toEqual(record({ onboardingId: 'onboard-my100001-x' }));
  });
});

describe('table tenant registry rows', () => {
  it('one column per field, PartitionKey = subaccount, RowKey = tenant host, read as Storage Explorer shows it', async () => {
    const client = newTableClient();
    const registry = tableTenantRegistry({ client });
    await registry.upsert(record({ tenantHost: 'My100001-API.s4hana.ondemand.com', onboardingId: 'onboard-my100001-7b3c1e2a' }));
    await registry.recordCheck(record().tenantHost, SUBACCOUNT, { at: '2025-05-01T02:00:00.000Z', status: 'ok' });
    const rows = [];
    for await (const e of client.listEntities()) rows.push(e);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      partitionKey: SUBACCOUNT,
      rowKey: 'my100001-api.s4hana.ondemand.com',
      tenantHost: 'My100001-API.s4hana.ondemand.com',
      subaccountId: SUBACCOUNT,
      communicationSystemId: 'BTP_7B3C1E2A',
      arrangementName: 'SAP_COM_0501_7B3C1E2A',
      destinationName: 'S4HC_my100001_SAP_COM_0501',
      certificateFingerprintSha256: FP,
      certificateNotAfter: '2027-01-15T10:00:00.000Z',
      lastCheckAt: '2025-05-01T02:00:00.000Z',
      lastCheckStatus: 'ok',
    });
    expect(rows[0]).not.toHaveProperty('lastRotationAt');
  });

  it('lists the tenants of several subaccounts in one query, per subaccount in the order asked, leaving out the others in the range', async () => {
    const registry = tableTenantRegistry({ client: newTableClient() });
    const subs = ['aaaaaaaa-0000-0000-0000-000000000001', 'aaaaaaaa-0000-0000-0000-000000000002', 'aaaaaaaa-0000-0000-0000-000000000003', 'aaaaaaaa-0000-0000-0000-000000000004'];
    for (const [i, sub] of subs.entries()) {
      for (let t = 0; t <= i; t++) await registry.upsert(record({ subaccountId: sub, tenantHost: `my${i}0000${t}-api.s4hana.ondemand.com` }));
    }
    const lists = await registry.listBySubaccounts!([subs[3], subs[0].toUpperCase(), subs[2], 'aaaaaaaa-0000-0000-0000-000000000009']);
    expect(lists.map((l) => l.map((r) => r.tenantHost))).toEqual([
      ['my300000-api.s4hana.ondemand.com', 'my300001-api.s4hana.ondemand.com', 'my300002-api.s4hana.ondemand.com', 'my300003-api.s4hana.ondemand.com'],
      ['my000000-api.s4hana.ondemand.com'],
      ['my200000-api.s4hana.ondemand.com', 'my200001-api.s4hana.ondemand.com', 'my200002-api.s4hana.ondemand.com'],
      [],
    ]);
    expect(await registry.listBySubaccounts!([])).toEqual([]);
  });

  it('keys escape the characters Table Storage forbids, and read back', async () => {
    const odd = 'sub/acc#ount?\\50%';
    expect(escapeKey(odd)).not.toMatch(/[/\\#?]/);
    expect(unescapeKey(escapeKey(odd))).toBe(odd);
    const registry = tableTenantRegistry({ client: newTableClient() });
    await registry.upsert(record({ subaccountId: odd, tenantHost: "tenant'1-api.s4hana.ondemand.com" }));
    expect((await registry.get("tenant'1-api.s4hana.ondemand.com", odd))?.subaccountId).toBe(odd);
    expect(await registry.listBySubaccount(odd)).toHaveLength(1);
    expect(await registry.remove("tenant'1-api.s4hana.ondemand.com", odd)).toBe(true);
  });

  /** A client of a table of its own that notes the method of every request it sends. */
  function countingTableClient(): { client: TableClient; sent: string[] } {
    const sent: string[] = [];
    const client = TableClient.fromConnectionString(azurite.connectionString, `TenantRegistry${++tables}`, {
      allowInsecureConnection: true,
      additionalPolicies: [{ position: 'perCall', policy: { name: 'countRequests', sendRequest: (request, next) => (sent.push(request.method), next(request)) } }],
    });
    return { client, sent };
  }

  it('an upsert given the row its get() read writes on that read: no second read (the record step: read, diff, write)', async () => {
    const { client, sent } = countingTableClient();
    const registry = tableTenantRegistry({ client });
    const absent = await registry.get(record().tenantHost, SUBACCOUNT);
    sent.length = 0;
    expect((await registry.upsert(record(), { lastRead: absent })).outcome).toBe('created');
    expect(sent).toEqual(['POST']); // the insert alone

    const read = await registry.get(record().tenantHost, SUBACCOUNT);
    sent.length = 0;
    const again = await registry.upsert(record({ lastVerifiedAt: '2025-06-01T00:00:00.000Z' }), { lastRead: read });
    expect(again.outcome).toBe('unchanged');
    expect(sent).toEqual(['PUT']); // the replace on the read's ETag alone
    expect((await registry.get(record().tenantHost, SUBACCOUNT))?.lastVerifiedAt).toBe('2025-06-01T00:00:00.000Z');

    // A record this registry did not hand out (or of another row) is no read it knows: it reads first, as without it.
    sent.length = 0;
    await registry.upsert(record({ lastVerifiedAt: '2025-07-01T00:00:00.000Z' }), { lastRead: record() });
    expect(sent).toEqual(['GET', 'PUT']);
  });

  it('an upsert on a last read that someone changed since reads again and keeps their change', async () => {
    const client = newTableClient();
    const ours = tableTenantRegistry({ client });
    const theirs = tableTenantRegistry({ client });
    await ours.upsert(record());
    const read = await ours.get(record().tenantHost, SUBACCOUNT);
    const check = { at: '2025-05-01T02:00:00.000Z', status: 'expiring' as const };
    await theirs.recordCheck(record().tenantHost, SUBACCOUNT, check); // the certificate check, between our read and our write
    const newFp = FP.replace(/^AB/, '22');
    const result = await ours.upsert(record({ trustCertificate: { ...record().trustCertificate, fingerprintSha256: newFp } }), { lastRead: read });
    expect(result.outcome).toBe('updated');
    const stored = await ours.get(record().tenantHost, SUBACCOUNT);
    expect(stored?.trustCertificate.fingerprintSha256).toBe(newFp);
    expect(stored?.lastCheck).toEqual(check);
  });

  it('an upsert after a get that found no row merges with a row inserted since instead of failing', async () => {
    const client = newTableClient();
    const ours = tableTenantRegistry({ client });
    const theirs = tableTenantRegistry({ client });
    const absent = await ours.get(record().tenantHost, SUBACCOUNT);
    await theirs.upsert(record()); // a second run of the same onboarding got there first
    const result = await ours.upsert(record({ onboardedAt: '2025-04-01T00:00:00.000Z', lastVerifiedAt: '2025-04-01T00:00:00.000Z' }), { lastRead: absent });
    expect(result.outcome).toBe('unchanged');
    expect((await ours.get(record().tenantHost, SUBACCOUNT))?.onboardedAt).toBe('2025-03-01T08:00:00.000Z');
  });

  it('a write with a stale ETag is merged again instead of overwriting the newer row', async () => {
    const client = newTableClient();
    const registry = tableTenantRegistry({ client });
    await registry.upsert(record());
    // Someone else changes the row between our read and our write.
    const realUpdate = client.updateEntity.bind(client);
    let interfered = false;
    client.updateEntity = (async (...args: Parameters<TableClient['updateEntity']>) => {
      if (!interfered) {
        interfered = true;
        const keys = rowKeys(record().tenantHost, SUBACCOUNT);
        await client.upsertEntity({ ...keys, lastRotationAt: '2025-05-02T03:00:00.000Z', lastRotationId: 'r-9', lastRotationOutcome: 'completed' }, 'Merge');
      }
      return realUpdate(...args);
    }) as TableClient['updateEntity'];
    await registry.recordCheck(record().tenantHost, SUBACCOUNT, { at: '2025-05-03T00:00:00.000Z', status: 'ok' });
    const stored = await registry.get(record().tenantHost, SUBACCOUNT);
    expect(interfered).toBe(true);
    expect(stored?.lastRotation).toEqual({ at: '2025-05-02T03:00:00.000Z', rotationId: 'r-9', outcome: 'completed' });
    expect(stored?.lastCheck).toEqual({ at: '2025-05-03T00:00:00.000Z', status: 'ok' });
  });

  it('a table that does not answer is a retryable error naming the table and what to do, without the account key', async () => {
    const { connection } = tableConnectionFromEnv({ AzureWebJobsStorage: azurite.connectionString.replace(`:${azurite.port}/`, ':1/') });
    const registry = tableTenantRegistry({ client: tableClient(connection!, 'TenantRegistry') });
    const error = await registry.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TenantRegistryUnavailableError);
    expect((error as TenantRegistryUnavailableError).retryable).toBe(true);
    expect((error as Error).message).toMatch(/TenantRegistry at http:\/\/127\.0\.0\.1:1\/devstoreaccount1.*Azurite/);
    expect((error as Error).message).not.toContain('AccountKey');
    expect((error as Error).message).not.toContain('Eby8');
  });
});
