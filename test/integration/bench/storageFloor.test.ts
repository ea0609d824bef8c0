/**
 * The onboarding bench's floor from table writes: which of a run's writes needed a table round trip on
 * its critical path, and what a bare insert on a real Azurite costs.
 */
import { TableServiceClient } from '@azure/data-tables';
import { bareInsertMs, tableWritesOnPath } from '../../../bench/onboarding/storageFloor';
import type { StepView } from '../../../shared/workflow/runViewSchema';
import { azuriteForTests } from '../../support/azuriteForTests';

const at = (ms: number) => new Date(1_700_000_000_000 + ms).toISOString();
const step = (id: string, outcome: StepView['outcome'], start: number, end: number): StepView => ({ id, title: id, outcome, startedAt: at(start), finishedAt: at(end), durationMs: end - start });

describe('table writes on the critical path', () => {
  it('counts one intent per written step, and steps that wrote side by side once', () => {
    const writes = tableWritesOnPath([
      step('preflight', 'checked', 0, 60),
      step('trustCertificate', 'unchanged', 60, 120),
      step('communicationUser', 'created', 60, 180),
      step('communicationSystem', 'created', 185, 400),
      step('arrangement', 'created', 405, 520),
      step('destination', 'updated', 406, 522),
      step('verify', 'checked', 525, 660),
      step('record', 'created', 662, 680),
    ]);
    expect(writes).toEqual({ intents: 4, rows: 1 });
  });

  it('counts nothing for a run that found everything in place', () => {
    expect(tableWritesOnPath([step('communicationUser', 'unchanged', 0, 50), step('record', 'unchanged', 60, 70), step('verify', 'checked', 70, 90)])).toEqual({ intents: 0, rows: 0 });
  });

  it('ignores steps that have not finished', () => {
    expect(tableWritesOnPath([{ id: 'communicationSystem', title: 'x', outcome: 'created', startedAt: at(0) }])).toEqual({ intents: 0, rows: 0 });
  });
});

describe('a bare insert on Azurite', () => {
  const storage = azuriteForTests('bench-insert-');

  it('takes a positive time and leaves no table behind', async () => {
    const ms = await bareInsertMs(storage.azurite.connectionString, 5);
    expect(ms).toBeGreaterThan(0);
    const service = TableServiceClient.fromConnectionString(storage.azurite.connectionString, { allowInsecureConnection: true });
    const tables: string[] = [];
    for await (const t of service.listTables()) tables.push(t.name ?? '');
    expect(tables.filter((name) => name.startsWith('BenchInsert'))).toEqual([]);
  });
});
