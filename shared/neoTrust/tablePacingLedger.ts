/**
 * The pacing ledger as a table beside the registry (the function app's storage account; Azurite
 * locally): one row per subaccount, changed only with the ETag it was read with. Two instances that
 * change one subaccount at once: one wins, the other reads again and recomputes, so no two requests
 * take the same place in SAP's budget.
 */
import type { TableClient } from '@azure/data-tables';
import type { PacingLedger } from './pacingLedger';
import { parsePacingState } from './pacingLedger';
import { EMPTY_PACING, type PacingState } from './pacingWindow';

export const PACING_TABLE = 'NeoTrustPacing';
const PARTITION = 'subaccount';
/** Conflicts in a row before giving up; each is another writer that got its turn. */
const MAX_CONFLICTS = 50;

interface PacingEntity {
  partitionKey: string;
  rowKey: string;
  /** PacingState as JSON: at most `limit` send times (1.4 kB at 100; a string property holds 64 kB). */
  state: string;
}

const statusOf = (e: unknown) => (e as { statusCode?: number }).statusCode;

export function tablePacingLedger(client: TableClient): PacingLedger {
  let created: Promise<unknown> | undefined;
  const ensureTable = () =>
    (created ??= client.createTable().catch((e) => {
      if (statusOf(e) === 409) return undefined;
      created = undefined;
      throw e;
    }));
  // Row keys may not hold "/", "\", "#", "?".
  const rowKey = (key: string) => encodeURIComponent(key);

  return {
    async change(key, fn) {
      await ensureTable();
      for (let conflicts = 0; ; conflicts++) {
        let etag: string | undefined;
        let state: PacingState = EMPTY_PACING;
        try {
          const entity = await client.getEntity<PacingEntity>(PARTITION, rowKey(key));
          etag = entity.etag;
          state = parsePacingState(JSON.parse(entity.state));
        } catch (e) {
          if (statusOf(e) !== 404) throw e;
        }
        const next = fn(state);
        const entity: PacingEntity = { partitionKey: PARTITION, rowKey: rowKey(key), state: JSON.stringify(next.state) };
        try {
          if (etag) await client.updateEntity(entity, 'Replace', { etag });
          else await client.createEntity(entity);
          return next.result;
        } catch (e) {
          const status = statusOf(e);
          // 412: changed since we read it; 409: created since we found none.
          if ((status !== 412 && status !== 409) || conflicts >= MAX_CONFLICTS) throw e;
          await new Promise((r) => setTimeout(r, Math.random() * 20));
        }
      }
    },
  };
}
