import { Construct } from 'constructs';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { componentTags } from '../tags';

export interface SecureBucketProps {
  readonly bucketName: string;
  readonly kmsKeyArn: string;
  readonly component: string;
  /**
   * Days a superseded (noncurrent) object version is kept before S3 deletes it. Default
   * {@link DEFAULT_NONCURRENT_VERSION_RETENTION_DAYS}: a year of history, long enough to roll Terraform
   * state or a backup back past an annual audit cycle, short enough that versions do not pile up forever.
   */
  readonly noncurrentVersionRetentionDays?: number;
  /** Deny every request that does not come through this VPC endpoint, except from these principals. */
  readonly onlyThroughEndpoint?: BucketEndpointConfinement;
}

export interface BucketEndpointConfinement {
  readonly vpcEndpointId: string;
  /**
   * Roles (ARNs) exempt from the confinement: the deploy role, so Terraform, which runs outside the VPC,
   * can still read and change the bucket's configuration on every plan. It gains nothing by the exception
   * (it may rewrite this policy anyway); without it the first apply would lock Terraform out of its own
   * bucket and only the account root (always allowed to delete a bucket policy) could undo it.
   */
  readonly exceptPrincipalArns: readonly string[];
}

/** Noncurrent versions are kept a year by default (the state bucket's history is its recovery path). */
export const DEFAULT_NONCURRENT_VERSION_RETENTION_DAYS = 365;
/** Parts of an upload that never completed are billed and invisible: S3 drops them after a week. */
export const ABORT_INCOMPLETE_MULTIPART_UPLOAD_DAYS = 7;

/**
 * An S3 bucket that stays private and in-region: SSE-KMS with our CMK (bucket keys on), versioning,
 * every public-access block on, ACLs disabled, TLS-only, optionally reachable only through one VPC
 * endpoint (onlyThroughEndpoint), and deliberately no replication configuration.
 * A lifecycle rule expires noncurrent versions after a long retention (365 days by default; current
 * objects are never expired) and aborts incomplete multipart uploads after a week.
 */
export class SecureBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly lifecycle: S3BucketLifecycleConfiguration;

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    this.bucket = new S3Bucket(this, 'bucket', {
      bucket: props.bucketName,
      // Data-bearing: destroying the stack must not silently delete backups or state.
      forceDestroy: false,
      tags: componentTags(props.component, props.bucketName),
    });
    const versioning = new S3BucketVersioningA(this, 'versioning', {
      bucket: this.bucket.id,
      versioningConfiguration: { status: 'Enabled' },
    });
    this.lifecycle = new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket: this.bucket.id,
      rule: [
        {
          id: 'expire-noncurrent-versions-and-incomplete-uploads',
          status: 'Enabled',
          // An empty filter: the rule applies to every object in the bucket.
          filter: [{}],
          // Current objects never expire: only versions a newer write or a delete has superseded.
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionRetentionDays ?? DEFAULT_NONCURRENT_VERSION_RETENTION_DAYS }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: ABORT_INCOMPLETE_MULTIPART_UPLOAD_DAYS }],
        },
      ],
      // Versioning first, as the provider documents: noncurrent-version rules only mean something on a versioned bucket.
      dependsOn: [versioning],
    });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket: this.bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.kmsKeyArn }, bucketKeyEnabled: true }],
    });
    const publicAccess = new S3BucketPublicAccessBlock(this, 'public-access', {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'ownership', {
      bucket: this.bucket.id,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
    });
    const everything = [this.bucket.arn, `${this.bucket.arn}/*`];
    const statements: object[] = [
      { Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: everything, Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
    ];
    if (props.onlyThroughEndpoint) {
      statements.push({
        Sid: 'DenyAccessNotThroughTheVpcEndpoint',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: everything,
        Condition: {
          StringNotEquals: { 'aws:SourceVpce': props.onlyThroughEndpoint.vpcEndpointId },
          ArnNotEquals: { 'aws:PrincipalArn': [...props.onlyThroughEndpoint.exceptPrincipalArns] },
        },
      });
    }
    // The construct id predates the endpoint statement; ids are API, so it stays.
    new S3BucketPolicy(this, 'tls-only', {
      bucket: this.bucket.id,
      policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
      // S3 rejects bucket policies while the public access block is being written.
      dependsOn: [publicAccess],
    });
  }
}
