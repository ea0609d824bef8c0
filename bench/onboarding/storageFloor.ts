/**
 * What the onboarding's own durable writes cost on its critical path, at the least.
 *
 * Before each write to SAP a step records its intent in the step journal (issue 7: a run that dies
 * after SAP committed still reports "created"), and the record step writes the registry row: both are
 * rows in the function app's table storage. Steps that write side by side record their intents
 * together, so they cost one round trip between them. A bare insert on the same Azurite, with nothing
 * else running, is the least each of those round trips can take.
 */
import type { StepView } from '../../shared/workflow/runViewSchema';
import { tableClient, tableConnectionFromEnv } from '../../shared/registry/tableConnection';

const WROTE = new Set(['created', 'updated', 'deleted']);

/** Steps whose own write goes to the table, not to SAP (it is on top of its journal intent). */
const TABLE_WRITING_STEPS = new Set(['record']);

export interface TableWrites {
  /** Journal intents on the critical path: written steps that overlapped in time count once. */
  intents: number;
  /** Writes of the product's own rows (the registry) after their intent. */
  rows: number;
}

export function tableWritesOnPath(steps: readonly StepView[]): TableWrites {
  const written = steps
    .filter((s) => s.outcome !== undefined && WROTE.has(s.outcome) && s.startedAt !== undefined && s.finishedAt !== undefined)
    .map((s) => ({ id: s.id, start: Date.parse(s.startedAt!), end: Date.parse(s.finishedAt!) }))
    .sort((a, b) => a.start - b.start);
  let intents = 0;
  let slotEnd = -Infinity;
  for (const step of written) {
    if (step.start >= slotEnd) intents++;
    slotEnd = Math.max(slotEnd, step.end);
  }
  return { intents, rows: written.filter((s) => TABLE_WRITING_STEPS.has(s.id)).length };
}

/** Median time of `count` inserts, one after another, into a scratch table (dropped afterwards). */
export async function bareInsertMs(connectionString: string, count = 30): Promise<number> {
  const client = tableClient(tableConnectionFromEnv({ AzureWebJobsStorage: connectionString }).connection!, `BenchInsert${Date.now()}`);
  await client.createTable();
  try {
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      const started = performance.now();
      await client.createEntity({ partitionKey: 'bench', rowKey: String(i), action: 'create' });
      times.push(performance.now() - started);
    }
    return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
  } finally {
    await client.deleteTable();
  }
}
