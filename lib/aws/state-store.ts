import { Construct } from 'constructs';
import { CustomerManagedKey } from './customer-managed-key';
import { DEFAULT_NONCURRENT_VERSION_RETENTION_DAYS, SecureBucket } from './secure-bucket';

export interface AwsStateStoreProps {
  readonly environment: string;
  readonly region: string;
  readonly accountId: string;
  readonly keyAdminRoleArns: readonly string[];
  readonly bucketName: string;
}

/**
 * Where every other stack of the environment keeps its Terraform state: a private, versioned S3 bucket
 * encrypted with its own CMK. Locking is S3-native (a lock object next to the state), so there is no
 * DynamoDB table to secure.
 */
export class AwsStateStore extends Construct {
  readonly key: CustomerManagedKey;
  readonly bucket: SecureBucket;

  constructor(scope: Construct, id: string, props: AwsStateStoreProps) {
    super(scope, id);
    this.key = new CustomerManagedKey(this, 'key', {
      environment: props.environment,
      purpose: 'tfstate',
      region: props.region,
      accountId: props.accountId,
      keyAdminRoleArns: props.keyAdminRoleArns,
    });
    this.bucket = new SecureBucket(this, 'bucket', {
      bucketName: props.bucketName,
      kmsKeyArn: this.key.arn,
      component: 'terraform-state',
      // State history is the recovery path after a bad apply: every superseded state version is kept a
      // full year (the lifecycle rule never touches the current state object).
      noncurrentVersionRetentionDays: DEFAULT_NONCURRENT_VERSION_RETENTION_DAYS,
    });
  }
}
