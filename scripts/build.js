#!/usr/bin/env node
/**
 * `npm run build`: tsc --incremental, with its build info in dist/ so that deleting dist/ always
 * means a full build. tsc neither removes the output of a deleted source nor re-emits an output
 * that was deleted by hand, so this script does both first: it removes dist/**.js whose source is
 * gone (devhost's "main" may be a glob and the bench runner loads what it finds in dist/bench),
 * and forgets the build info when an output is missing. Says that it builds, and how long it took.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, readFileSync, rmSync, statSync } = require('node:fs');
const { join, relative, resolve } = require('node:path');

const root = resolve(__dirname, '..');
const config = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8'));
const outDir = join(root, config.compilerOptions.outDir);
const buildInfo = join(outDir, '.tsbuildinfo');

function filesUnder(dir, keep) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map((name) => join(dir, name))
    .filter((file) => !file.includes(`node_modules`) && keep(file) && statSync(file).isFile());
}

const sources = config.include.flatMap((dir) => filesUnder(join(root, dir), (f) => f.endsWith('.ts') && !f.endsWith('.d.ts')));
const outputOf = (source) => join(outDir, relative(root, source)).replace(/\.ts$/, '.js');

let removed = 0;
for (const output of filesUnder(outDir, (f) => f.endsWith('.js') || f.endsWith('.js.map'))) {
  const source = join(root, relative(outDir, output)).replace(/\.js(\.map)?$/, '.ts');
  if (!existsSync(source)) {
    rmSync(output);
    removed++;
  }
}
// A source newer than the build info is new or changed, and tsc emits it anyway; an older one
// without output lost that output after the last build, which tsc would not notice.
const builtAt = existsSync(buildInfo) ? statSync(buildInfo).mtimeMs : 0;
const missing = sources.filter((s) => !existsSync(outputOf(s))).length;
const lost = sources.some((s) => !existsSync(outputOf(s)) && statSync(s).mtimeMs <= builtAt);
if (lost) rmSync(buildInfo);

const started = Date.now();
process.stderr.write(
  `Building ${relative(process.cwd(), outDir) || outDir}/ with tsc --incremental` +
    `${missing ? ` (${missing} of ${sources.length} files to emit)` : ''}${removed ? `, removed ${removed} stale file(s)` : ''}…\n`,
);
const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json'), '--incremental', '--tsBuildInfoFile', buildInfo], {
  cwd: root,
  stdio: 'inherit',
});
if (result.status !== 0) {
  process.stderr.write('Build failed: the TypeScript errors are above.\n');
  process.exit(result.status ?? 1);
}
process.stderr.write(`Built in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);
