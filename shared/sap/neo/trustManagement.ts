/**
 * Neo Trust Management API v2 client (contracts D): export (GET) and import (PUT, which overwrites
 * the subaccount's whole trust configuration) at `https://api.<landscape>/trust/v2/accounts/<subaccount>`.
 *
 * Retries: SAP limits the API to 100 requests/min per subaccount (429). Both calls are safe to
 * repeat: export reads, and import is a full overwrite with the same document, so repeating it
 * ends in the same state. The http core waits for Retry-After up to its limit; a longer wait comes
 * back as SapError(Transient) with `retryAfterMs`, which the caller's durable retry must read.
 * The import method (PUT) is UNCONFIRMED (G.8); any 2xx counts as success.
 */
import type { z } from 'zod';
import { SapError } from '../errors';
import { createAuthenticatedApi, type HttpMethod, type SapHttp } from '../http';
import { createNeoTokenProvider, neoHttp, pinnedNeoApiHost, type NeoConnection, type NeoTokenProvider } from './neoToken';
import { NeoTrustConfiguration } from './trustConfiguration';

export const NEO_TRUST_IMPORT_METHOD: HttpMethod = 'PUT';

export interface NeoTrustManagement {
  /** The subaccount's trust configuration. */
  exportTrust(subaccount: string): Promise<NeoTrustConfiguration>;
  /** Replaces the subaccount's trust configuration with this document. */
  importTrust(subaccount: string, configuration: NeoTrustConfiguration): Promise<void>;
}

function checkedSubaccount(subaccount: string, system: string, operation: string): string {
  if (!/^[a-z0-9]+$/.test(subaccount)) {
    throw new SapError({ api: 'Neo', kind: 'Invalid', system, operation, sapMessage: `subaccount must be the technical name (lower-case letters and digits), got ${JSON.stringify(subaccount.slice(0, 80))}` });
  }
  return subaccount;
}

export function createNeoTrustManagement(connection: NeoConnection, deps: { http?: SapHttp; tokens?: NeoTokenProvider } = {}): NeoTrustManagement {
  const http = deps.http ?? neoHttp(connection);
  const tokens = deps.tokens ?? createNeoTokenProvider(connection, http);
  const host = pinnedNeoApiHost(connection.landscapeHost);

  const api = createAuthenticatedApi({ http, baseUrl: `https://${host}/trust/v2/accounts/`, auth: { bearer: tokens } });
  const call = <T>(operation: string, method: HttpMethod, subaccount: string, body?: unknown, schema?: z.ZodType<T>) =>
    api.call<T>({ operation, method, path: checkedSubaccount(subaccount, host, operation), body, schema, safeToRetry: true });

  return {
    async exportTrust(subaccount) {
      const res = await call(`trust export ${subaccount}`, 'GET', subaccount, undefined, NeoTrustConfiguration);
      return res.data;
    },
    async importTrust(subaccount, configuration) {
      const operation = `trust import ${subaccount}`;
      const checked = NeoTrustConfiguration.safeParse(configuration);
      if (!checked.success) {
        const problems = checked.error.issues.map((i) => `${i.path.join('.') || '(document)'}: ${i.message}`).join('; ');
        throw new SapError({ api: 'Neo', kind: 'Invalid', system: host, operation, sapMessage: `trust configuration not sent: ${problems}` });
      }
      await call(operation, NEO_TRUST_IMPORT_METHOD, subaccount, checked.data);
    },
  };
}
