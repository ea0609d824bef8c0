// Everything the app needs, in one resource group. Nothing here uses a key or a password: the app
// reaches storage, Key Vault and Application Insights with its user-assigned managed identity, and
// each of those has local (key-based) authentication switched off.
// test/unit/infra/infraSettings.test.ts reads this file as text (the Bicep compiler cannot be installed
// in the project's CI): keep `var appSettings`, the role assignments and the resource symbols as they are.

param location string
param tags object
param resourceToken string
param principalId string
@allowed(['AzureStorage', 'DurableTaskScheduler'])
param durableBackend string
param sapHostAllowlistExtra string
param historyRetentionDays string
param manualStepDeadlineDays string
param maximumInstanceCount int
param instanceMemoryMB int

var functionAppName = 'func-sap-trust-${resourceToken}'
var deploymentContainerName = 'app-package-${take(resourceToken, 8)}'
var useScheduler = durableBackend == 'DurableTaskScheduler'
var taskHubName = 'SapTrustOnboarding'

// ── Identity ────────────────────────────────────────────────────────────────────────────────────
resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-sap-trust-${resourceToken}'
  location: location
  tags: tags
}

// ── Storage: host, Durable task hub (Azure Storage backend), tenant registry, deployment package ──
resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'st${resourceToken}'
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: { defaultAction: 'Allow', bypass: 'AzureServices' }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: { publicAccess: 'None' }
}

// ── Key Vault: the SAP credentials and generated passwords (RBAC, no access policies) ────────────
resource keyVault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv-${resourceToken}'
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    publicNetworkAccess: 'Enabled'
  }
}

// ── Monitoring: Log Analytics + Application Insights with Entra authentication only ───────────────
resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-${resourceToken}'
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
  }
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${resourceToken}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalytics.id
    DisableLocalAuth: true
  }
}

// ── Durable Task Scheduler (only with durableBackend = DurableTaskScheduler) ──────────────────────
resource scheduler 'Microsoft.DurableTask/schedulers@2026-02-01' = if (useScheduler) {
  name: 'dts-${resourceToken}'
  location: location
  tags: tags
  properties: {
    ipAllowlist: ['0.0.0.0/0']
    sku: { name: 'Consumption' }
  }
}

resource schedulerTaskHub 'Microsoft.DurableTask/schedulers/taskHubs@2026-02-01' = if (useScheduler) {
  parent: scheduler
  name: taskHubName
}

// ── Function App: Flex Consumption, Node 22 ─────────────────────────────────────────────────────
resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-${resourceToken}'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { name: 'FC1', tier: 'FlexConsumption' }
  properties: { reserved: true }
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: functionAppName
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'node'
        version: '22'
      }
    }
  }
}

// The product's settings (shared/config/knownSettings.ts names every one). Secrets: none; every
// connection is identity-based.
var appSettings = {
  // Storage with the managed identity (shared-key access is off): host, Durable task hub, registry.
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identity.properties.clientId
  AzureWebJobsStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
  AzureWebJobsStorage__queueServiceUri: storage.properties.primaryEndpoints.queue
  AzureWebJobsStorage__tableServiceUri: storage.properties.primaryEndpoints.table
  // DefaultAzureCredential (Key Vault) picks the user-assigned identity by this client id.
  AZURE_CLIENT_ID: identity.properties.clientId
  // Telemetry: Application Insights with Entra authentication (local authentication is off).
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD;ClientId=${identity.properties.clientId}'
  // The product.
  SECRET_STORE: 'keyvault'
  KEY_VAULT_URL: keyVault.properties.vaultUri
  REGISTRY_STORE: 'table'
  REGISTRY_TABLE_NAME: 'TenantRegistry'
  SAP_HOST_ALLOWLIST_EXTRA: sapHostAllowlistExtra
  SAP_HTTP_TIMEOUT_MS: '30000'
  ONBOARDING_MANUAL_STEP_DEADLINE_DAYS: manualStepDeadlineDays
  DURABLE_HISTORY_RETENTION_DAYS: historyRetentionDays
}

// With the Durable Task Scheduler, host.json's storage provider is overridden by app settings.
var schedulerSettings = useScheduler
  ? {
      DURABLE_TASK_SCHEDULER_CONNECTION_STRING: 'Endpoint=${scheduler.properties.endpoint};Authentication=ManagedIdentity;ClientID=${identity.properties.clientId}'
      AzureFunctionsJobHost__extensions__durableTask__storageProvider__type: 'azureManaged'
      AzureFunctionsJobHost__extensions__durableTask__storageProvider__connectionStringName: 'DURABLE_TASK_SCHEDULER_CONNECTION_STRING'
      AzureFunctionsJobHost__extensions__durableTask__hubName: taskHubName
    }
  : {}

resource functionAppSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: functionApp
  name: 'appsettings'
  properties: union(appSettings, schedulerSettings)
  // The host starts with these settings: its identity must already hold its roles.
  dependsOn: [
    storageBlobDataOwner
    storageQueueDataContributor
    storageTableDataContributor
    keyVaultSecretsOfficer
    monitoringMetricsPublisher
  ]
}

// ── Role assignments of the app's identity (shared/config/azureRoles.ts says which code needs each) ──
resource storageBlobDataOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b')
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b')
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource storageQueueDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, '974c5e8b-45b9-4653-ba55-5f855dd0fb88')
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '974c5e8b-45b9-4653-ba55-5f855dd0fb88')
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource storageTableDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3')
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3')
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource keyVaultSecretsOfficer 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(keyVault.id, identity.id, 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7')
  scope: keyVault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7')
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource monitoringMetricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, identity.id, '3913510d-42f4-4e42-8a64-420c390055eb')
  scope: applicationInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '3913510d-42f4-4e42-8a64-420c390055eb')
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource durableTaskDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (useScheduler) {
  name: guid(scheduler.id, identity.id, '0ad04412-c4d5-4796-b79c-f76d14c8d402')
  scope: scheduler
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '0ad04412-c4d5-4796-b79c-f76d14c8d402')
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// ── The deploying person (optional): read the registry in Storage Explorer, see the task hub in the
// scheduler dashboard, query telemetry. No access to secret values.
resource deployerTableReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(principalId)) {
  name: guid(storage.id, principalId, '76199698-9eea-4c19-bc75-cec21354c6b6')
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '76199698-9eea-4c19-bc75-cec21354c6b6') // Storage Table Data Reader
    principalId: principalId
    principalType: 'User'
  }
}

resource deployerSchedulerDashboard 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (useScheduler && !empty(principalId)) {
  name: guid(scheduler.id, principalId, '0ad04412-c4d5-4796-b79c-f76d14c8d402')
  scope: scheduler
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '0ad04412-c4d5-4796-b79c-f76d14c8d402') // Durable Task Data Contributor
    principalId: principalId
    principalType: 'User'
  }
}

output functionAppName string = functionApp.name
output functionAppUri string = 'https://${functionApp.properties.defaultHostName}'
output keyVaultName string = keyVault.name
output storageAccountName string = storage.name
output applicationInsightsName string = applicationInsights.name
output identityClientId string = identity.properties.clientId
