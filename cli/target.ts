/**
 * Which function app the CLI talks to, and with which key: --url/--key, then SAP_TRUST_URL /
 * SAP_TRUST_KEY, then the local devhost (http://127.0.0.1:7071 and the key it keeps in DATA_DIR).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ApiTarget } from './onboardingApi';

export const DEFAULT_URL = 'http://127.0.0.1:7071';

/** Where devhost keeps its generated function key, relative to DATA_DIR (devhost/host/keys.ts). */
export const DEVHOST_KEY_FILES = ['devhost/keys.json', 'keys.json', 'host-keys.json'];

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

/** The devhost master key (a master key opens every function-level route, as in Azure). */
export function devhostKey(dataDir: string, readFile: (path: string) => string): string | undefined {
  for (const file of DEVHOST_KEY_FILES) {
    let text: string;
    try {
      text = readFile(join(resolve(dataDir), file));
    } catch {
      continue;
    }
    const key = keyFrom(text);
    if (key) return key;
  }
  return undefined;
}

function keyFrom(text: string): string | undefined {
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    for (const field of ['masterKey', 'master', 'functionKey', 'default', 'key']) {
      const value = json[field];
      if (typeof value === 'string' && value) return value;
      if (value && typeof value === 'object' && typeof (value as { value?: unknown }).value === 'string') return (value as { value: string }).value;
    }
    return undefined;
  } catch {
    const trimmed = text.trim();
    return trimmed && !/\s/.test(trimmed) ? trimmed : undefined;
  }
}
