/**
 * A real Azurite (Table service) for one test file: started before its tests with its data in a new
 * temporary folder, stopped and the folder removed after them. Read `azurite` and `dir` inside tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startAzuriteTable, type RunningAzurite } from '../../devhost/azurite/azuriteTable';

export interface AzuriteForTests {
  readonly azurite: RunningAzurite;
  /** The temporary folder; Azurite keeps its data in `<dir>/azurite`, the rest is the test's. */
  readonly dir: string;
}

export function azuriteForTests(folderPrefix: string): AzuriteForTests {
  let azurite: RunningAzurite | undefined;
  let dir: string | undefined;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), folderPrefix));
    azurite = await startAzuriteTable({ location: path.join(dir, 'azurite') });
  });
  afterAll(async () => {
    await azurite?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return {
    get azurite() {
      if (!azurite) throw new Error('Azurite is started in beforeAll: read it inside a test');
      return azurite;
    },
    get dir() {
      if (!dir) throw new Error('the folder is made in beforeAll: read it inside a test');
      return dir;
    },
  };
}
