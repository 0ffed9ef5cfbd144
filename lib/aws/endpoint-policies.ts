/**
 * VPC endpoint policies: what may travel through the VPC's endpoints. Without one an endpoint carries any
 * request, so a pod holding any AWS credentials (its own or another account's) could write to another
 * account's bucket, secret or repository in the region. With these:
 * - every endpoint serves principals of this account only (`aws:PrincipalAccount`);
 * - the data-bearing services (S3, ECR, Secrets Manager, KMS, Logs, STS) reach this account's resources
 *   only (`aws:ResourceAccount`; `IfExists` because actions without a resource, such as
 *   ecr:GetAuthorizationToken or sts:GetCallerIdentity, carry no resource account);
 * - with the named exceptions the cluster cannot run without: image pulls from the region's EKS add-on
 *   registry and the image mirror's account (read-only ECR actions), ECR layer downloads and AL2023/SSM
 *   packages from AWS-owned buckets through the S3 gateway (`s3:GetObject` only; ECR hands the node a
 *   presigned URL signed by ECR itself, and the package repositories are read anonymously, so those
 *   requests carry no principal of ours).
 */

type Statement = Record<string, unknown>;
export interface EndpointPolicy {
  readonly Version: '2012-10-17';
  readonly Statement: readonly Statement[];
}

export interface EndpointPolicyContext {
  readonly accountId: string;
  readonly region: string;
  /** Accounts whose ECR registries the nodes pull from besides this one (EKS add-ons, the image mirror). */
  readonly imagePullAccounts: readonly string[];
}

/** Services whose endpoint also confines the resource to this account. */
export const RESOURCE_PERIMETER_SERVICES = ['s3', 'ecr.api', 'ecr.dkr', 'secretsmanager', 'kms', 'logs', 'sts'] as const;

/**
 * Read-only ECR actions a node needs to pull an image from another account's registry (the pull set of
 * AmazonEC2ContainerRegistryReadOnly; ecr:GetAuthorizationToken has no resource and passes the own-account
 * statement).
 */
const ECR_PULL_ACTIONS = ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'];

/** AWS-owned buckets read through the S3 gateway: ECR image layers, AL2023 packages, the SSM agent. */
export function awsOwnedBucketObjects(region: string): string[] {
  return [`prod-${region}-starport-layer-bucket`, `al2023-repos-${region}-de612dc2`, `amazon-ssm-${region}`, `aws-ssm-${region}`].map(
    (bucket) => `arn:aws:s3:::${bucket}/*`,
  );
}

const allow = (sid: string, action: string | string[], resource: string | string[], condition?: Record<string, unknown>): Statement => ({
  Sid: sid,
  Effect: 'Allow',
  Principal: '*',
  Action: action,
  Resource: resource,
  ...(condition === undefined ? {} : { Condition: condition }),
});

/** The policy of the endpoint of `service` (`s3`, `ecr.dkr`, `ec2`, ...). */
export function endpointPolicy(service: string, context: EndpointPolicyContext): EndpointPolicy {
  const ownPrincipal = { StringEquals: { 'aws:PrincipalAccount': context.accountId } };
  if (!(RESOURCE_PERIMETER_SERVICES as readonly string[]).includes(service)) {
    // Control-plane APIs (EC2, EKS, ELB, SSM, ...) and Bedrock, whose models are AWS-owned: principals only.
    return { Version: '2012-10-17', Statement: [allow('OwnAccountPrincipals', '*', '*', ownPrincipal)] };
  }
  const statements: Statement[] = [
    allow('OwnAccountPrincipalsToOwnAccountResources', '*', '*', {
      StringEquals: { 'aws:PrincipalAccount': context.accountId },
      StringEqualsIfExists: { 'aws:ResourceAccount': context.accountId },
    }),
  ];
  const pullAccounts = [...new Set(context.imagePullAccounts)].filter((account) => account !== context.accountId).sort();
  if (service.startsWith('ecr.') && pullAccounts.length > 0) {
    statements.push(
      allow('OwnAccountPrincipalsPullFromNamedRegistries', ECR_PULL_ACTIONS, '*', {
        StringEquals: { 'aws:PrincipalAccount': context.accountId, 'aws:ResourceAccount': pullAccounts },
      }),
    );
  }
  if (service === 's3') {
    statements.push(allow('AwsOwnedBucketsReadOnly', 's3:GetObject', awsOwnedBucketObjects(context.region)));
  }
  return { Version: '2012-10-17', Statement: statements };
}

/** The account of an ECR registry host (`<account>.dkr.ecr.<region>.amazonaws.com[/path]`), or undefined for another registry. */
export function ecrRegistryAccount(reference: string): string | undefined {
  return /^(?:oci:\/\/)?(\d{12})\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(?:\/|$)/.exec(reference)?.[1];
}
