/**
 * Which function app the CLI talks to, and with which key: --url/--key, then SAP_TRUST_URL /
 * SAP_TRUST_KEY, then the local devhost (http://127.0.0.1:7071 and the key it keeps in DATA_DIR).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import type { ApiTarget } from './onboardingApi';

export const DEFAULT_URL = 'http://127.0.0.1:7071';

/** Where devhost keeps its generated keys, in DATA_DIR (devhost/host/hostKeys.ts). */
export const DEVHOST_KEYS_FILE = 'host-keys.json';

const DevhostKeys = z.object({ functionKeys: z.object({ default: z.string().min(1) }) });

export function resolveTarget(
  given: { url?: string; key?: string },
  env: NodeJS.ProcessEnv = process.env,
  readFile: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): ApiTarget {
  const baseUrl = given.url ?? env.SAP_TRUST_URL ?? DEFAULT_URL;
  const key = given.key ?? env.SAP_TRUST_KEY ?? (isLoopback(baseUrl) ? devhostKey(env.DATA_DIR ?? '.data', readFile) : undefined);
  return { baseUrl, key };
}

function isLoopback(url: string): boolean {
  try {
    return ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);
  } catch {
    return false;
  }
}

/** The local devhost's default function key, if it has started in this DATA_DIR. */
export function devhostKey(dataDir: string, readFile: (path: string) => string): string | undefined {
  try {
    const parsed = DevhostKeys.safeParse(JSON.parse(readFile(join(resolve(dataDir), DEVHOST_KEYS_FILE))));
    return parsed.success ? parsed.data.functionKeys.default : undefined;
  } catch {
    return undefined;
  }
}
