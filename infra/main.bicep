// Entry point of `azd up` (subscription scope): one resource group with everything the app needs
// (infra/resources.bicep). Shaped after Microsoft's azd templates for Flex Consumption
// (Azure-Samples/functions-quickstart-typescript-azd, durable-functions-quickstart-typescript-azd),
// with plain resources instead of registry modules, so that the whole deployment reads in two files.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; a short unique hash of it names every resource.')
param environmentName string

@minLength(1)
@description('Region of every resource. The Flex Consumption plan is offered in these regions (2026).')
@allowed([
  'australiaeast'
  'brazilsouth'
  'canadacentral'
  'centralus'
  'eastasia'
  'eastus'
  'eastus2'
  'francecentral'
  'germanywestcentral'
  'japaneast'
  'northcentralus'
  'northeurope'
  'southeastasia'
  'swedencentral'
  'switzerlandnorth'
  'uksouth'
  'westeurope'
  'westus2'
  'westus3'
])
@metadata({ azd: { type: 'location' } })
param location string

@description('Object id of the person deploying (azd sets it): gets read access to the registry and the vault for support. Empty: none.')
param principalId string = ''

@description('Where Durable Functions keeps orchestration state: the storage account (default) or the Durable Task Scheduler.')
@allowed(['AzureStorage', 'DurableTaskScheduler'])
param durableBackend string = 'AzureStorage'

@description('SAP_HOST_ALLOWLIST_EXTRA: extra SAP host patterns, comma-separated (e.g. *.sap.corp.example). Empty: the built-in SAP patterns only.')
param sapHostAllowlistExtra string = ''

@description('DURABLE_HISTORY_RETENTION_DAYS: Durable history of ended runs older than this is purged daily (the latest run of each tenant is kept).')
param historyRetentionDays string = '30'

@description('ONBOARDING_MANUAL_STEP_DEADLINE_DAYS: how long an onboarding waits for a manual step.')
param manualStepDeadlineDays string = '7'

@description('Upper bound of Flex Consumption instances (scale-out and cost ceiling).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

var tags = { 'azd-env-name': environmentName }
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module resources 'resources.bicep' = {
  name: 'resources'
  scope: rg
  params: {
    location: location
    tags: tags
    resourceToken: resourceToken
    principalId: principalId
    durableBackend: durableBackend
    sapHostAllowlistExtra: sapHostAllowlistExtra
    historyRetentionDays: historyRetentionDays
    manualStepDeadlineDays: manualStepDeadlineDays
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = resources.outputs.functionAppName
output SERVICE_API_NAME string = resources.outputs.functionAppName
output SERVICE_API_URI string = resources.outputs.functionAppUri
output AZURE_KEY_VAULT_NAME string = resources.outputs.keyVaultName
output AZURE_STORAGE_ACCOUNT_NAME string = resources.outputs.storageAccountName
output APPLICATIONINSIGHTS_NAME string = resources.outputs.applicationInsightsName
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = resources.outputs.identityClientId
