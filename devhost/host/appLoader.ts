/**
 * Loads the app as the Node worker does: provide `@azure/functions-core`, then require the files named by
 * package.json "main" (a path or a glob) or by an explicit entry. Files are required with Node's own
 * loader (createRequire), so the app, durable-functions and devhost share ONE `@azure/functions` instance
 * even when devhost itself runs inside a test runner with its own module registry.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AppRegistrations } from './functionRegistry';
import { provideFunctionsCore } from './functionsCore';
import { NodeModule } from './nodeModuleSystem';

const createRequire = NodeModule.createRequire;

export type FunctionsLibrary = typeof import('@azure/functions');

export interface LoadedApp {
  registrations: AppRegistrations;
  /** The `@azure/functions` instance the app registered with (HttpRequest, HttpResponse, InvocationContext). */
  functionsLibrary: FunctionsLibrary;
  entryFiles: string[];
  warnings: string[];
}

const PackageJson = z.object({ main: z.string().min(1) });
const GLOB_CHARS = /[*?[\]{}]/;

export function entryPatternFromPackageJson(projectDir: string): string {
  const file = path.join(projectDir, 'package.json');
  const parsed = PackageJson.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: "main" must name the compiled app entry (a path or a glob)`);
  return parsed.data.main;
}

/** Resolves a path or glob (relative to baseDir) to the files to require, sorted for a stable order. */
export function resolveEntryFiles(pattern: string, baseDir: string): string[] {
  const absolute = path.resolve(baseDir, pattern);
  if (!GLOB_CHARS.test(pattern)) {
    if (!fs.existsSync(absolute)) throw new Error(`App entry ${absolute} does not exist (did you run the build?)`);
    return [absolute];
  }
  const segments = absolute.split(path.sep);
  const firstGlob = segments.findIndex((s) => GLOB_CHARS.test(s));
  const root = segments.slice(0, firstGlob).join(path.sep) || path.sep;
  const matchesGlob = (path as unknown as { matchesGlob(p: string, g: string): boolean }).matchesGlob;
  const files = fs.existsSync(root)
    ? (fs.readdirSync(root, { recursive: true }) as string[])
        .map((relative) => path.join(root, relative))
        .filter((file) => !file.includes(`${path.sep}node_modules${path.sep}`) && matchesGlob(file, absolute))
        .filter((file) => fs.statSync(file).isFile())
        .sort()
    : [];
  if (files.length === 0) throw new Error(`App entry glob ${pattern} matches no file under ${root}`);
  return files;
}

/** Modules added to Node's cache by the previous load (process-wide), dropped so a new load registers again. */
const PREVIOUSLY_LOADED = Symbol.for('devhost.appModules');
function previouslyLoadedModules(): Set<string> {
  const holder = NodeModule as unknown as Record<symbol, Set<string> | undefined>;
  return (holder[PREVIOUSLY_LOADED] ??= new Set<string>());
}

export function loadApp(entryFiles: string[]): LoadedApp {
  const registrations = new AppRegistrations();
  provideFunctionsCore(registrations);
  const cache = (NodeModule as unknown as { _cache: Record<string, unknown> })._cache;
  const previouslyLoaded = previouslyLoadedModules();
  for (const id of previouslyLoaded) delete cache[id];
  previouslyLoaded.clear();
  const before = new Set(Object.keys(cache));
  try {
    for (const file of entryFiles) createRequire(file)(file);
  } finally {
    for (const id of Object.keys(cache)) {
      if (!before.has(id) && !id.includes(`${path.sep}node_modules${path.sep}`)) previouslyLoaded.add(id);
    }
  }
  const appRequire = createRequire(entryFiles[0]);
  const functionsLibrary = appRequire('@azure/functions') as FunctionsLibrary;
  return { registrations, functionsLibrary, entryFiles, warnings: duplicateLibraryWarnings(appRequire) };
}

/** A nested copy of @azure/functions under durable-functions would break instanceof checks (notes 3.1). */
function duplicateLibraryWarnings(appRequire: NodeRequire): string[] {
  try {
    const appCopy = appRequire.resolve('@azure/functions');
    const durableCopy = createRequire(appRequire.resolve('durable-functions')).resolve('@azure/functions');
    return appCopy === durableCopy
      ? []
      : [`two copies of @azure/functions: ${appCopy} and ${durableCopy} (run npm dedupe)`];
  } catch {
    return [];
  }
}
