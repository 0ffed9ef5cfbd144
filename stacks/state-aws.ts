import { TerraformOutput, TerraformStack } from 'cdktf';
import { EnvironmentConfig } from '../lib/config/schema';
import { awsStateBucketName } from '../lib/naming';
import { sovereignAwsProvider } from '../lib/aws/provider';
import { AwsStateStore } from '../lib/aws/state-store';

/** The state stack's content on AWS (stacks/state-stack.ts loads this module only there). */
export function buildAwsStateStore(stack: TerraformStack, config: EnvironmentConfig): void {
  const aws = config.aws!;
  sovereignAwsProvider(stack, { environment: config.name, region: config.region, accountId: aws.accountId, tags: config.tags });
  const store = new AwsStateStore(stack, 'state-store', {
    environment: config.name,
    region: config.region,
    accountId: aws.accountId,
    keyAdminRoleArns: aws.keyAdminRoleArns,
    bucketName: awsStateBucketName(config),
  });
  new TerraformOutput(stack, 'state_bucket', { value: store.bucket.bucket.bucket });
  new TerraformOutput(stack, 'state_key_arn', { value: store.key.arn });
}
