/**
 * The Neo trust API as the trust steps use it: the platform API client read from the SecretStore by
 * the activity itself, the trust host from the settings, one attempt per call (retries happen on
 * durable timers), every request paced per subaccount, and a 429 turned into a wait for everyone.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { settings } from '../config';
import { SapError } from '../sap/errors';
import { createNeoTrustManagement, type ImportOptions, type NeoTrustManagement } from '../sap/neo/trustManagement';
import type { NeoTrustConfiguration } from '../sap/neo/trustConfiguration';
import { readRequiredSecret, type StepDependencies } from '../workflow/stepDependencies';
import { PermanentStepError, TransientStepError } from '../workflow/stepOutcome';
import { NeoPlatformClientSecret, NEO_PLATFORM_CLIENT_CONTENT_TYPE, NEO_PLATFORM_CLIENT_SHAPE } from './neoPlatformClient';
import { neoTrustSettings } from './neoTrustSettings';
import { subaccountPacer, type SubaccountPacer } from './subaccountPacer';
import { filePacingLedger } from './pacingLedger';
import { tableClient } from '../registry/tableConnection';

export const NeoTrustTarget = z.object({
  /** Landscape host, e.g. `eu2.hana.ondemand.com` (the API host is `api.<landscape>`). */
  landscapeHost: z.string().regex(/^([a-z0-9]+\.)?hana\.ondemand\.com$/, 'must be a Neo landscape host such as hana.ondemand.com or eu2.hana.ondemand.com'),
  /** The subaccount's technical name. */
  subaccount: z.string().regex(/^[a-z0-9]{1,60}$/, 'must be the subaccount technical name (lower-case letters and digits)'),
  /** Secret name of the Neo platform API client. */
  credentialSecret: z.string().regex(/^[0-9a-zA-Z-]{1,127}$/, 'must be a secret name (letters, digits, "-")'),
});
export type NeoTrustTarget = z.infer<typeof NeoTrustTarget>;

export const subaccountLabel = (t: Pick<NeoTrustTarget, 'landscapeHost' | 'subaccount'>) => `Neo subaccount ${t.subaccount} (${t.landscapeHost})`;

export interface PacedNeoTrust {
  system: string;
  /** When the next request to this subaccount may go (ISO), as the last request here left the budget: steps hand it on, the orchestrator waits for it on a durable timer. */
  notBefore(): string;
  exportTrust(): Promise<NeoTrustConfiguration>;
  importTrust(document: NeoTrustConfiguration, options?: ImportOptions): Promise<void>;
}

let pacer: SubaccountPacer | undefined;
const clients = new Map<string, NeoTrustManagement>();

/** The ledger lives beside the registry, as the step journal does: a table (Azure, Azurite), memory for unit tests, else a file under DATA_DIR. */
export function neoTrustPacer(): SubaccountPacer {
  if (!pacer) {
    const s = settings();
    const { requestsPerMinute } = neoTrustSettings();
    if (s.registryStore === 'table' && s.registryTable) {
      // Loaded only with the table store (the Tables SDK is heavy for the app's start).
      const { tablePacingLedger, PACING_TABLE } = require('./tablePacingLedger') as typeof import('./tablePacingLedger');
      pacer = subaccountPacer({ requestsPerMinute, ledger: tablePacingLedger(tableClient(s.registryTable.connection, PACING_TABLE)), ledgerName: `the table ${PACING_TABLE} in the app's storage account` });
    } else if (s.registryStore === 'memory') {
      pacer = subaccountPacer({ requestsPerMinute });
    } else {
      const file = path.join(s.dataDir, 'neo-trust-pacing.log');
      pacer = subaccountPacer({ requestsPerMinute, ledger: filePacingLedger(file), ledgerName: `the pacing file ${file}` });
    }
  }
  return pacer;
}

export async function pacedNeoTrust(deps: StepDependencies, target: NeoTrustTarget): Promise<PacedNeoTrust> {
  const system = subaccountLabel(target);
  const raw = await readRequiredSecret(deps.secrets, target.credentialSecret, system, 'Neo platform API client');
  let credentials: NeoPlatformClientSecret;
  try {
    credentials = NeoPlatformClientSecret.parse(JSON.parse(raw));
  } catch {
    throw new PermanentStepError({
      system,
      kind: 'InvalidCredential',
      message: `the secret "${target.credentialSecret}" is not a Neo platform API client (${NEO_PLATFORM_CLIENT_SHAPE})`,
      fix: `Store it with PUT /api/credentials/${target.credentialSecret} and contentType "${NEO_PLATFORM_CLIENT_CONTENT_TYPE}".`,
    });
  }
  let trustHostPrefix;
  try {
    ({ trustHostPrefix } = neoTrustSettings());
  } catch (e) {
    throw new PermanentStepError({ system, kind: 'InvalidSetting', message: (e as Error).message, fix: 'Correct NEO_TRUST_API_HOST ("api" or "apissecurity") or NEO_TRUST_REQUESTS_PER_MINUTE in the app settings, then start the run again.' });
  }
  const key = `${target.credentialSecret}:${target.landscapeHost}:${trustHostPrefix}:${createHash('sha256').update(raw).digest('hex')}`;
  let client = clients.get(key);
  if (!client) {
    client = createNeoTrustManagement({ landscapeHost: target.landscapeHost, credentials, options: deps.connection, credential: target.credentialSecret, trustHostPrefix, retry: { maxAttempts: 1 } });
    clients.set(key, client);
  }
  const neo = client;
  const slotKey = `${target.landscapeHost}/${target.subaccount}`;
  let nextAt: number | undefined;
  const paced = async <T>(call: () => Promise<T>): Promise<T> => {
    const p = neoTrustPacer();
    nextAt = await p.slot(slotKey);
    try {
      return await call();
    } catch (e) {
      if (e instanceof SapError && e.kind === 'Transient' && e.status === 429) {
        const wait = await p.tooManyRequests(slotKey, e.retryAfterMs);
        nextAt = Date.now() + wait;
        throw new TransientStepError(system, `${e.message}; waiting ${Math.ceil(wait / 1000)} s before the next request to this subaccount`, wait);
      }
      throw e;
    }
  };
  return {
    system,
    notBefore: () => new Date(nextAt ?? Date.now()).toISOString(),
    exportTrust: () => paced(() => neo.exportTrust(target.subaccount)),
    importTrust: (document, options) => paced(() => neo.importTrust(target.subaccount, document, options)),
  };
}
