/**
 * KMS key policies as plain data. Every key names the account root (so IAM policies can delegate and
 * the key can never be orphaned) and the stable key-admin roles from the environment file; never
 * "whoever runs terraform", which changes between laptops and CI and makes the policy diff forever.
 */

export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow' | 'Deny';
  Principal: { AWS: string | string[] } | { Service: string };
  Action: string | string[];
  Resource: string;
  Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

export interface KeyPolicyContext {
  readonly accountId: string;
  readonly region: string;
  readonly keyAdminRoleArns: readonly string[];
}

const KEY_ADMIN_ACTIONS = [
  'kms:Create*',
  'kms:Describe*',
  'kms:Enable*',
  'kms:List*',
  'kms:Put*',
  'kms:Update*',
  'kms:Revoke*',
  'kms:Disable*',
  'kms:Get*',
  'kms:Delete*',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
  'kms:RotateKeyOnDemand',
];

const KEY_USE_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'];

export const accountRoot = (accountId: string) => `arn:aws:iam::${accountId}:root`;
/** A role of this account by name (`*` allowed, for a naming pattern). */
export const iamRoleArn = (accountId: string, name: string) => `arn:aws:iam::${accountId}:role/${name}`;

export function autoScalingServiceLinkedRole(accountId: string): string {
  return `arn:aws:iam::${accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
}

function baseStatements(context: KeyPolicyContext): PolicyStatement[] {
  return [
    { Sid: 'AccountRootDelegatesToIam', Effect: 'Allow', Principal: { AWS: accountRoot(context.accountId) }, Action: 'kms:*', Resource: '*' },
    { Sid: 'KeyAdministrators', Effect: 'Allow', Principal: { AWS: [...context.keyAdminRoleArns] }, Action: KEY_ADMIN_ACTIONS, Resource: '*' },
  ];
}

/** Lets IAM principals of this account use the key only through one AWS service in this region. */
function viaServiceStatement(sid: string, context: KeyPolicyContext, service: string): PolicyStatement {
  return {
    Sid: sid,
    Effect: 'Allow',
    Principal: { AWS: accountRoot(context.accountId) },
    Action: [...KEY_USE_ACTIONS, 'kms:CreateGrant'],
    Resource: '*',
    Condition: {
      StringEquals: { 'kms:ViaService': `${service}.${context.region}.amazonaws.com`, 'kms:CallerAccount': context.accountId },
    },
  };
}

export type KeyPurpose = 'eks-secrets' | 'ebs' | 's3' | 'ecr' | 'logs' | 'secrets-manager' | 'tfstate';

export function keyPolicy(purpose: KeyPurpose, context: KeyPolicyContext): PolicyDocument {
  const statements = baseStatements(context);
  switch (purpose) {
    case 'ebs':
      statements.push(
        viaServiceStatement('EbsThroughEc2', context, 'ec2'),
        // Managed node groups launch through Auto Scaling: without these two statements encrypted
        // root volumes fail with Client.InternalError and nodes never join.
        {
          Sid: 'AutoScalingServiceLinkedRoleUse',
          Effect: 'Allow',
          Principal: { AWS: autoScalingServiceLinkedRole(context.accountId) },
          Action: KEY_USE_ACTIONS,
          Resource: '*',
        },
        {
          Sid: 'AutoScalingServiceLinkedRoleGrants',
          Effect: 'Allow',
          Principal: { AWS: autoScalingServiceLinkedRole(context.accountId) },
          Action: 'kms:CreateGrant',
          Resource: '*',
          Condition: { Bool: { 'kms:GrantIsForAWSResource': true } },
        },
      );
      break;
    case 'logs':
      statements.push({
        Sid: 'CloudWatchLogsInRegion',
        Effect: 'Allow',
        Principal: { Service: `logs.${context.region}.amazonaws.com` },
        Action: KEY_USE_ACTIONS,
        Resource: '*',
        Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:${context.region}:${context.accountId}:log-group:*` } },
      });
      break;
    case 's3':
    case 'tfstate':
      statements.push(viaServiceStatement('S3InRegion', context, 's3'));
      break;
    case 'ecr':
      statements.push(viaServiceStatement('EcrInRegion', context, 'ecr'));
      break;
    case 'secrets-manager':
      statements.push(viaServiceStatement('SecretsManagerInRegion', context, 'secretsmanager'));
      break;
    case 'eks-secrets':
      // The cluster role gets kms:Encrypt/Decrypt through its own IAM policy (delegated by the root statement).
      break;
  }
  return { Version: '2012-10-17', Statement: statements };
}
