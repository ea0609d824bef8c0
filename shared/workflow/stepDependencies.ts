/**
 * What the onboarding steps use: the secret store, the tenant registry and SAP clients built from
 * secrets the steps read themselves. Clients are cached per credential so tokens and CSRF sessions
 * are reused across activities of one process.
 */
import { createHash } from 'node:crypto';
import type { SecretStore } from '../secrets';
import type { TenantRegistry } from '../registry';
import type { SapConnectionOptions } from '../sap/http';
import { parseDestinationServiceKey } from '../sap/xsuaa';
import { serviceKeyMisfit } from '../sap/xsuaa/serviceKeyFit';
import { matchS4ApiHost } from '../sap/http/servicePins';
import { createDestinationServiceClient, type DestinationServiceClient } from '../sap/destination';
import { createS4Client, type S4Client } from '../sap/s4';
import { runtimeServices } from '../config/runtimeServices';
import { PermanentStepError } from './stepOutcome';
import { fileStepJournal, memoryStepJournal, tableStepJournal, type StepJournal } from './stepJournal';
import { tableClient } from '../registry/tableConnection';
import { settings } from '../config';
import { BootstrapUser } from './bootstrapUser';
import { createIasClients, iasApiClientProblem, type IasClients } from '../sap/ias/iasClients';
import { matchIasTenantHost } from '../sap/http/servicePins';
import { recentlyUsed } from '../memo/recentlyUsed';

export interface StepDependencies {
  secrets: SecretStore;
  registry: TenantRegistry;
  journal: StepJournal;
  connection: SapConnectionOptions;
  now(): Date;
  /**
   * The Destination service client of the key stored under `serviceKeySecret`, once the key is
   * proven to be the one of that subaccount and region (serviceKeyFit.ts): the stored key may have
   * changed since the request was accepted.
   */
  destinationService(serviceKeySecret: string, subaccountId: string, region: string): Promise<DestinationServiceClient>;
  s4(host: string, bootstrapUserSecret: string): Promise<S4Client>;
  /** The IAS tenant's clients, from the API client stored under `apiClientSecret` (JSON {clientId, clientSecret}). */
  ias(tenantHost: string, apiClientSecret: string): Promise<IasClients>;
}

// Clients by host and credential, the most recently used kept: the daily check meets every tenant once,
// and an unbounded map would hold a client per tenant for the life of the process.
const CLIENTS_KEPT = 500;
const clients = recentlyUsed<string, unknown>(CLIENTS_KEPT);

const cached = <T>(key: string, build: () => T): T => clients(key, build) as T;

/**
 * Reads each credential once per activity (a StepDependencies lives for one activity): a batch of the
 * certificate check reaches hundreds of tenants with one SAP_COM_0A48 credential. A credential stored
 * meanwhile is read by the next activity, as before.
 */
function readOncePerActivity(secrets: SecretStore): Pick<SecretStore, 'get'> {
  const reads = new Map<string, Promise<string | undefined>>();
  return {
    get(name) {
      let read = reads.get(name);
      if (!read) {
        read = secrets.get(name);
        reads.set(name, read);
        read.catch(() => reads.delete(name));
      }
      return read;
    },
  };
}

const fingerprint = (value: string) => createHash('sha256').update(value).digest('hex');

interface ParsedBootstrapUser {
  raw: string;
  user: BootstrapUser | undefined;
  fingerprint: string;
}

/**
 * Parses each SAP_COM_0A48 credential once per activity, as readOncePerActivity reads it once: a batch
 * of the certificate check builds a client for each of hundreds of tenant hosts with the same user.
 * Kept by secret name and checked against the value read, never logged.
 */
function parsedBootstrapUsers(): (name: string, raw: string) => ParsedBootstrapUser {
  const parsed = new Map<string, ParsedBootstrapUser>();
  return (name, raw) => {
    let found = parsed.get(name);
    if (found?.raw !== raw) {
      const result = BootstrapUser.safeParse(safeJson(raw));
      found = { raw, user: result.success ? result.data : undefined, fingerprint: fingerprint(raw) };
      parsed.set(name, found);
    }
    return found;
  };
}

export async function readRequiredSecret(secrets: Pick<SecretStore, 'get'>, name: string, system: string, purpose: string): Promise<string> {
  const value = await secrets.get(name);
  if (value === undefined) {
    throw new PermanentStepError({
      system,
      kind: 'MissingCredential',
      message: `the secret "${name}" (${purpose}) does not exist`,
      fix: `Store it with PUT /api/credentials/${name} (or "sap-trust credentials set ${name} --from-file <file>"), then start the onboarding again.`,
    });
  }
  return value;
}

export async function stepDependencies(): Promise<StepDependencies> {
  const { secrets, registry, connection } = runtimeServices();
  const secretReads = readOncePerActivity(secrets);
  const bootstrapUser = parsedBootstrapUsers();
  return {
    secrets,
    registry,
    journal: stepJournal(),
    connection,
    now: () => new Date(),
    async destinationService(serviceKeySecret, subaccountId, region) {
      const raw = await readRequiredSecret(secretReads, serviceKeySecret, `subaccount ${subaccountId}`, 'Destination service key');
      let serviceKey;
      try {
        serviceKey = parseDestinationServiceKey(JSON.parse(raw));
      } catch {
        throw new PermanentStepError({
          system: `subaccount ${subaccountId}`,
          kind: 'InvalidCredential',
          message: `the secret "${serviceKeySecret}" is not a Destination service key (JSON with clientid, clientsecret, url, uri)`,
          fix: `Store the service key exactly as the BTP cockpit shows it with PUT /api/credentials/${serviceKeySecret}.`,
        });
      }
      const misfit = serviceKeyMisfit(serviceKeySecret, serviceKey, { subaccountId, region });
      if (misfit) {
        throw new PermanentStepError({
          system: `subaccount ${subaccountId}`,
          kind: misfit.kind,
          message: `the credential "${serviceKeySecret}" ${misfit.problem}; nothing was sent to the hosts it names`,
          fix: `${misfit.fix} Then start the run again.`,
        });
      }
      return cached(`destination:${serviceKeySecret}:${fingerprint(raw)}`, () =>
        createDestinationServiceClient({ serviceKey, options: connection, credential: serviceKeySecret }),
      );
    },
    async s4(host, bootstrapUserSecret) {
      const pinned = matchS4ApiHost(host, connection.allowlistExtra);
      if (!pinned.ok) {
        throw new PermanentStepError({
          system: host,
          kind: 'ServiceHostNotPinned',
          message: `the SAP_COM_0A48 password is sent only to an S/4HANA Cloud API host: ${pinned.problem}`,
          fix: 'Correct s4.host to the API host of the tenant (with the -api suffix), then start the onboarding again.',
        });
      }
      const raw = await readRequiredSecret(secretReads, bootstrapUserSecret, host, 'SAP_COM_0A48 communication user');
      const { user, fingerprint: rawFingerprint } = bootstrapUser(bootstrapUserSecret, raw);
      if (!user) {
        throw new PermanentStepError({
          system: host,
          kind: 'InvalidCredential',
          message: `the secret "${bootstrapUserSecret}" is not a SAP_COM_0A48 user (JSON {"user": "...", "password": "..."})`,
          fix: `Store the user of your SAP_COM_0A48 arrangement with PUT /api/credentials/${bootstrapUserSecret}.`,
        });
      }
      return cached(`s4:${host}:${bootstrapUserSecret}:${rawFingerprint}`, () =>
        createS4Client({ apiHost: host, user: user.user, password: user.password, options: connection, credential: bootstrapUserSecret }),
      );
    },
    async ias(tenantHost, apiClientSecret) {
      const pinned = matchIasTenantHost(tenantHost.toLowerCase());
      if (!pinned.ok) {
        throw new PermanentStepError({ system: tenantHost, kind: 'ServiceHostNotPinned', message: `the IAS API client secret is sent only to an IAS tenant host: ${pinned.problem}`, fix: 'Correct ias.tenantHost, then start the run again.' });
      }
      const raw = await readRequiredSecret(secretReads, apiClientSecret, tenantHost, 'IAS API client');
      const problem = iasApiClientProblem(raw);
      if (problem) {
        throw new PermanentStepError({ system: tenantHost, kind: 'InvalidCredential', message: `the secret "${apiClientSecret}" ${problem}`, fix: `Store the API client of your IAS tenant with PUT /api/credentials/${apiClientSecret}.` });
      }
      const credentials = JSON.parse(raw) as { clientId: string; clientSecret: string };
      return cached(`ias:${tenantHost}:${apiClientSecret}:${fingerprint(raw)}`, () => createIasClients(tenantHost, credentials, connection, apiClientSecret));
    },
  };
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

let journal: StepJournal | undefined;

/** Beside the registry: a table in the same storage account (Azure, Azurite), in memory for unit tests, else under DATA_DIR. */
function stepJournal(): StepJournal {
  if (!journal) {
    const s = settings();
    journal =
      s.registryStore === 'table' && s.registryTable
        ? tableStepJournal(tableClient(s.registryTable.connection, STEP_JOURNAL_TABLE))
        : s.registryStore === 'memory'
          ? memoryStepJournal()
          : fileStepJournal(`${s.dataDir}/journal`);
  }
  return journal;
}

const STEP_JOURNAL_TABLE = 'StepJournal';
