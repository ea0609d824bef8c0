#!/usr/bin/env node
'use strict';
/**
 * `npm run package:app`: the deployment package, as Core Tools builds it (`func azure functionapp
 * publish` zips the project directory minus what .funcignore names) after `npm prune --omit=dev`,
 * but without touching the working tree's node_modules: the production dependencies are the
 * package-lock.json entries not marked dev, copied from node_modules.
 *
 * Writes .deploy/app/ (what azure.yaml's `dist` points azd at) and .deploy/app.zip (for
 * `az functionapp deployment source config-zip` and for the size report), and prints both sizes.
 * Needs a build first (`npm run build`).
 */
const { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { join, relative, resolve, sep } = require('node:path');
const { funcignoreMatcher } = require('./funcignore');
const { writeZip } = require('./zipArchive');

const root = resolve(__dirname, '..');

/** Project-relative posix paths of every file the package holds, before dependencies. */
function projectFiles(ignored) {
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const rel = dir ? `${dir}/${entry.name}` : entry.name;
      if (rel === 'node_modules') continue;
      if (entry.isSymbolicLink()) continue;
      if (ignored(rel, entry.isDirectory())) continue;
      if (entry.isDirectory()) walk(rel);
      else if (entry.isFile()) files.push(rel);
    }
  };
  walk('');
  return files;
}

/** node_modules/… directories of the production dependency tree, from package-lock.json. */
function productionPackages() {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  return Object.entries(lock.packages ?? {})
    .filter(([path, entry]) => path.startsWith('node_modules/') && !entry.dev && !entry.devOptional && !entry.link)
    .map(([path]) => path)
    .filter((path) => existsSync(join(root, path)));
}

/** Files of one installed package, without its nested node_modules (their own lock entries) and .bin links. */
function packageFiles(packageDir, ignored) {
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.name === 'node_modules' || entry.isSymbolicLink()) continue;
      if (ignored(rel, entry.isDirectory())) continue;
      if (entry.isDirectory()) walk(rel);
      else if (entry.isFile()) files.push(rel);
    }
  };
  walk(packageDir);
  return files;
}

function packageApp({ outDir = join(root, '.deploy') } = {}) {
  const entry = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).main;
  if (!existsSync(join(root, entry))) throw new Error(`${entry} is missing: run npm run build first`);
  const ignored = funcignoreMatcher(join(root, '.funcignore'));
  // A package whose directory .funcignore names is left out whole, as Core Tools leaves out what a directory pattern matches.
  const packages = productionPackages().filter((p) => !ignored(p, true));
  const files = [...projectFiles(ignored), ...packages.flatMap((p) => packageFiles(p, ignored))].sort();

  const appDir = join(outDir, 'app');
  rmSync(appDir, { recursive: true, force: true });
  mkdirSync(appDir, { recursive: true });
  for (const file of files) cpSync(join(root, file), join(appDir, file));
  const zip = writeZip(files.map((file) => ({ name: file, data: readFileSync(join(root, file)), mode: statSync(join(root, file)).mode & 0o777 })));
  const zipFile = join(outDir, 'app.zip');
  writeFileSync(zipFile, zip);
  const unpacked = files.reduce((n, f) => n + lstatSync(join(root, f)).size, 0);
  return { appDir, zipFile, files, zipBytes: zip.length, unpackedBytes: unpacked };
}

if (require.main === module) {
  const started = Date.now();
  const result = packageApp();
  const mib = (n) => `${(n / 2 ** 20).toFixed(1)} MiB`;
  process.stderr.write(
    `Packaged ${result.files.length} files (${mib(result.unpackedBytes)}) into ${relative(process.cwd(), result.appDir) || result.appDir}${sep} and ` +
      `${relative(process.cwd(), result.zipFile)} (${mib(result.zipBytes)}) in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`,
  );
}

module.exports = { packageApp, productionPackages };
