/**
 * The host's keys, as Azure Functions has them: a master key (accepted everywhere), a default function
 * key (function-level routes) and the Durable extension's system key `durabletask_extension` (the
 * management API; it is the key embedded in check-status URLs, so those URLs never carry the master key).
 * Generated at first start and kept in DATA_DIR with mode 0600.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const KeysFile = z.object({
  masterKey: z.string().min(16),
  functionKeys: z.object({ default: z.string().min(16) }),
  systemKeys: z.object({ durabletask_extension: z.string().min(16) }),
});
export type HostKeys = z.infer<typeof KeysFile>;

/** Who may call a route: Azure's authLevel plus the system level of extension webhooks. */
export type AccessLevel = 'anonymous' | 'function' | 'system' | 'admin';

const newKey = () => randomBytes(30).toString('base64url');

export function loadOrCreateHostKeys(dataDir: string): HostKeys {
  const file = path.join(dataDir, 'host-keys.json');
  if (fs.existsSync(file)) {
    const parsed = KeysFile.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    if (!parsed.success) throw new Error(`${file} is damaged; delete it to generate new keys`);
    return parsed.data;
  }
  const keys: HostKeys = {
    masterKey: newKey(),
    functionKeys: { default: newKey() },
    systemKeys: { durabletask_extension: newKey() },
  };
  fs.mkdirSync(dataDir, { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify(keys, null, 2), { mode: 0o600 });
  fs.renameSync(temporary, file);
  return keys;
}

function sameSecret(given: string, expected: string): boolean {
  const a = new TextEncoder().encode(given);
  const b = new TextEncoder().encode(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The key a request presents: `x-functions-key` header first, then the `code` query parameter. */
export function presentedKey(headerValue: string | string[] | undefined, query: URLSearchParams): string | undefined {
  const header = Array.isArray(headerValue) ? headerValue[0] : headerValue;
  return header || query.get('code') || undefined;
}

export function isAuthorized(keys: HostKeys, level: AccessLevel, key: string | undefined): boolean {
  if (level === 'anonymous') return true;
  if (!key) return false;
  const accepted = [keys.masterKey];
  if (level === 'function') accepted.push(keys.functionKeys.default);
  if (level === 'system') accepted.push(keys.systemKeys.durabletask_extension);
  return accepted.some((expected) => sameSecret(key, expected));
}
