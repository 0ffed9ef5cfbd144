import { TerraformOutput, TerraformStack } from 'cdktf';
import { EnvironmentConfig } from '../lib/config/schema';
import { azureStateKeyVaultName, azureStateResourceGroupName, azureStateStorageAccountName } from '../lib/naming';
import { getRegion } from '../lib/sovereignty/regions';
import { environmentTags } from '../lib/tags';
import { sovereignAzureProvider } from '../lib/azure/provider';
import { AzureStateStore } from '../lib/azure/state-store';

/** The state stack's content with the azurerm backend (stacks/state-stack.ts loads this module only there). */
export function buildAzureStateStore(stack: TerraformStack, config: EnvironmentConfig, containerName: string): void {
  const azure = config.azure!;
  sovereignAzureProvider(stack, { environment: config.name, region: config.region, subscriptionId: azure.subscriptionId, tenantId: azure.tenantId, tags: config.tags });
  const store = new AzureStateStore(stack, 'state-store', {
    environment: config.name,
    region: config.region,
    tenantId: azure.tenantId,
    tags: environmentTags(config.name, config.tags),
    resourceGroupName: azureStateResourceGroupName(config.name),
    storageAccountName: azureStateStorageAccountName(config),
    containerName,
    keyVaultName: azureStateKeyVaultName(config.name),
    softDeleteRetentionDays: azure.softDeleteRetentionDays,
    replication: getRegion('azure', config.region).zones.length > 1 ? 'ZRS' : 'LRS',
    // rules.ts requires it with the azurerm backend.
    runnerSubnetId: azure.deployRunnerSubnetId!,
    centralZoneIds: azure.landingZone.privateDnsZoneIds,
    deployerPrincipalId: azure.deployerPrincipalId,
    driftPrincipalId: azure.driftPrincipalId,
  });
  new TerraformOutput(stack, 'state_storage_account', { value: store.storage.account.name });
  new TerraformOutput(stack, 'state_key_id', { value: store.key.versionlessId });
}
