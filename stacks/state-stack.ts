import { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { EnvironmentConfig } from '../lib/config/schema';
import { awsStateBucketName, stackName } from '../lib/naming';
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
    }
  }
}

/** Whether the environment's backend needs a state stack at all. */
export function needsStateStack(config: EnvironmentConfig): boolean {
  return config.state.backend === 's3' || config.state.backend === 'azurerm';
}
