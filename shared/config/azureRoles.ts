/**
 * The Azure roles the app's managed identity needs, and the code that needs each. infra/ assigns every
 * one of them (test/unit/infra/infraSettings.test.ts checks it). Role ids are Azure's built-in ones.
 */
export interface AzureRoleNeed {
  role: string;
  roleDefinitionId: string;
  /** The resource it is assigned on, as infra/ names its Bicep symbol. */
  scope: 'keyVault' | 'storage' | 'applicationInsights' | 'durableTaskScheduler';
  why: string;
  /** Only with the Durable Task Scheduler backend. */
  when?: 'durableTaskScheduler';
}

export const AZURE_ROLE_NEEDS: readonly AzureRoleNeed[] = [
  {
    role: 'Key Vault Secrets Officer',
    roleDefinitionId: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7',
    scope: 'keyVault',
    why: 'shared/secrets/keyVaultSecretStore.ts reads and writes secrets (credentials, generated passwords) and their tags',
  },
  {
    role: 'Storage Table Data Contributor',
    roleDefinitionId: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
    scope: 'storage',
    why: 'shared/registry/tableTenantRegistry.ts (the tenant registry) and the Durable task hub history and instances tables',
  },
  {
    role: 'Storage Blob Data Owner',
    roleDefinitionId: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
    scope: 'storage',
    why: 'the Functions host (leases, timer schedules), the Durable task hub leases, the Flex Consumption deployment package',
  },
  {
    role: 'Storage Queue Data Contributor',
    roleDefinitionId: '974c5e8b-45b9-4653-ba55-5f855dd0fb88',
    scope: 'storage',
    why: 'the Durable task hub control and work-item queues (Azure Storage backend)',
  },
  {
    role: 'Monitoring Metrics Publisher',
    roleDefinitionId: '3913510d-42f4-4e42-8a64-420c390055eb',
    scope: 'applicationInsights',
    why: 'shared/telemetry/azureMonitor.ts and the host send telemetry with Entra authentication (local authentication is off)',
  },
  {
    role: 'Durable Task Data Contributor',
    roleDefinitionId: '0ad04412-c4d5-4796-b79c-f76d14c8d402',
    scope: 'durableTaskScheduler',
    why: 'the Durable extension with the Durable Task Scheduler backend',
    when: 'durableTaskScheduler',
  },
];
