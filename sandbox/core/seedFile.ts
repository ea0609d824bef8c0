/**
 * Where the seed comes from: the `seed` option (object or file path), else SANDBOX_SEED, else
 * sandbox/seed.default.json. Each service reads its own section (`subaccounts`, `s4Tenants`,
 * `iasTenants`, `neoSubaccounts`).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export type SandboxSeed = Record<string, unknown>;

const SeedObject = z.record(z.string(), z.unknown());

/** The default seed, found next to the sources both from `sandbox/` (ts-jest) and `dist/sandbox/`. */
export function defaultSeedFile(): string {
  const candidates = [
    path.join(__dirname, '..', 'seed.default.json'),
    path.resolve(__dirname, '..', '..', '..', 'sandbox', 'seed.default.json'),
  ];
  return candidates.find((c) => existsSync(c)) ?? candidates[0];
}

export function loadSeed(option: SandboxSeed | string | undefined, env: Record<string, string | undefined> = process.env): SandboxSeed {
  if (option !== undefined && typeof option !== 'string') return SeedObject.parse(option);
  const file = option ?? (env.SANDBOX_SEED?.trim() || defaultSeedFile());
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read sandbox seed ${file}: ${(err as Error).message}`);
  }
  const seed = SeedObject.safeParse(parsed);
  if (!seed.success) throw new Error(`sandbox seed ${file} must be a JSON object`);
  return seed.data;
}
