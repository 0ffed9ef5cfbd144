import { AzurermBackend, CloudBackend, LocalBackend, NamedCloudWorkspace, S3Backend, TerraformStack } from 'cdktf';
import { EnvironmentConfig } from '../lib/config/schema';
import { awsStateBucketName, awsStateKeyAlias, azureStateResourceGroupName, azureStateStorageAccountName } from '../lib/naming';

/**
 * Gives `stack` its own state: its own key in the environment's state bucket/container, or its own HCP
 * Terraform / Terraform Enterprise workspace. One state per stack is what lets tenant A be planned and
 * applied without ever touching tenant B.
 */
export function configureBackend(stack: TerraformStack, config: EnvironmentConfig, name: string): void {
  const state = config.state;
  switch (state.backend) {
    case 's3': {
      new S3Backend(stack, {
        bucket: awsStateBucketName(config),
        key: `${config.name}/${name}.tfstate`,
        region: config.region,
        encrypt: true,
        kmsKeyId: `arn:aws:kms:${config.region}:${config.aws!.accountId}:${awsStateKeyAlias(config.name)}`,
      });
      // S3-native locking (Terraform >= 1.10); the cdktf 0.21 binding predates the option.
      stack.addOverride('terraform.backend.s3.use_lockfile', true);
      return;
    }
    case 'azurerm':
      new AzurermBackend(stack, {
        resourceGroupName: azureStateResourceGroupName(config.name),
        storageAccountName: azureStateStorageAccountName(config),
        containerName: state.containerName,
        key: `${config.name}/${name}.tfstate`,
        subscriptionId: config.azure!.subscriptionId,
        tenantId: config.azure!.tenantId,
        // Shared keys are disabled on the state account: Entra ID only.
        useAzureadAuth: true,
      });
      return;
    case 'local':
      new LocalBackend(stack, { path: `${state.directory}/${name}.tfstate` });
      return;
    case 'hcp':
      new CloudBackend(stack, {
        hostname: state.hostname,
        organization: state.organization,
        workspaces: new NamedCloudWorkspace(`${state.workspacePrefix ?? config.name}-${name}`),
      });
      return;
  }
}

/**
 * The state stack creates the bucket/container the other stacks keep their state in, so it cannot keep
 * its own state there on the first apply: it starts with a local state (relative path, so the output
 * does not depend on the checkout's location) and is migrated afterwards (see docs/rollout.md).
 */
export function configureBootstrapBackend(stack: TerraformStack, config: EnvironmentConfig, name: string): void {
  if (config.state.backend === 'local' || config.state.backend === 'hcp') {
    configureBackend(stack, config, name);
    return;
  }
  new LocalBackend(stack, { path: `terraform-state/${name}.tfstate` });
}
