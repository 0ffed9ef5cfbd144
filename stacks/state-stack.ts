import { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { EnvironmentConfig } from '../lib/config/schema';
import { awsStateBucketName, azureStateKeyVaultName, azureStateResourceGroupName, azureStateStorageAccountName, stackName } from '../lib/naming';
import { getRegion } from '../lib/sovereignty/regions';
import { environmentTags } from '../lib/tags';
import { sovereignAzureProvider } from '../lib/azure/provider';
import { AzureStateStore } from '../lib/azure/state-store';
import { sovereignAwsProvider } from '../lib/aws/provider';
import { AwsStateStore } from '../lib/aws/state-store';
import { configureBootstrapBackend } from './backend';

/**
 * `<env>-state`: the encrypted, private store that holds every other stack's state. Applied once per
 * environment, before anything else. With a `local` or `hcp` backend there is nothing to create, and
 * the stack is not synthesized.
 */
export class StateStack extends TerraformStack {
  constructor(scope: Construct, config: EnvironmentConfig) {
    const name = stackName(config.name, 'state');
    super(scope, name);
    configureBootstrapBackend(this, config, name);
    if (config.cloud === 'aws') {
      const aws = config.aws!;
      sovereignAwsProvider(this, { environment: config.name, region: config.region, accountId: aws.accountId, tags: config.tags });
      const store = new AwsStateStore(this, 'state-store', {
        environment: config.name,
        region: config.region,
        accountId: aws.accountId,
        keyAdminRoleArns: aws.keyAdminRoleArns,
        bucketName: awsStateBucketName(config),
      });
      new TerraformOutput(this, 'state_bucket', { value: store.bucket.bucket.bucket });
      new TerraformOutput(this, 'state_key_arn', { value: store.key.arn });
    } else if (config.state.backend === 'azurerm') {
      const azure = config.azure!;
      sovereignAzureProvider(this, { environment: config.name, region: config.region, subscriptionId: azure.subscriptionId, tenantId: azure.tenantId, tags: config.tags });
      const store = new AzureStateStore(this, 'state-store', {
        environment: config.name,
        region: config.region,
        tenantId: azure.tenantId,
        tags: environmentTags(config.name, config.tags),
        resourceGroupName: azureStateResourceGroupName(config.name),
        storageAccountName: azureStateStorageAccountName(config),
        containerName: config.state.containerName,
        keyVaultName: azureStateKeyVaultName(config.name),
        softDeleteRetentionDays: azure.softDeleteRetentionDays,
        replication: getRegion('azure', config.region).zones.length > 1 ? 'ZRS' : 'LRS',
        // rules.ts requires it with the azurerm backend.
        runnerSubnetId: azure.deployRunnerSubnetId!,
        centralZoneIds: azure.landingZone.privateDnsZoneIds,
        deployerPrincipalId: azure.deployerPrincipalId,
        driftPrincipalId: azure.driftPrincipalId,
      });
      new TerraformOutput(this, 'state_storage_account', { value: store.storage.account.name });
      new TerraformOutput(this, 'state_key_id', { value: store.key.versionlessId });
    }
  }
}

/** Whether the environment's backend needs a state stack at all. */
export function needsStateStack(config: EnvironmentConfig): boolean {
  return config.state.backend === 's3' || config.state.backend === 'azurerm';
}
