/**
 * Which function app the CLI talks to, and with which key: --url/--key, then SAP_TRUST_URL /
 * SAP_TRUST_KEY, then the local devhost (http://127.0.0.1:7071, or the FUNCTIONS_PORT that
 * `npm start` listens on, and the key it keeps in DATA_DIR).
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
  const baseUrl = given.url ?? env.SAP_TRUST_URL ?? (env.FUNCTIONS_PORT?.trim() ? `http://127.0.0.1:${env.FUNCTIONS_PORT.trim()}` : DEFAULT_URL);
  if (given.key !== undefined) return { baseUrl, key: given.key, keySource: '--key' };
  if (env.SAP_TRUST_KEY !== undefined) return { baseUrl, key: env.SAP_TRUST_KEY, keySource: 'SAP_TRUST_KEY' };
  if (!isLoopback(baseUrl)) return { baseUrl };
  const file = devhostKeysFile(env.DATA_DIR ?? '.data');
  const key = devhostKey(env.DATA_DIR ?? '.data', readFile);
  return key === undefined ? { baseUrl, keySource: `none found in ${file}` } : { baseUrl, key, keySource: file };
}

export function devhostKeysFile(dataDir: string): string {
  return join(resolve(dataDir), DEVHOST_KEYS_FILE);
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
    const parsed = DevhostKeys.safeParse(JSON.parse(readFile(devhostKeysFile(dataDir))));
    return parsed.success ? parsed.data.functionKeys.default : undefined;
  } catch {
    return undefined;
  }
}
