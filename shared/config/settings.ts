/**
 * The product's settings, read once at start from the environment (Azure app settings) and, for
 * local runs, from local.settings.json `Values` (the environment wins). Every bad setting is
 * reported at once, by name, so a misconfigured app fails at start and not in the middle of a run.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { sapConnectionOptionsFromEnv, type SapConnectionOptions } from '../sap/http/connectionOptions';
import { hasStorageSetting, tableConnectionFromEnv, type TableConnection } from '../registry/tableConnection';
import { certificateCheckSettingsFrom, type AlertSettings, type CertificateCheckSettings } from './certificateCheckSettings';
import { authenticationStringProblem } from '../telemetry/telemetryOptions';

export interface Settings {
  /** Absolute. Holds the local secret store, the registry, devhost and sandbox state. */
  dataDir: string;
  secretStore: 'file' | 'keyvault';
  /** Set when secretStore is keyvault. */
  keyVaultUrl?: string;
  /** table where the app has a storage account (AzureWebJobsStorage…), else file. */
  registryStore: 'table' | 'file' | 'memory';
  /** Set when registryStore is table. */
  registryTable?: { tableName: string; connection: TableConnection };
  /** How long an onboarding waits for a person to do a manual step before it fails. */
  manualStepDeadlineDays: number;
  /** Durable history of ended runs older than this is purged by the purgeHistory timer. */
  historyRetentionDays: number;
  /** on when APPLICATIONINSIGHTS_CONNECTION_STRING is set. */
  telemetry: 'on' | 'off';
  paths: { secrets: string; registry: string };
  sap: SapConnectionOptions;
  /** The daily certificate check (certificateCheckSettings.ts). */
  certificateCheck: CertificateCheckSettings;
  alerts: AlertSettings;
}

export type Env = Record<string, string | undefined>;

export interface SettingProblem {
  setting: string;
  message: string;
}

export class SettingsError extends Error {
  constructor(readonly problems: SettingProblem[]) {
    super(`Invalid settings (fix them in the app settings or local.settings.json):\n${problems.map((p) => `  - ${p.setting}: ${p.message}`).join('\n')}`);
    this.name = 'SettingsError';
  }
}

const blankIsUnset = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v);

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const ProductEnv = z
  .object({
    DATA_DIR: z.preprocess(blankIsUnset, z.string().default('.data')),
    SECRET_STORE: z.preprocess(blankIsUnset, z.enum(['file', 'keyvault'], { error: 'must be "file" or "keyvault"' }).default('file')),
    KEY_VAULT_URL: z.preprocess(
      blankIsUnset,
      z.url({ protocol: /^https$/, error: 'must be the https URL of the vault, e.g. https://my-vault.vault.azure.net' }).optional(),
    ),
    REGISTRY_STORE: z.preprocess(blankIsUnset, z.enum(['table', 'file', 'memory'], { error: 'must be "table", "file" or "memory"' }).optional()),
    REGISTRY_TABLE_NAME: z.preprocess(
      blankIsUnset,
      z
        .string()
        .regex(/^[A-Za-z][A-Za-z0-9]{2,62}$/, 'must be a table name: 3 to 63 letters and digits, starting with a letter')
        .default('TenantRegistry'),
    ),
    ONBOARDING_MANUAL_STEP_DEADLINE_DAYS: z.preprocess(
      blankIsUnset,
      // Fractions are allowed (0.5 = 12 hours); the floor of one second keeps a typo from failing runs at once.
      z.coerce
        .number({ error: 'must be a number of days, e.g. 7 or 0.5' })
        .min(1 / 86_400, 'must be at least one second (0.0000116 days)')
        .max(365, 'must be at most 365')
        .default(7),
    ),
    DURABLE_HISTORY_RETENTION_DAYS: z.preprocess(
      blankIsUnset,
      z.coerce
        .number({ error: 'must be a number of days, e.g. 30' })
        .min(1 / 86_400, 'must be at least one second (0.0000116 days)')
        .max(3650, 'must be at most 3650')
        .default(30),
    ),
    APPLICATIONINSIGHTS_CONNECTION_STRING: z.preprocess(
      blankIsUnset,
      z
        .string()
        .regex(/(^|;)\s*(InstrumentationKey|IngestionEndpoint)\s*=/i, 'must be the Application Insights connection string (InstrumentationKey=…;IngestionEndpoint=…)')
        .optional(),
    ),
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: z.preprocess(
      blankIsUnset,
      z
        .string()
        .optional()
        .superRefine((v, ctx) => {
          const problem = authenticationStringProblem(v);
          if (problem) ctx.addIssue({ code: 'custom', message: problem });
        }),
    ),
    /** The user-assigned managed identity DefaultAzureCredential uses for Key Vault (and the table registry without __clientId). */
    AZURE_CLIENT_ID: z.preprocess(blankIsUnset, z.string().regex(GUID, 'must be the client id (a GUID) of the app\'s user-assigned managed identity').optional()),
    /** Set by Azure App Service / Functions on every instance: the app runs in Azure. */
    WEBSITE_INSTANCE_ID: z.preprocess(blankIsUnset, z.string().optional()),
  })
  .superRefine((s, ctx) => {
    if (s.SECRET_STORE === 'keyvault' && !s.KEY_VAULT_URL) {
      ctx.addIssue({ code: 'custom', path: ['KEY_VAULT_URL'], message: 'is required when SECRET_STORE=keyvault' });
    }
    // In Azure the app's files are a read-only package: a file store would fail at its first write.
    if (s.WEBSITE_INSTANCE_ID !== undefined) {
      if (s.SECRET_STORE === 'file') {
        ctx.addIssue({ code: 'custom', path: ['SECRET_STORE'], message: 'is "file", but in Azure the app\'s files are read-only: set SECRET_STORE=keyvault and KEY_VAULT_URL' });
      }
    }
  });

const LocalSettingsFile = z.object({ Values: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional() });

export interface LoadSettingsOptions {
  /** Where local.settings.json is looked for and relative paths start. Default: process.cwd(). */
  cwd?: string;
  /** Default `<cwd>/local.settings.json`; `false` to ignore it. */
  localSettingsFile?: string | false;
}

export function loadSettings(env: Env = process.env, options: LoadSettingsOptions = {}): Settings {
  const cwd = options.cwd ?? process.cwd();
  const problems: SettingProblem[] = [];
  const merged: Env = { ...readLocalSettings(options.localSettingsFile ?? path.join(cwd, 'local.settings.json'), problems), ...definedOnly(env) };

  const product = ProductEnv.safeParse(merged);
  if (!product.success) {
    for (const issue of product.error.issues) problems.push({ setting: String(issue.path[0] ?? 'settings'), message: issue.message });
  }

  let sap: SapConnectionOptions = {};
  try {
    sap = sapConnectionOptionsFromEnv(resolvePaths(merged, cwd));
  } catch (e) {
    problems.push(...sapProblems((e as Error).message));
  }

  const registryStore = merged.REGISTRY_STORE?.trim() || (hasStorageSetting(merged) ? 'table' : 'file');
  const table = registryStore === 'table' ? tableConnectionFromEnv(merged) : undefined;
  problems.push(...(table?.problems ?? []));
  // In Azure the app's files are a read-only package: a file registry would fail at its first write.
  if (blankIsUnset(merged.WEBSITE_INSTANCE_ID) !== undefined && registryStore === 'file') {
    problems.push({
      setting: 'REGISTRY_STORE',
      message: `is "file"${merged.REGISTRY_STORE?.trim() ? '' : ' (no storage account is set)'}, but in Azure the app's files are read-only: set AzureWebJobsStorage (or AzureWebJobsStorage__accountName) so the registry is a table in the function app's storage account, or REGISTRY_STORE=table`,
    });
  }
  const { certificateCheck, alerts } = certificateCheckSettingsFrom(merged, problems);

  if (!product.success || problems.length > 0) throw new SettingsError(problems);
  const s = product.data;
  const dataDir = path.resolve(cwd, s.DATA_DIR);
  return {
    dataDir,
    secretStore: s.SECRET_STORE,
    ...(s.KEY_VAULT_URL ? { keyVaultUrl: s.KEY_VAULT_URL } : {}),
    registryStore: s.REGISTRY_STORE ?? (table ? 'table' : 'file'),
    ...(table?.connection ? { registryTable: { tableName: s.REGISTRY_TABLE_NAME, connection: table.connection } } : {}),
    manualStepDeadlineDays: s.ONBOARDING_MANUAL_STEP_DEADLINE_DAYS,
    historyRetentionDays: s.DURABLE_HISTORY_RETENTION_DAYS,
    telemetry: s.APPLICATIONINSIGHTS_CONNECTION_STRING ? 'on' : 'off',
    paths: { secrets: path.join(dataDir, 'secrets'), registry: path.join(dataDir, 'registry') },
    sap,
    certificateCheck,
    alerts,
  };
}

let cached: Settings | undefined;

/** The process's settings, loaded on first use. */
export function settings(): Settings {
  return (cached ??= loadSettings());
}

/** For tests and for devhost restarts with a different environment. */
export function resetSettingsCache(): void {
  cached = undefined;
}

/** The `Values` of a local.settings.json as they are (empty when the file is missing or unreadable); loadSettings reports its problems. */
export function localSettingsValues(file: string): Env {
  return readLocalSettings(file, []);
}

function readLocalSettings(file: string | false, problems: SettingProblem[]): Env {
  if (file === false) return {};
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    problems.push({ setting: 'local.settings.json', message: `${file} is not valid JSON` });
    return {};
  }
  const parsed = LocalSettingsFile.safeParse(json);
  if (!parsed.success) {
    problems.push({ setting: 'local.settings.json', message: `${file}: "Values" must map setting names to strings` });
    return {};
  }
  return Object.fromEntries(Object.entries(parsed.data.Values ?? {}).map(([k, v]) => [k, String(v)]));
}

function definedOnly(env: Env): Env {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined));
}

/** SAP_EXTRA_CA_FILE may be relative to the app directory, like DATA_DIR. */
function resolvePaths(env: Env, cwd: string): Env {
  const ca = env.SAP_EXTRA_CA_FILE?.trim();
  return ca ? { ...env, SAP_EXTRA_CA_FILE: path.resolve(cwd, ca) } : env;
}

/** shared/sap/http reports `invalid SAP connection settings: NAME: message; NAME: message`. */
function sapProblems(message: string): SettingProblem[] {
  const body = message.replace(/^invalid SAP connection settings:\s*/, '');
  return body.split(/;\s+(?=SAP_[A-Z_]+:)/).map((part) => {
    const m = /^(SAP_[A-Z_]+):\s*(.*)$/s.exec(part);
    return m ? { setting: m[1], message: m[2] } : { setting: 'SAP connection', message: part };
  });
}
