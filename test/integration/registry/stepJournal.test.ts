/**
 * The step journal (what a run was about to write, so a step that runs again after a crash says
 * "created") in each of its stores: memory, files under DATA_DIR, and a table in the function app's
 * storage account, here on a real Azurite (the app root is read-only in Azure).
 */
import * as path from 'node:path';
import { tableClient, tableConnectionFromEnv } from '../../../shared/registry';
import { fileStepJournal, memoryStepJournal, tableStepJournal, type StepJournal } from '../../../shared/workflow/stepJournal';
import { azuriteForTests } from '../../support/azuriteForTests';

const storage = azuriteForTests('step-journal-');

const stores: [string, () => StepJournal][] = [
  ['memory', () => memoryStepJournal()],
  ['file', () => fileStepJournal(path.join(storage.dir, `files-${Math.random()}`))],
  ['table', () => tableStepJournal(tableClient(tableConnectionFromEnv({ AzureWebJobsStorage: storage.azurite.connectionString }).connection!, `StepJournal${Math.floor(Math.random() * 1e9)}`))],
];

describe.each(stores)('the %s journal', (_name, make) => {
  it('knows nothing of a step that never wrote', async () => {
    expect(await make().intentOf('onboard-my100001-x-r1', 'communicationSystem')).toBeUndefined();
  });

  it('keeps the first intent of a run and step: a retry that would update does not turn "create" into "update"', async () => {
    const journal = make();
    expect(await journal.recordIntent('onboard-my100001-x-r1', 'communicationSystem', 'create')).toBe('create');
    // The write of a retry learns the first intent from the same call that would record its own.
    expect(await journal.recordIntent('onboard-my100001-x-r1', 'communicationSystem', 'update')).toBe('create');
    expect(await journal.intentOf('onboard-my100001-x-r1', 'communicationSystem')).toBe('create');
  });

  it('keeps runs and steps apart, and steps written together both land', async () => {
    const journal = make();
    await Promise.all([journal.recordIntent('run-a-r1', 'arrangement', 'create'), journal.recordIntent('run-a-r1', 'destination', 'update')]);
    expect(await journal.intentOf('run-a-r1', 'arrangement')).toBe('create');
    expect(await journal.intentOf('run-a-r1', 'destination')).toBe('update');
    expect(await journal.intentOf('run-a-r2', 'arrangement')).toBeUndefined();
  });
});
