/**
 * Carries the rows of a file registry (`<DATA_DIR>/registry`, the local store before the table) into
 * the table once: each file that is imported, or whose tenant the table already holds, is renamed to
 * `*.json.migrated`, so the next start has nothing left to do. A corrupt file stays where it is and
 * is reported; a row the table already has is kept (it is newer than the file).
 */
import { promises as fs } from 'node:fs';
import { readRegistryFile, registryFiles } from './fileTenantRegistry';
import { TenantRegistryError, type CorruptRecordReporter, type TenantRegistry } from './tenantRecord';

export interface FileRegistryImport {
  imported: number;
  alreadyThere: number;
  corrupt: number;
}

export async function importFileRegistry({
  dir,
  into,
  onCorruptRecord,
}: {
  dir: string;
  into: TenantRegistry;
  onCorruptRecord: CorruptRecordReporter;
}): Promise<FileRegistryImport> {
  const result: FileRegistryImport = { imported: 0, alreadyThere: 0, corrupt: 0 };
  for (const file of await registryFiles(dir)) {
    let record;
    try {
      record = await readRegistryFile(file);
    } catch (e) {
      if (!(e instanceof TenantRegistryError)) throw e;
      onCorruptRecord({ store: 'file', where: file, problem: 'not a tenant record; it was not imported into the table' });
      result.corrupt++;
      continue;
    }
    if (!record) continue;
    if (await into.get(record.tenantHost, record.subaccountId)) result.alreadyThere++;
    else {
      await into.upsert(record);
      result.imported++;
    }
    await fs.rename(file, `${file}.migrated`);
  }
  return result;
}
