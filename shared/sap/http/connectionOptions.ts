/**
 * How the product connects to SAP: the settings of docs/module-contracts.md. Sandbox mode and
 * production differ only in these values, never in code paths.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

export interface SapConnectionOptions {
  /** `host:port`: connect here instead of the DNS answer; SNI and Host keep the real name. */
  connectTo?: string;
  /** PEM of extra trusted CAs, added to Node's default roots. */
  extraCaPem?: string;
  /** Extra host patterns (`*.example.test`) on top of the built-in allowlist. */
  allowlistExtra?: string[];
  /** Per-call timeout in ms (default 30000). */
  timeoutMs?: number;
}

export const DEFAULT_SAP_TIMEOUT_MS = 30_000;

const hostPort = z
  .string()
  .regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'must be host:port, e.g. 127.0.0.1:4004');

const hostPattern = z
  .string()
  .regex(/^(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/, 'must be a host name or *.domain pattern');

const SapConnectionEnv = z.object({
  SAP_CONNECT_TO: hostPort.optional(),
  SAP_EXTRA_CA_FILE: z.string().min(1).optional(),
  SAP_HOST_ALLOWLIST_EXTRA: z.string().optional(),
  SAP_HTTP_TIMEOUT_MS: z.coerce.number().int().positive().max(600_000).optional(),
});

/** The settings this module reads (shared/config/knownSettings.ts). */
export const SAP_CONNECTION_SETTING_NAMES = Object.keys(SapConnectionEnv.shape);

/** Reads the SAP connection settings; throws one error naming every bad setting. */
export function sapConnectionOptionsFromEnv(env: Record<string, string | undefined> = process.env): SapConnectionOptions {
  const blankToUndefined = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v.trim());
  const parsed = SapConnectionEnv.safeParse({
    SAP_CONNECT_TO: blankToUndefined(env.SAP_CONNECT_TO),
    SAP_EXTRA_CA_FILE: blankToUndefined(env.SAP_EXTRA_CA_FILE),
    SAP_HOST_ALLOWLIST_EXTRA: blankToUndefined(env.SAP_HOST_ALLOWLIST_EXTRA),
    SAP_HTTP_TIMEOUT_MS: blankToUndefined(env.SAP_HTTP_TIMEOUT_MS),
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid SAP connection settings: ${problems.join('; ')}`);
  }
  const s = parsed.data;
  const allowlistExtra = (s.SAP_HOST_ALLOWLIST_EXTRA ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const badPatterns = allowlistExtra.filter((p) => !hostPattern.safeParse(p).success);
  if (badPatterns.length > 0) {
    throw new Error(`invalid SAP connection settings: SAP_HOST_ALLOWLIST_EXTRA: not host patterns: ${badPatterns.join(', ')}`);
  }
  const options: SapConnectionOptions = {};
  if (s.SAP_CONNECT_TO) options.connectTo = s.SAP_CONNECT_TO;
  if (s.SAP_EXTRA_CA_FILE) {
    try {
      options.extraCaPem = readFileSync(s.SAP_EXTRA_CA_FILE, 'utf8');
    } catch (e) {
      throw new Error(`invalid SAP connection settings: SAP_EXTRA_CA_FILE: cannot read ${s.SAP_EXTRA_CA_FILE} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    if (!options.extraCaPem.includes('-----BEGIN CERTIFICATE-----')) {
      throw new Error(`invalid SAP connection settings: SAP_EXTRA_CA_FILE: ${s.SAP_EXTRA_CA_FILE} holds no PEM certificate`);
    }
  }
  if (allowlistExtra.length > 0) options.allowlistExtra = allowlistExtra;
  if (s.SAP_HTTP_TIMEOUT_MS !== undefined) options.timeoutMs = s.SAP_HTTP_TIMEOUT_MS;
  return options;
}
