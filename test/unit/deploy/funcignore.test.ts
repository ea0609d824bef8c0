import { readFileSync } from 'node:fs';
import path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parseFuncignore, funcignoreMatcher } = require('../../../scripts/funcignore.js') as {
  parseFuncignore(text: string): unknown[];
  funcignoreMatcher(file: string): (p: string, isDirectory: boolean) => boolean;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { writeZip, readZip } = require('../../../scripts/zipArchive.js') as {
  writeZip(e: { name: string; data: Buffer }[]): Buffer;
  readZip(z: Buffer): { name: string; data: Buffer }[];
};

const ROOT = path.resolve(__dirname, '../../..');
const ignored = funcignoreMatcher(path.join(ROOT, '.funcignore'));

describe('.funcignore as the packager reads it', () => {
  it('leaves out the dev tools as sources and compiled, local state and TypeScript sources', () => {
    for (const dir of ['devhost', 'sandbox', 'bench', 'test', 'cli', '.data', 'dist/devhost', 'dist/sandbox', 'dist/bench', 'dist/test', 'dist/cli', 'infra']) expect([dir, ignored(dir, true)]).toEqual([dir, true]);
    for (const file of ['local.settings.json', 'shared/config/settings.ts', 'node_modules/zod/index.d.ts', 'dist/functions/index.js.map', 'azure.yaml']) expect([file, ignored(file, false)]).toEqual([file, true]);
  });

  it('keeps the compiled app, host.json, package.json and dependencies, including their own test or cli folders', () => {
    for (const file of ['dist/functions/index.js', 'dist/shared/config/settings.js', 'host.json', 'package.json', 'node_modules/zod/index.js']) expect([file, ignored(file, false)]).toEqual([file, false]);
    for (const dir of ['dist', 'dist/functions', 'node_modules/some-package/cli', 'node_modules/some-package/test']) expect([dir, ignored(dir, true)]).toEqual([dir, false]);
  });

  it('refuses syntax it would read differently from Core Tools', () => {
    expect(() => parseFuncignore('dist/\n!dist/functions/\n')).toThrow(/line 2/);
  });

  it('is the file the repository ships', () => {
    expect(readFileSync(path.join(ROOT, '.funcignore'), 'utf8')).toContain('/devhost/');
  });
});

describe('the zip writer', () => {
  it('writes archives it reads back byte for byte, with UTF-8 names', () => {
    const entries = [
      { name: 'host.json', data: Buffer.from('{"version":"2.0"}') },
      { name: 'dist/ünïcode.js', data: Buffer.alloc(70_000, 'x') },
      { name: 'empty.txt', data: Buffer.alloc(0) },
    ];
    expect(readZip(writeZip(entries))).toEqual(entries);
  });
});
