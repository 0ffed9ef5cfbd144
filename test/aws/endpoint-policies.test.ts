import { resolve } from 'path';
import { awsOwnedBucketObjects, ecrRegistryAccount, endpointPolicy, RESOURCE_PERIMETER_SERVICES } from '../../lib/aws/endpoint-policies';
import { synthExample, resourcesOf } from '../helpers';

const ACCOUNT = '111122223333';
const CONTEXT = { accountId: ACCOUNT, region: 'me-central-1', imagePullAccounts: ['759879836304', '444455556666', ACCOUNT] };

describe('endpointPolicy', () => {
  test.each(RESOURCE_PERIMETER_SERVICES)('%s: own principals to own resources (resource account where the action has one)', (service) => {
    const [first] = endpointPolicy(service, CONTEXT).Statement;
    expect(first).toEqual({
      Sid: 'OwnAccountPrincipalsToOwnAccountResources',
      Effect: 'Allow',
      Principal: '*',
      Action: '*',
      Resource: '*',
      Condition: { StringEquals: { 'aws:PrincipalAccount': ACCOUNT }, StringEqualsIfExists: { 'aws:ResourceAccount': ACCOUNT } },
    });
  });

  test('ECR: pulls (read-only actions) from the EKS add-on registry and the mirror account, nothing else from them', () => {
    for (const service of ['ecr.api', 'ecr.dkr']) {
      const statements = endpointPolicy(service, CONTEXT).Statement;
      expect(statements).toHaveLength(2);
      expect(statements[1]).toEqual({
        Sid: 'OwnAccountPrincipalsPullFromNamedRegistries',
        Effect: 'Allow',
        Principal: '*',
        Action: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
        Resource: '*',
        Condition: { StringEquals: { 'aws:PrincipalAccount': ACCOUNT, 'aws:ResourceAccount': ['444455556666', '759879836304'] } },
      });
    }
    expect(endpointPolicy('ecr.dkr', { ...CONTEXT, imagePullAccounts: [ACCOUNT] }).Statement).toHaveLength(1);
  });

  test('S3 gateway: GetObject only on the AWS-owned ECR layer, AL2023 and SSM buckets of the region', () => {
    const statements = endpointPolicy('s3', CONTEXT).Statement;
    expect(statements).toHaveLength(2);
    expect(statements[1]).toEqual({ Sid: 'AwsOwnedBucketsReadOnly', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: awsOwnedBucketObjects('me-central-1') });
    expect(awsOwnedBucketObjects('me-central-1')).toContain('arn:aws:s3:::prod-me-central-1-starport-layer-bucket/*');
    expect(awsOwnedBucketObjects('me-central-1')).toContain('arn:aws:s3:::al2023-repos-me-central-1-de612dc2/*');
  });

  test('control-plane services and Bedrock: this account principals only', () => {
    for (const service of ['ec2', 'eks', 'eks-auth', 'elasticloadbalancing', 'bedrock-runtime']) {
      expect(endpointPolicy(service, CONTEXT).Statement).toEqual([
        { Sid: 'OwnAccountPrincipals', Effect: 'Allow', Principal: '*', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalAccount': ACCOUNT } } },
      ]);
    }
  });

  test('ecrRegistryAccount reads the account of an ECR host, nothing for other registries', () => {
    expect(ecrRegistryAccount('444455556666.dkr.ecr.me-central-1.amazonaws.com/mirror')).toBe('444455556666');
    expect(ecrRegistryAccount('oci://444455556666.dkr.ecr.me-central-1.amazonaws.com/charts')).toBe('444455556666');
    expect(ecrRegistryAccount('registry.example.ae/mirror')).toBeUndefined();
  });
});

describe('AWS example: every VPC endpoint has a policy; the platform bucket admits the S3 endpoint and the deploy role only', () => {
  let platform: any;
  beforeAll(() => {
    platform = synthExample(resolve(__dirname, '../../examples/gcc-uae-aws.yaml')).stacks['uae-prod-aws-platform'];
  });

  test('every endpoint carries a policy limited to this account', () => {
    const endpoints = resourcesOf(platform, 'aws_vpc_endpoint');
    expect(endpoints.length).toBeGreaterThan(10);
    for (const [, endpoint] of endpoints) {
      const policy = JSON.parse(endpoint.policy);
      for (const statement of policy.Statement) {
        expect(statement.Effect).toBe('Allow');
        // Any statement without this account as principal is a read of named AWS-owned objects.
        if (statement.Condition?.StringEquals?.['aws:PrincipalAccount'] !== ACCOUNT) {
          expect(endpoint.service_name).toBe('com.amazonaws.me-central-1.s3');
          expect(statement.Action).toBe('s3:GetObject');
        }
      }
    }
    const ecr = endpoints.find(([, endpoint]) => endpoint.service_name.endsWith('.ecr.dkr'))![1];
    expect(JSON.stringify(JSON.parse(ecr.policy).Statement[1].Condition)).toContain('759879836304');
  });

  test('platform bucket policy: deny anything not through the S3 gateway endpoint, except the deploy role', () => {
    const [[, policy]] = resourcesOf(platform, 'aws_s3_bucket_policy');
    const deny = JSON.parse(policy.policy).Statement.find((s: any) => s.Sid === 'DenyAccessNotThroughTheVpcEndpoint');
    const [[s3EndpointName]] = resourcesOf(platform, 'aws_vpc_endpoint').filter(([, endpoint]) => endpoint.service_name.endsWith('.s3'));
    expect(deny).toMatchObject({ Effect: 'Deny', Principal: '*', Action: 's3:*' });
    expect(deny.Condition).toEqual({
      StringNotEquals: { 'aws:SourceVpce': `\${aws_vpc_endpoint.${s3EndpointName}.id}` },
      ArnNotEquals: { 'aws:PrincipalArn': ['arn:aws:iam::111122223333:role/platform-deployer'] },
    });
  });
});
