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
 * Where the state stack keeps its state before it has been migrated, relative to its working directory
 * `<synth-dir>/stacks/<stack>/`: `<synth-dir>/../state/<env>/`, i.e. `state/<env>/` beside the synth
 * directory (for the default `cdktf.out`, `state/<env>/` in the checkout, git-ignored). It must not live
 * inside the synth directory: every synth replaces that directory, and a retry after a partial first apply
 * would lose the state of the key and bucket already created. The path is relative so the synthesized
 * JSON does not depend on where the checkout lives.
 */
export function bootstrapStatePath(environment: string, stack: string): string {
  return `../../../state/${environment}/${stack}.tfstate`;
}

/**
 * The state stack creates the bucket/container the other stacks keep their state in, so it cannot keep
 * its own state there on the first apply: it starts with a local state outside the synth directory
 * (`bootstrapStatePath`) and, once migrated (`state.bootstrapMigrated: true`, see docs/rollout.md), uses
 * its own key in the store it created, like every other stack.
 */
export function configureBootstrapBackend(stack: TerraformStack, config: EnvironmentConfig, name: string): void {
  const state = config.state;
  if (state.backend === 'local' || state.backend === 'hcp' || state.bootstrapMigrated) {
    configureBackend(stack, config, name);
    return;
  }
  new LocalBackend(stack, { path: bootstrapStatePath(config.name, name) });
}
