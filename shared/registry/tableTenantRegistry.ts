/**
 * The tenant registry in Azure Table Storage (the function app's storage account; Azurite locally).
 * One row per tenant and subaccount (PartitionKey = subaccount, RowKey = tenant host, see
 * tenantEntity.ts). Every change is a read → merge → conditional write: a replace with the ETag that
 * was read, or an insert that fails if someone inserted first; on such a conflict it reads again
 * and merges again, so an onboarding and a certificate check writing the same row both land.
 */
import { TableTransaction, type TableClient } from '@azure/data-tables';
import { normalizeFingerprint } from '../certificates/trustCertificate';
import {
  byTenant,
  mergeRecord,
  sameRecord,
  TenantRegistryError,
  warnAboutCorruptRecord,
  withCheck,
  withRotation,
  type CorruptRecordReporter,
  TenantCheck,
  tenantKey,
  type TenantRecord,
  type TenantRegistry,
  type UpsertOptions,
} from './tenantRecord';
import { fromEntity, rowKeys, toEntity, type TenantEntity } from './tenantEntity';

export interface TableTenantRegistryOptions {
  client: TableClient;
  /** Told about each corrupt row a list skips. Default: a warning on the console. */
  onCorruptRecord?: CorruptRecordReporter;
  /** How often a write that lost a race is merged and tried again (default 5). */
  maxAttempts?: number;
}

/** The table did not answer, or answered 5xx / 429: the activity's retry takes it. */
export class TenantRegistryUnavailableError extends Error {
  readonly retryable = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TenantRegistryUnavailableError';
  }
}

const statusOf = (e: unknown): number | undefined => (e as { statusCode?: number } | undefined)?.statusCode;

type Read = { record: TenantRecord; etag: string } | undefined;

export function tableTenantRegistry({ client, onCorruptRecord = warnAboutCorruptRecord, maxAttempts = 5 }: TableTenantRegistryOptions): TenantRegistry {
  const table = client.tableName;
  const where = (partitionKey: string, rowKey: string) => `table ${table}, PartitionKey '${partitionKey}', RowKey '${rowKey}'`;

  // The row each record handed out by get() was read from (a copy, and its ETag), so that an upsert
  // given that record as its last read writes conditionally on it instead of reading the row again.
  const readsHandedOut = new WeakMap<TenantRecord, NonNullable<Read>>();

  let created: Promise<void> | undefined;
  const ensureTable = () =>
    (created ??= client.createTable().then(
      () => undefined,
      (e: unknown) => {
        created = undefined;
        throw explain(e, 'create the table');
      },
    ));

  /** Table Storage errors in the administrator's words; the connection string never appears. */
  function explain(e: unknown, operation: string): Error {
    if (e instanceof TenantRegistryError || e instanceof TenantRegistryUnavailableError) return e;
    const status = statusOf(e);
    const reason = status ? `HTTP ${status}` : ((e as { code?: string })?.code ?? (e as Error)?.message ?? String(e));
    const at = `${client.url.replace(/\?.*$/, '')}`;
    if (status === undefined || status === 408 || status === 429 || status >= 500) {
      return new TenantRegistryUnavailableError(
        `Tenant registry table ${table} at ${at} could not ${operation} (${reason}). Locally, npm start and npm run demo start Azurite for it; in Azure, check AzureWebJobsStorage and that the storage account is reachable.`,
        { cause: e },
      );
    }
    if (status === 401 || status === 403) {
      return new TenantRegistryError(
        `Tenant registry table ${table} at ${at} refused to ${operation} (${reason}).`,
        `Give the function app's identity the role Storage Table Data Contributor on the storage account (or fix the key in AzureWebJobsStorage).`,
      );
    }
    return new TenantRegistryError(`Tenant registry table ${table} at ${at} could not ${operation} (${reason}).`, 'Check the AzureWebJobsStorage settings of the function app.');
  }

  async function read(tenantHost: string, subaccountId: string): Promise<Read> {
    const { partitionKey, rowKey } = rowKeys(tenantHost, subaccountId);
    await ensureTable();
    let entity: TenantEntity & { etag: string };
    try {
      entity = (await client.getEntity(partitionKey, rowKey)) as unknown as TenantEntity & { etag: string };
    } catch (e) {
      if (statusOf(e) === 404) return undefined;
      throw explain(e, 'read a tenant');
    }
    const reading = fromEntity(entity);
    if (!reading.ok) {
      throw new TenantRegistryError(
        `Tenant registry row (${where(partitionKey, rowKey)}) is corrupt: ${reading.problem}.`,
        `Restore the row from a backup or repair it in Azure Storage Explorer, or delete it and start the onboarding again: the record step writes it anew.`,
      );
    }
    return { record: reading.record, etag: entity.etag };
  }

  /**
   * Read, change, write conditionally; again on a lost race. `change` returns undefined to write nothing.
   * `lastRead`: the caller's read of the row, used for the first attempt instead of reading it again.
   */
  async function readChangeWrite<T>(
    tenantHost: string,
    subaccountId: string,
    change: (current: TenantRecord | undefined) => { write?: TenantRecord; result: T },
    lastRead?: { read: Read },
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const current = attempt === 1 && lastRead ? lastRead.read : await read(tenantHost, subaccountId);
      if (attempt === 1 && lastRead) await ensureTable();
      const { write, result } = change(current?.record);
      if (!write) return result;
      try {
        if (current) await client.updateEntity(toEntity(write), 'Replace', { etag: current.etag });
        else await client.createEntity(toEntity(write));
        return result;
      } catch (e) {
        const lostRace = current ? statusOf(e) === 412 : statusOf(e) === 409;
        if (!lostRace || attempt >= maxAttempts) throw explain(e, 'write a tenant');
      }
    }
  }

  /** The read an upsert may start from: an absent row, or a record this registry's get() handed out for the same row. */
  function lastReadOf(options: UpsertOptions | undefined, incoming: TenantRecord): { read: Read } | undefined {
    if (!options) return undefined;
    if (options.lastRead === undefined) return { read: undefined };
    const found = readsHandedOut.get(options.lastRead);
    const same = found && tenantKey(found.record.tenantHost, found.record.subaccountId) === tenantKey(incoming.tenantHost, incoming.subaccountId);
    return same ? { read: found } : undefined;
  }

  async function listWhere(filter?: string): Promise<TenantRecord[]> {
    await ensureTable();
    const records: TenantRecord[] = [];
    try {
      for await (const entity of client.listEntities({ queryOptions: filter ? { filter } : {} })) {
        const reading = fromEntity(entity as unknown as TenantEntity);
        if (reading.ok) records.push(reading.record);
        else onCorruptRecord({ store: 'table', where: where(String(entity.partitionKey), String(entity.rowKey)), problem: reading.problem });
      }
    } catch (e) {
      throw explain(e, 'list tenants');
    }
    return records.sort(byTenant);
  }

  return {
    upsert(incoming, options?: UpsertOptions) {
      return readChangeWrite(
        incoming.tenantHost,
        incoming.subaccountId,
        (existing) => {
          const result = mergeRecord(existing, incoming);
          return { write: existing && sameRecord(existing, result.record) ? undefined : result.record, result };
        },
        lastReadOf(options, incoming),
      );
    },
    async get(tenantHost, subaccountId) {
      const found = await read(tenantHost, subaccountId);
      if (!found) return undefined;
      const handedOut = structuredClone(found.record);
      readsHandedOut.set(handedOut, found);
      return handedOut;
    },
    list() {
      return listWhere();
    },
    listBySubaccount(subaccountId) {
      return listWhere(`PartitionKey eq '${rowKeys('-', subaccountId).partitionKey.replace(/'/g, "''")}'`);
    },
    async listBySubaccounts(subaccountIds) {
      // One range query over the batch's partitions instead of one query per subaccount: a table that
      // answers each partition query by scanning (Azurite) costs one scan per batch, not per subaccount.
      const keys = subaccountIds.map((id) => rowKeys('-', id).partitionKey);
      if (keys.length === 0) return [];
      const sorted = [...keys].sort();
      const quoted = (k: string) => `'${k.replace(/'/g, "''")}'`;
      const records = await listWhere(`PartitionKey ge ${quoted(sorted[0])} and PartitionKey le ${quoted(sorted[sorted.length - 1])}`);
      const byPartition = new Map<string, TenantRecord[]>(keys.map((k) => [k, []]));
      // Other subaccounts may sort inside the range: only the asked ones are kept.
      for (const r of records) byPartition.get(rowKeys(r.tenantHost, r.subaccountId).partitionKey)?.push(r);
      return keys.map((k) => byPartition.get(k)!);
    },
    async findByCertificateFingerprint(fingerprint) {
      const wanted = normalizeFingerprint(fingerprint);
      return (await listWhere()).filter((r) => normalizeFingerprint(r.trustCertificate.fingerprintSha256) === wanted);
    },
    async remove(tenantHost, subaccountId) {
      const { partitionKey, rowKey } = rowKeys(tenantHost, subaccountId);
      await ensureTable();
      try {
        await client.deleteEntity(partitionKey, rowKey);
        return true;
      } catch (e) {
        if (statusOf(e) === 404) return false;
        throw explain(e, 'remove a tenant');
      }
    },
    recordCheck(tenantHost, subaccountId, check) {
      return readChangeWrite(tenantHost, subaccountId, (r) => (r ? { write: withCheck(r, check), result: withCheck(r, check) } : { result: undefined }));
    },
    async recordChecks(subaccountId, checks) {
      await ensureTable();
      // Table transactions hold at most 100 operations, all in one partition (the subaccount).
      for (let i = 0; i < checks.length; i += 100) {
        const chunk = checks.slice(i, i + 100).map(({ tenantHost, check }) => ({ tenantHost, check: TenantCheck.parse(check) }));
        const tx = new TableTransaction();
        for (const { tenantHost, check } of chunk) {
          // Merge with ETag '*': only the three lastCheck columns change, and only on a row that exists.
          tx.updateEntity({ ...rowKeys(tenantHost, subaccountId), lastCheckAt: check.at, lastCheckStatus: check.status, lastCheckDetail: check.detail ?? '' }, 'Merge', { etag: '*' });
        }
        try {
          await client.submitTransaction(tx.actions);
        } catch (e) {
          // A row removed meanwhile fails the whole transaction: record the rest one by one (recordCheck skips the missing row).
          if (statusOf(e) !== 404) throw explain(e, 'record the checks of a subaccount');
          for (const { tenantHost, check } of chunk) await this.recordCheck(tenantHost, subaccountId, check);
        }
      }
    },
    recordRotation(tenantHost, subaccountId, rotation) {
      return readChangeWrite(tenantHost, subaccountId, (r) =>
        r ? { write: withRotation(r, rotation), result: withRotation(r, rotation) } : { result: undefined },
      );
    },
  };
}
