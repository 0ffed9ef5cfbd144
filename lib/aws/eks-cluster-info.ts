import { Construct } from 'constructs';
import { Fn, ITerraformDependable, TerraformStack } from 'cdktf';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association';
import { DataAwsEcrAuthorizationToken } from '@cdktf/provider-aws/lib/data-aws-ecr-authorization-token';
import { ChartMirrorLogin, ClusterInfo, LlmModelRef, SECRET_STORE_CONTROLLER_ID, WorkloadIdentityBinding, WorkloadIdentityRequest } from '../cluster/cluster-info';
import { accountRoot, iamRoleArn } from './key-policy';
import { componentTags } from '../tags';
import { hostAddress, parseCidr } from '../config/cidr';
import { poolPlacements } from '../cluster/pools';
import { EksPlatform } from './eks-platform';
import { LOAD_BALANCER_CONTROLLER_STATEMENTS, nodeAutoscalerStatements } from './controller-policies';
import { sovereignAwsProvider, SovereignAwsProviderProps } from './provider';
import { bedrockProfileGeography } from '../sovereignty/llm-routing';

export interface EksClusterInfoProps {
  readonly provider: SovereignAwsProviderProps;
  readonly gpuFamily: string;
  readonly imageMirror: string;
  readonly chartMirror: string;
  /** Zones the node pools span: ClusterInfo.zoneCount (at least 1). */
  readonly zoneCount: number;
}

/**
 * The EKS Pod Identity agent: a hostNetwork DaemonSet answering on these link-local addresses on every node
 * (the SDKs use the IPv4 one, `AWS_CONTAINER_CREDENTIALS_FULL_URI` = http://169.254.170.23/v1/credentials, and
 * the IPv6 one `[fd00:ec2::23]` in IPv6 clusters).
 */
export const POD_IDENTITY_AGENT = { cidrs: ['169.254.170.23/32', 'fd00:ec2::23/128'], port: 80 } as const;

/**
 * cluster-autoscaler's expander. `least-waste` picks the node group that leaves the least idle CPU/memory
 * after the pending pods land: with one instance type per pool the choice only matters between pools a pod
 * fits (general vs. GPU for a toleration-less pod never happens: the GPU pool is tainted), and between the
 * per-zone groups of a pool it ties and balance-similar-node-groups spreads. `priority` would need a
 * ConfigMap kept in step with the pools; `random` wastes GPU nodes.
 */
export const AUTOSCALER_EXPANDER = 'least-waste';

/** The EKS side of the ClusterInfo seam: Pod Identity for workload identity, Secrets Manager, EBS, S3. */
export class EksClusterInfo implements ClusterInfo {
  readonly clusterName: string;
  readonly region: string;
  readonly zoneCount: number;
  readonly access: ClusterInfo['access'];
  readonly storageClass: ClusterInfo['storageClass'];
  readonly pools: ClusterInfo['pools'];
  readonly imageMirror: string;
  readonly chartMirror: string;
  readonly platformRegistry: string;
  readonly secretStore: ClusterInfo['secretStore'];
  readonly objectStorage: ClusterInfo['objectStorage'];
  readonly internalLoadBalancerAnnotations: ClusterInfo['internalLoadBalancerAnnotations'];
  readonly apiServerCidrs: ClusterInfo['apiServerCidrs'];
  readonly llmProvider = 'bedrock' as const;
  readonly networkPolicyFlavour: ClusterInfo['networkPolicyFlavour'] = 'kubernetes';
  readonly cloudApiCidrs: ClusterInfo['cloudApiCidrs'];
  readonly nodeCidrs: ClusterInfo['nodeCidrs'];
  readonly workloadIdentityAgent: ClusterInfo['workloadIdentityAgent'] = POD_IDENTITY_AGENT;
  readonly addOns: ClusterInfo['addOns'];

  constructor(
    private readonly platform: EksPlatform,
    private readonly props: EksClusterInfoProps,
  ) {
    const cluster = platform.cluster.cluster;
    this.clusterName = cluster.name;
    this.region = props.provider.region;
    this.zoneCount = props.zoneCount;
    this.access = {
      host: cluster.endpoint,
      clusterCaCertificate: Fn.base64decode(cluster.certificateAuthority.get(0).data),
      exec: {
        apiVersion: 'client.authentication.k8s.io/v1beta1',
        command: 'aws',
        args: ['eks', 'get-token', '--cluster-name', cluster.name, '--region', props.provider.region, '--output', 'json'],
      },
    };
    this.storageClass = {
      provisioner: 'ebs.csi.aws.com',
      parameters: { type: 'gp3', encrypted: 'true', kmsKeyId: platform.keys.ebs.arn },
    };
    // The EKS NVIDIA AMI ships the driver.
    this.pools = poolPlacements(props.gpuFamily, true);
    this.imageMirror = props.imageMirror;
    this.chartMirror = props.chartMirror;
    this.platformRegistry = platform.repository.repository.repositoryUrl;
    this.secretStore = {
      kind: 'aws-secrets-manager',
      // Pod Identity supplies credentials through the default chain: no auth block, no static keys.
      provider: { aws: { service: 'SecretsManager', region: props.provider.region } },
      separator: '/',
      // external-secrets' v1alpha1 PushSecretMetadata (AWS Secrets Manager provider): applied when it creates
      // the secret; without it the secret would use the AWS-managed aws/secretsmanager key.
      pushSecretMetadata: {
        apiVersion: 'kubernetes.external-secrets.io/v1alpha1',
        kind: 'PushSecretMetadata',
        spec: { kmsKeyID: platform.keys['secrets-manager'].arn },
      },
    };
    const bucket = platform.bucket.bucket.bucket;
    const region = props.provider.region;
    this.objectStorage = {
      bucket,
      endpoint: region,
      kind: 's3',
      cliImage: 'aws-cli',
      location: (prefix) => `s3://${bucket}/${prefix}`,
      // Every component's S3 client takes Pod Identity credentials: no account-key store.
      accountKeyStores: {},
      // Pod Identity injects the credentials endpoint into every container (init containers too); the
      // region is explicit because Pod Identity does not set AWS_REGION. The gateway endpoint carries S3.
      downloadPrefix: (prefix, directory) => ({
        image: 'aws-cli',
        command: ['aws', 's3', 'cp', '--recursive', '--only-show-errors', '--region', region, `s3://${bucket}/${prefix}`, `${directory}/${prefix}`],
        env: { HOME: '/tmp' },
      }),
    };
    // The AWS Load Balancer Controller (addOns below) serves Services annotated `external`; the legacy
    // in-tree controller then leaves them alone. An internal NLB whose targets are the pod IPs (no NodePort
    // hop, client addresses preserved into the ingress controller's NetworkPolicy).
    this.internalLoadBalancerAnnotations = {
      'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
      'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
      'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal',
    };
    // The private API endpoint's ENIs sit in the cluster's subnets inside the VPC. The VPC CNI's policy
    // agent filters a pod's packets before kube-proxy translates the `kubernetes` Service address, so that
    // address (the first of the Service CIDR) is allowed too, on the same port only.
    this.apiServerCidrs = [platform.network.vpc.cidrBlock, `${hostAddress(parseCidr(platform.serviceCidr)!, 1)}/32`];
    this.nodeCidrs = platform.network.nodeSubnets.map((subnet) => subnet.cidrBlock);
    // Interface endpoints (STS, EC2, ELB, Auto Scaling, Secrets Manager, ...) live in the endpoint subnets.
    this.cloudApiCidrs = platform.network.endpointSubnets.map((subnet) => subnet.cidrBlock);
    this.addOns = {
      managedMetricsServer: false,
      kubeProxy: true,
      clusterAutoscaler: {
        values: {
          cloudProvider: 'aws',
          awsRegion: props.provider.region,
          // Finds the node groups by the tags EKS puts on their Auto Scaling groups
          // (k8s.io/cluster-autoscaler/enabled, k8s.io/cluster-autoscaler/<cluster>).
          autoDiscovery: { clusterName: cluster.name },
          extraArgs: {
            // No IAM/pricing endpoint in the VPC: instance shapes come from the list compiled into the binary.
            'aws-use-static-instance-list': true,
            // A pool with zonal volumes has one node group per zone: keep them the same size.
            'balance-similar-node-groups': true,
            'balancing-ignore-label_1': 'eks.amazonaws.com/sourceLaunchTemplateId',
            'balancing-ignore-label_2': 'eks.amazonaws.com/sourceLaunchTemplateVersion',
            'balancing-ignore-label_3': 'eks.amazonaws.com/nodegroup-image',
            expander: AUTOSCALER_EXPANDER,
            // emptyDir is scratch space here (no pod keeps state in it): do not pin nodes for it.
            'skip-nodes-with-local-storage': false,
          },
        },
      },
      loadBalancerController: {
        values: {
          clusterName: cluster.name,
          // Set explicitly: pods cannot reach the instance metadata service (hop limit 1).
          region: props.provider.region,
          vpcId: platform.network.vpc.id,
          enableShield: false,
          enableWaf: false,
          enableWafv2: false,
        },
      },
    };
  }

  /** The addons, workloads and tenant stacks create IAM roles and Pod Identity associations: they need the provider too. */
  addCloudProvider(stack: TerraformStack): void {
    sovereignAwsProvider(stack, this.props.provider);
  }

  /**
   * ECR has no static credentials: a 12-hour token of the runner's identity (deploy role), read at every
   * plan by aws_ecr_authorization_token for the registry that holds the chart mirror.
   */
  chartMirrorLogin(scope: Construct): ChartMirrorLogin {
    const host = this.chartMirror.replace(/^oci:\/\//, '').split('/')[0];
    const token = new DataAwsEcrAuthorizationToken(scope, 'chart-mirror-token', { registryId: host.split('.')[0] });
    return { url: `oci://${host}`, username: token.userName, password: token.password };
  }

  bindWorkloadIdentity(scope: Construct, request: WorkloadIdentityRequest): WorkloadIdentityBinding {
    const { accountId, region, environment } = this.props.provider;
    const identity = new Construct(scope, `identity-${request.id}`);
    const trust: object[] = [{ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }];
    if (request.secretStoreIdentity) {
      // The SecretStore's `role`: external-secrets assumes this role from its own Pod Identity session.
      // The account as principal, narrowed to the controller's role ARN by condition, rather than the role
      // as principal: IAM would pin the controller role's unique id (a recreated controller role would
      // silently lose access) and refuse the policy while that role does not exist yet. TagSession: Pod
      // Identity session tags are transitive, so a chained AssumeRole carries them.
      trust.push({
        Effect: 'Allow',
        Principal: { AWS: accountRoot(accountId) },
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        Condition: { ArnEquals: { 'aws:PrincipalArn': iamRoleArn(accountId, `${environment}-${SECRET_STORE_CONTROLLER_ID}`) } },
      });
    }
    const role = new IamRole(identity, 'role', {
      name: `${environment}-${request.id}`,
      assumeRolePolicy: JSON.stringify({ Version: '2012-10-17', Statement: trust }),
      tags: componentTags(request.id),
    });
    const statements: object[] = [];
    if (request.readSecretPrefixes?.length) {
      statements.push(
        {
          Effect: 'Allow',
          Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
          Resource: request.readSecretPrefixes.map((prefix) => `arn:aws:secretsmanager:${region}:${accountId}:secret:${prefix}*`),
        },
        { Effect: 'Allow', Action: 'kms:Decrypt', Resource: this.platform.keys['secrets-manager'].arn },
      );
    }
    if (request.writeSecretPrefixes?.length) {
      // What an external-secrets PushSecret does: create the secret (tagged `managed-by`), put new values,
      // and delete it again when the PushSecret goes (`deletionPolicy: Delete`). Only under the prefixes:
      // the ARN carries the name (plus a random suffix), so `<prefix>*` scopes every action. No
      // UpdateSecret/RestoreSecret/policy actions: a pushed secret's settings never change after creation.
      statements.push(
        {
          Effect: 'Allow',
          Action: ['secretsmanager:CreateSecret', 'secretsmanager:PutSecretValue', 'secretsmanager:DescribeSecret', 'secretsmanager:TagResource', 'secretsmanager:DeleteSecret'],
          Resource: request.writeSecretPrefixes.map((prefix) => `arn:aws:secretsmanager:${region}:${accountId}:secret:${prefix}*`),
        },
        {
          Effect: 'Allow',
          Action: ['kms:GenerateDataKey', 'kms:Encrypt'],
          Resource: this.platform.keys['secrets-manager'].arn,
          Condition: { StringEquals: { 'kms:ViaService': `secretsmanager.${region}.amazonaws.com` } },
        },
      );
    }
    if (request.objectStoragePrefix !== undefined) {
      const bucketArn = this.platform.bucket.bucket.arn;
      statements.push(
        { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: `${bucketArn}/${request.objectStoragePrefix}*` },
        { Effect: 'Allow', Action: 's3:ListBucket', Resource: bucketArn, Condition: { StringLike: { 's3:prefix': `${request.objectStoragePrefix}*` } } },
        { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: this.platform.keys.s3.arn },
      );
      if (request.objectStorageBucketCheck) {
        // HeadBucket carries no s3:prefix: only a request without one matches (a listing of another prefix does not).
        statements.push({ Effect: 'Allow', Action: 's3:ListBucket', Resource: bucketArn, Condition: { Null: { 's3:prefix': 'true' } } });
      }
    }
    if (request.readObjectPrefixes?.length) {
      const bucketArn = this.platform.bucket.bucket.arn;
      statements.push(
        { Effect: 'Allow', Action: 's3:GetObject', Resource: request.readObjectPrefixes.map((prefix) => `${bucketArn}/${prefix}*`) },
        { Effect: 'Allow', Action: 's3:ListBucket', Resource: bucketArn, Condition: { StringLike: { 's3:prefix': request.readObjectPrefixes.map((prefix) => `${prefix}*`) } } },
        {
          Effect: 'Allow',
          Action: 'kms:Decrypt',
          Resource: this.platform.keys.s3.arn,
          Condition: { StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` } },
        },
      );
    }
    const bedrockModels = (request.invokeModels ?? []).filter((model) => model.provider === this.llmProvider);
    if (bedrockModels.length > 0) {
      statements.push({
        Effect: 'Allow',
        Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
        Resource: bedrockModels.flatMap((model) => bedrockModelArns(model, accountId)),
      });
    }
    if (request.actAsIdentities?.length) {
      // By name pattern, not by reference: the roles live in the tenant stacks' own states, created later.
      statements.push({
        Effect: 'Allow',
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        Resource: request.actAsIdentities.map((id) => iamRoleArn(accountId, `${environment}-${id}`)),
      });
    }
    if (request.cloudControl === 'node-autoscaler') {
      statements.push(...nodeAutoscalerStatements(this.clusterName));
    }
    if (request.cloudControl === 'load-balancer-controller') {
      statements.push(...LOAD_BALANCER_CONTROLLER_STATEMENTS);
    }
    const resources: ITerraformDependable[] = [];
    if (statements.length > 0) {
      resources.push(new IamRolePolicy(identity, 'policy', { role: role.id, name: request.id, policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }) }));
    }
    const association = new EksPodIdentityAssociation(identity, 'association', {
      clusterName: this.clusterName,
      namespace: request.namespace,
      serviceAccount: request.serviceAccount,
      roleArn: role.arn,
      tags: componentTags(request.id),
    });
    // Pod Identity needs nothing on the ServiceAccount or the pod.
    return {
      serviceAccountAnnotations: {},
      podLabels: {},
      resources: [...resources, association],
      ...(request.secretStoreIdentity ? { secretStoreProvider: { aws: { ...(this.secretStore.provider.aws as object), role: role.arn } } } : {}),
    };
  }
}

/**
 * What invoking one Bedrock model needs: the in-region foundation model; for a cross-region inference
 * profile (allowed only with a cross-region agreement) the profile in the calling region plus the
 * foundation model in every region the profile may route to.
 */
export function bedrockModelArns(model: LlmModelRef, accountId: string): string[] {
  const geography = bedrockProfileGeography(model.model);
  if (geography === undefined) {
    return [`arn:aws:bedrock:${model.region}::foundation-model/${model.model}`];
  }
  const foundation = model.model.slice(geography.length + 1);
  return [`arn:aws:bedrock:${model.region}:${accountId}:inference-profile/${model.model}`, `arn:aws:bedrock:*::foundation-model/${foundation}`];
}
