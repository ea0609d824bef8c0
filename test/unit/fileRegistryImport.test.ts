/** Carrying an old file registry into the table: once, keeping newer rows, leaving corrupt files for a person. */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { importFileRegistry, memoryTenantRegistry, type CorruptTenantRecord } from '../../shared/registry';
import { tenantRecord } from '../support/tenantRecords';

let dir: string;
beforeEach(async () => {
  dir = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'registry-import-')), 'registry');
  await fs.mkdir(dir);
});
afterEach(() => fs.rm(path.dirname(dir), { recursive: true, force: true }));

const fileOf = (host: string, sub: string) => path.join(dir, `${host}__${sub}.json`);

it('imports every row, renames each file to *.json.migrated, and a second run finds nothing to do', async () => {
  const a = tenantRecord();
  const b = tenantRecord({ tenantHost: 'my100002-api.s4hana.ondemand.com', lastCheck: { at: '2025-05-01T00:00:00.000Z', status: 'ok' } });
  await fs.writeFile(fileOf(a.tenantHost, a.subaccountId), JSON.stringify(a));
  await fs.writeFile(fileOf(b.tenantHost, b.subaccountId), JSON.stringify(b));
  const into = memoryTenantRegistry();
  expect(await importFileRegistry({ dir, into, onCorruptRecord: () => undefined })).toEqual({ imported: 2, alreadyThere: 0, corrupt: 0 });
  expect(await into.list()).toEqual([a, b]);
  expect((await fs.readdir(dir)).sort()).toEqual([`${path.basename(fileOf(a.tenantHost, a.subaccountId))}.migrated`, `${path.basename(fileOf(b.tenantHost, b.subaccountId))}.migrated`]);
  expect(await importFileRegistry({ dir, into, onCorruptRecord: () => undefined })).toEqual({ imported: 0, alreadyThere: 0, corrupt: 0 });
});

it('keeps the row the table already holds (it is newer than the file)', async () => {
  const old = tenantRecord({ destinationName: 'OLD_DESTINATION' });
  await fs.writeFile(fileOf(old.tenantHost, old.subaccountId), JSON.stringify(old));
  const into = memoryTenantRegistry([tenantRecord()]);
  expect(await importFileRegistry({ dir, into, onCorruptRecord: () => undefined })).toEqual({ imported: 0, alreadyThere: 1, corrupt: 0 });
  expect((await into.get(old.tenantHost, old.subaccountId))?.destinationName).toBe(tenantRecord().destinationName);
  expect(await fs.readdir(dir)).toEqual([`${path.basename(fileOf(old.tenantHost, old.subaccountId))}.migrated`]);
});

it('a corrupt file is reported, not imported and not renamed; the others still are', async () => {
  const good = tenantRecord();
  const corruptFile = fileOf('my100009-api.s4hana.ondemand.com', good.subaccountId);
  await fs.writeFile(fileOf(good.tenantHost, good.subaccountId), JSON.stringify(good));
  await fs.writeFile(corruptFile, '{ "tenantHost": "half');
  const reported: CorruptTenantRecord[] = [];
  const into = memoryTenantRegistry();
  expect(await importFileRegistry({ dir, into, onCorruptRecord: (c) => reported.push(c) })).toEqual({ imported: 1, alreadyThere: 0, corrupt: 1 });
  expect(reported).toEqual([{ store: 'file', where: corruptFile, problem: expect.stringContaining('not imported') }]);
  expect(await fs.readdir(dir)).toContain(path.basename(corruptFile));
});

it('no file registry at all (as in Azure) imports nothing', async () => {
  expect(await importFileRegistry({ dir: path.join(dir, 'missing'), into: memoryTenantRegistry(), onCorruptRecord: () => undefined })).toEqual({
    imported: 0,
    alreadyThere: 0,
    corrupt: 0,
  });
});
