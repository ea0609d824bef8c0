/**
 * Neo Trust Management API v2 client (contracts D): export (GET) and import (PUT, which overwrites
 * the subaccount's whole trust configuration) at `https://<trust host>/trust/v2/accounts/<subaccount>`.
 *
 * The trust host is a setting: SAP's doc says `api.<landscape>`, SAP's own migration sample calls
 * `apissecurity.<landscape>` (contracts D, update 2026-12). Tokens always come from `api.<landscape>`.
 *
 * Retries: SAP limits the API to 100 requests/min per subaccount (429). Both calls are safe to
 * repeat: export reads, and import is a full overwrite with the same document, so repeating it
 * ends in the same state. The http core waits for Retry-After up to its limit; a longer wait comes
 * back as SapError(Transient) with `retryAfterMs`, which the caller's durable retry must read.
 * The import method (PUT) is UNCONFIRMED (G.8); any 2xx counts as success.
 *
 * A 404 has two documented readings (contracts D, update 2026-12); the error names both.
 */
import type { z } from 'zod';
import { SapError } from '../errors';
import { createAuthenticatedApi, type HttpMethod, type SapHttp } from '../http';
import { assertPinnedHost, matchNeoPlatformApiHost } from '../http/servicePins';
import { createNeoTokenProvider, neoHttp, type NeoConnection, type NeoTokenProvider } from './neoToken';
import { NeoTrustConfiguration } from './trustConfiguration';

export const NEO_TRUST_IMPORT_METHOD: HttpMethod = 'PUT';

/** `api` (SAP's doc, the default) or `apissecurity` (SAP's migration sample). */
export type NeoTrustHostPrefix = 'api' | 'apissecurity';
export const NEO_TRUST_HOST_PREFIXES: readonly NeoTrustHostPrefix[] = ['api', 'apissecurity'];

export interface NeoTrustConnection extends NeoConnection {
  trustHostPrefix?: NeoTrustHostPrefix;
}

export interface ImportOptions {
  /** false: one attempt only, so the caller can read back before it repeats a write whose answer was lost. Default true. */
  repeatOnFailure?: boolean;
}

export interface NeoTrustManagement {
  /** The trust API host this client calls. */
  readonly host: string;
  /** The subaccount's trust configuration. */
  exportTrust(subaccount: string): Promise<NeoTrustConfiguration>;
  /** Replaces the subaccount's trust configuration with this document. */
  importTrust(subaccount: string, configuration: NeoTrustConfiguration, options?: ImportOptions): Promise<void>;
}

function checkedSubaccount(subaccount: string, system: string, operation: string): string {
  if (!/^[a-z0-9]+$/.test(subaccount)) {
    throw new SapError({ api: 'Neo', kind: 'Invalid', system, operation, sapMessage: `subaccount must be the technical name (lower-case letters and digits), got ${JSON.stringify(subaccount.slice(0, 80))}` });
  }
  return subaccount;
}

export function neoTrustHost(landscapeHost: string, prefix: NeoTrustHostPrefix = 'api'): string {
  const landscape = landscapeHost.replace(/^https:\/\//i, '').replace(/\/.*$/, '').toLowerCase().replace(/^(api|apissecurity)\./, '');
  return assertPinnedHost('Neo platform API', `${prefix}.${landscape}`, matchNeoPlatformApiHost);
}

/** SAP's 404 names no reason; both documented readings, so the administrator can tell which applies. */
export function neoNotFound(e: SapError, subaccount: string, host: string): SapError {
  return new SapError({
    api: 'Neo',
    kind: 'NotFound',
    system: e.system,
    operation: e.operation,
    status: e.status,
    sapMessage:
      `${e.sapMessage}. SAP documents two meanings of this answer: (1) ${host} knows no subaccount with the technical name ${subaccount} ` +
      `(use the technical name from the subaccount's overview in the Neo cockpit, not its display name), or (2) the subaccount has no custom ` +
      `trust configuration and uses the platform default (SAP ID service)`,
    ...(e.credential ? { credential: e.credential } : {}),
  });
}

export function createNeoTrustManagement(connection: NeoTrustConnection, deps: { http?: SapHttp; tokens?: NeoTokenProvider } = {}): NeoTrustManagement {
  const http = deps.http ?? neoHttp(connection);
  const tokens = deps.tokens ?? createNeoTokenProvider(connection, http);
  const host = neoTrustHost(connection.landscapeHost, connection.trustHostPrefix);

  const api = createAuthenticatedApi({ http, baseUrl: `https://${host}/trust/v2/accounts/`, auth: { bearer: tokens } });
  const call = <T>(operation: string, method: HttpMethod, subaccount: string, body?: unknown, schema?: z.ZodType<T>, safeToRetry = true) =>
    api.call<T>({ operation, method, path: checkedSubaccount(subaccount, host, operation), body, schema, safeToRetry });

  return {
    host,
    async exportTrust(subaccount) {
      try {
        const res = await call(`trust export ${subaccount}`, 'GET', subaccount, undefined, NeoTrustConfiguration);
        return res.data;
      } catch (e) {
        throw e instanceof SapError && e.kind === 'NotFound' ? neoNotFound(e, subaccount, host) : e;
      }
    },
    async importTrust(subaccount, configuration, options = {}) {
      const operation = `trust import ${subaccount}`;
      const checked = NeoTrustConfiguration.safeParse(configuration);
      if (!checked.success) {
        const problems = checked.error.issues.map((i) => `${i.path.join('.') || '(document)'}: ${i.message}`).join('; ');
        throw new SapError({ api: 'Neo', kind: 'Invalid', system: host, operation, sapMessage: `trust configuration not sent: ${problems}` });
      }
      try {
        await call(operation, NEO_TRUST_IMPORT_METHOD, subaccount, checked.data, undefined, options.repeatOnFailure ?? true);
      } catch (e) {
        throw e instanceof SapError && e.kind === 'NotFound' ? neoNotFound(e, subaccount, host) : e;
      }
    },
  };
}
