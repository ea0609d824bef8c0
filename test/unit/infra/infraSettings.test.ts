/**
 * Issue 12, "Done when": the infra/settings test. Keeps infra/ and the code in step: every app setting
 * infra/resources.bicep sets is one the product knows (shared/config/knownSettings.ts), the settings it
 * sets pass the product's own settings check as it runs in Azure, the identity is wired through every
 * setting that names it, and every Azure role the code relies on (shared/config/azureRoles.ts) is
 * assigned to the app's identity on the resource the code uses.
 *
 * The Bicep compiler cannot be installed here (it downloads a binary), so these tests read the Bicep
 * files as text (test/support/bicepText.ts); nothing here proves that Azure accepts the templates.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { loadSettings } from '../../../shared/config/settings';
import { isKnownSetting, PLATFORM_SETTINGS, PRODUCT_SETTING_NAMES } from '../../../shared/config/knownSettings';
import { AZURE_ROLE_NEEDS } from '../../../shared/config/azureRoles';
import { evaluate, objectVar, paramDefaults, property, resources } from '../../support/bicepText';

const ROOT = path.resolve(__dirname, '../../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const resourcesBicep = read('infra/resources.bicep');
const mainBicep = read('infra/main.bicep');
const appSettings = objectVar(resourcesBicep, 'appSettings');
const schedulerSettings = objectVar(resourcesBicep, 'schedulerSettings');
const blocks = resources(resourcesBicep);
const block = (symbol: string) => {
  const found = blocks.find((b) => b.symbol === symbol);
  if (!found) throw new Error(`resource ${symbol} not in infra/resources.bicep`);
  return found;
};

const IDENTITY_CLIENT_ID = '6f1c2a9e-3b7d-4e55-9a61-2c8d0e4f7a13';
/** What Azure puts where the Bicep has an expression, in the form Azure gives it. */
const AZURE_VALUES: Record<string, string> = {
  'identity.properties.clientId': IDENTITY_CLIENT_ID,
  'storage.properties.primaryEndpoints.blob': 'https://stabc123.blob.core.windows.net/',
  'storage.properties.primaryEndpoints.queue': 'https://stabc123.queue.core.windows.net/',
  'storage.properties.primaryEndpoints.table': 'https://stabc123.table.core.windows.net/',
  'applicationInsights.properties.ConnectionString':
    'InstrumentationKey=0b7e6a52-0a4c-4b8e-9f4e-1f0c1d2e3f40;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/;LiveEndpoint=https://westeurope.livediagnostics.monitor.azure.com/',
  'keyVault.properties.vaultUri': 'https://kv-abc123.vault.azure.net/',
  'scheduler.properties.endpoint': 'https://dts-abc123.westeurope.durabletask.io',
  taskHubName: 'SapTrustOnboarding',
};
/** A parameter gets the default main.bicep gives it. */
const mainDefaults = paramDefaults(mainBicep);
function azureValue(expression: string): string {
  if (expression in AZURE_VALUES) return AZURE_VALUES[expression];
  const fallback = mainDefaults[expression];
  if (fallback !== undefined) return fallback.replace(/^'|'$/g, '');
  throw new Error(`no sample value for the Bicep expression ${expression}: add it to AZURE_VALUES`);
}
const deployed = Object.fromEntries(Object.entries(appSettings).map(([k, v]) => [k, evaluate(v, azureValue)]));

describe('infra/ and the settings schema', () => {
  it('sets no setting the product does not know', () => {
    const unknown = [...Object.keys(appSettings), ...Object.keys(schedulerSettings)].filter((name) => !isKnownSetting(name));
    expect(unknown).toEqual([]);
  });

  it('sets settings that pass the product\'s check as it runs in Azure: Key Vault, the table registry, telemetry', () => {
    const s = loadSettings({ ...deployed, WEBSITE_INSTANCE_ID: 'a1b2c3' }, { cwd: ROOT, localSettingsFile: false });
    expect(s.secretStore).toBe('keyvault');
    expect(s.keyVaultUrl).toBe(AZURE_VALUES['keyVault.properties.vaultUri']);
    expect(s.registryStore).toBe('table');
    expect(s.registryTable).toEqual({
      tableName: 'TenantRegistry',
      connection: { kind: 'identity', tableServiceUri: 'https://stabc123.table.core.windows.net', managedIdentityClientId: IDENTITY_CLIENT_ID },
    });
    expect(s.telemetry).toBe('on');
    expect(s.historyRetentionDays).toBe(30);
    expect(s.manualStepDeadlineDays).toBe(7);
  });

  it('sets every setting the product cannot start without in Azure', () => {
    // Each setting whose removal the settings check refuses: the check itself says what is required.
    const required = Object.keys(deployed).filter((name) => {
      const { [name]: _removed, ...rest } = deployed;
      try {
        loadSettings({ ...rest, WEBSITE_INSTANCE_ID: 'a1b2c3' }, { cwd: ROOT, localSettingsFile: false });
        return false;
      } catch {
        return true;
      }
    });
    expect(required).toEqual(expect.arrayContaining(['SECRET_STORE', 'KEY_VAULT_URL', 'AzureWebJobsStorage__tableServiceUri']));
  });

  it('names the user-assigned identity everywhere a credential must pick it: AZURE_CLIENT_ID, storage, Application Insights', () => {
    expect(appSettings.AZURE_CLIENT_ID).toBe('identity.properties.clientId');
    expect(appSettings.AzureWebJobsStorage__clientId).toBe('identity.properties.clientId');
    expect(appSettings.AzureWebJobsStorage__credential).toBe("'managedidentity'");
    expect(deployed.APPLICATIONINSIGHTS_AUTHENTICATION_STRING).toBe(`Authorization=AAD;ClientId=${IDENTITY_CLIENT_ID}`);
    expect(evaluate(schedulerSettings.DURABLE_TASK_SCHEDULER_CONNECTION_STRING, azureValue)).toContain(`Authentication=ManagedIdentity;ClientID=${IDENTITY_CLIENT_ID}`);
  });

  it('knows each setting it lists for a reason: the product reads it, or the platform does', () => {
    for (const name of Object.keys(PLATFORM_SETTINGS)) expect(PRODUCT_SETTING_NAMES).not.toContain(name);
    expect(PRODUCT_SETTING_NAMES).toEqual(expect.arrayContaining(['SECRET_STORE', 'KEY_VAULT_URL', 'DURABLE_HISTORY_RETENTION_DAYS', 'APPLICATIONINSIGHTS_CONNECTION_STRING', 'AZURE_CLIENT_ID', 'SAP_HOST_ALLOWLIST_EXTRA']));
  });
});

describe('infra/ and the Azure roles the code relies on', () => {
  const SCOPE_SYMBOL = { keyVault: 'keyVault', storage: 'storage', applicationInsights: 'applicationInsights', durableTaskScheduler: 'scheduler' } as const;
  const assignments = blocks.filter((b) => b.type === 'Microsoft.Authorization/roleAssignments');

  it.each(AZURE_ROLE_NEEDS.map((need) => [need.role, need] as const))('assigns %s to the app\'s identity on the resource the code uses', (_role, need) => {
    const found = assignments.filter(
      (a) =>
        property(a.body, 'roleDefinitionId')?.includes(need.roleDefinitionId) &&
        property(a.body, 'principalId') === 'identity.properties.principalId' &&
        property(a.body, 'scope') === SCOPE_SYMBOL[need.scope],
    );
    expect(found.map((a) => a.symbol)).toHaveLength(1);
    // Needed always, except the scheduler's role, which exists with the scheduler only.
    expect(found[0].condition).toBe(need.when === 'durableTaskScheduler' ? 'useScheduler' : undefined);
  });

  it('assigns the app\'s identity no role the code does not declare', () => {
    const declared = new Set(AZURE_ROLE_NEEDS.map((n) => n.roleDefinitionId));
    const extra = assignments
      .filter((a) => property(a.body, 'principalId') === 'identity.properties.principalId')
      .map((a) => /'([0-9a-f-]{36})'\)/.exec(property(a.body, 'roleDefinitionId') ?? '')?.[1])
      .filter((id) => !id || !declared.has(id));
    expect(extra).toEqual([]);
  });

  it('writes the app settings only after the identity holds its roles', () => {
    const dependsOn = /dependsOn:\s*\[([^\]]*)\]/.exec(block('functionAppSettings').body)?.[1] ?? '';
    const always = assignments.filter((a) => !a.condition && property(a.body, 'principalId') === 'identity.properties.principalId').map((a) => a.symbol);
    for (const symbol of always) expect(dependsOn).toContain(symbol);
  });
});

describe('infra/ resources', () => {
  it('turns key-based access off everywhere: storage without shared keys, Key Vault with RBAC, Application Insights with Entra only', () => {
    expect(property(block('storage').body, 'allowSharedKeyAccess')).toBe('false');
    expect(property(block('keyVault').body, 'enableRbacAuthorization')).toBe('true');
    expect(property(block('applicationInsights').body, 'DisableLocalAuth')).toBe('true');
    expect(property(block('applicationInsights').body, 'WorkspaceResourceId')).toBe('logAnalytics.id');
  });

  it('runs the app on the Flex Consumption plan with Node 22, the version package.json asks for', () => {
    expect(block('plan').body).toMatch(/name:\s*'FC1',\s*tier:\s*'FlexConsumption'/);
    const runtime = /runtime:\s*\{\s*name:\s*'node'\s*version:\s*'(\d+)'/.exec(block('functionApp').body.replace(/\n\s*/g, ' '));
    expect(runtime?.[1]).toBe('22');
    const engines = JSON.parse(read('package.json')).engines.node as string;
    expect(engines).toBe('>=22');
    expect(block('functionApp').body).toContain("type: 'UserAssigned'");
  });

  it('keeps the Durable backend on Azure Storage, with the Durable Task Scheduler as a parameter', () => {
    expect(mainDefaults.durableBackend).toBe("'AzureStorage'");
    expect(block('scheduler').condition).toBe('useScheduler');
    const hostJson = JSON.parse(read('host.json'));
    expect(hostJson.extensions.durableTask.hubName).toBe(AZURE_VALUES.taskHubName);
    expect(resourcesBicep).toContain(`var taskHubName = '${AZURE_VALUES.taskHubName}'`);
  });

  it('gives azd every parameter main.bicep needs, and azure.yaml deploys the packaged app as a function', () => {
    const parameters = JSON.parse(read('infra/main.parameters.json')).parameters as Record<string, unknown>;
    const withoutDefault = Object.entries(mainDefaults).filter(([, d]) => d === undefined).map(([name]) => name);
    for (const name of withoutDefault) expect(Object.keys(parameters)).toContain(name);
    for (const name of Object.keys(parameters)) expect(Object.keys(mainDefaults)).toContain(name);
    const azure = YAML.parse(read('azure.yaml'));
    expect(azure.services.api).toMatchObject({ host: 'function', remoteBuild: false, dist: '.deploy/app' });
    expect(azure.services.api.hooks.prepackage.run).toContain('package:app');
    expect(JSON.parse(read('package.json')).scripts['package:app']).toContain('scripts/packageApp.js');
  });
});
