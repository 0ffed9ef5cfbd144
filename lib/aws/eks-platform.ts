import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { EksAddonName } from '../versions';
import { GPU_FAMILY_LABEL, GPU_PRESENT_LABEL, GPU_TAINT } from '../sovereignty/gpu';
import { eksAddonRegistryAccount, GATEWAY_ENDPOINT_SERVICES } from '../sovereignty/endpoints';
import { CustomerManagedKey } from './customer-managed-key';
import { KeyPurpose } from './key-policy';
import { PrivateNetwork } from './network';
import { PrivateEksCluster } from './eks-cluster';
import { ManagedNodePool } from './node-pool';
import { POOL_LABEL, SYSTEM_POOL_TAINT } from '../cluster/pools';
import { ServiceRole } from './iam';
import { PrivateRepository } from './container-registry';
import { SecureBucket } from './secure-bucket';

export interface PoolSize {
  readonly instanceType: string;
  readonly min: number;
  readonly max: number;
  readonly diskSizeGb: number;
}

export interface EksPlatformProps {
  readonly environment: string;
  readonly region: string;
  readonly accountId: string;
  readonly zones: readonly string[];
  readonly vpcCidr: string;
  readonly serviceCidr: string;
  readonly interfaceEndpointServices: readonly string[];
  /** Accounts of the ECR registries the nodes pull from besides this one and EKS's (the image mirror's). */
  readonly imagePullAccounts: readonly string[];
  readonly kubernetesVersion: string;
  readonly addonVersions: Readonly<Record<EksAddonName, string>>;
  readonly clusterAdminRoleArns: readonly string[];
  /** The role the deploy runner applies the stacks as (cluster-admin access entry). */
  readonly deployRoleArn: string;
  /** The deploy runners' networks, admitted on 443 by the API security group. */
  readonly deployRunnerCidrs: readonly string[];
  readonly keyAdminRoleArns: readonly string[];
  /**
   * ECR repositories of the in-region mirror this account owns (`mirror/...`, `charts/...`: one per image
   * and chart the environment pulls, lib/mirror/inventory.ts); empty when the mirror is another account's.
   */
  readonly mirrorRepositoryNames: readonly string[];
  readonly logRetentionDays: number;
  readonly pools: { readonly system: PoolSize; readonly general: PoolSize; readonly gpu: PoolSize & { readonly family: string; readonly gpusPerNode: number } };
}

/**
 * cluster-autoscaler's AWS GPU label and the GPU type names it knows (cloudprovider/aws, 1.34): a node
 * carrying the label is "unready" to the autoscaler until the device plugin has published `nvidia.com/gpu`,
 * so it waits for the plugin instead of adding a second node for the same pending pod.
 */
export const AUTOSCALER_GPU_LABEL = 'k8s.amazonaws.com/accelerator';
const AUTOSCALER_GPU_TYPE: Readonly<Record<string, string>> = { L4: 'nvidia-l4', T4: 'nvidia-tesla-t4', A10: 'nvidia-a10g' };

const KEY_PURPOSES: readonly KeyPurpose[] = ['eks-secrets', 'ebs', 's3', 'ecr', 'logs', 'secrets-manager'];

/**
 * The AWS cloud layer of one environment: CMKs, a private network with VPC endpoints, a private EKS
 * cluster, system/general/GPU node pools, the orchestrator's ECR repository and the platform bucket.
 */
export class EksPlatform extends Construct {
  readonly keys: Record<KeyPurpose, CustomerManagedKey>;
  readonly network: PrivateNetwork;
  readonly cluster: PrivateEksCluster;
  readonly repository: PrivateRepository;
  readonly bucket: SecureBucket;
  readonly nodePools: Record<'system' | 'general' | 'gpu', ManagedNodePool>;
  /** The cluster's Service CIDR (known at synth: it comes from the environment file). */
  readonly serviceCidr: string;

  constructor(scope: Construct, id: string, props: EksPlatformProps) {
    super(scope, id);
    this.serviceCidr = props.serviceCidr;
    const keyContext = { environment: props.environment, region: props.region, accountId: props.accountId, keyAdminRoleArns: props.keyAdminRoleArns };
    this.keys = Object.fromEntries(
      KEY_PURPOSES.map((purpose) => [purpose, new CustomerManagedKey(this, `key-${purpose}`, { ...keyContext, purpose })]),
    ) as Record<KeyPurpose, CustomerManagedKey>;

    this.network = new PrivateNetwork(this, 'network', {
      environment: props.environment,
      region: props.region,
      cidr: props.vpcCidr,
      zones: props.zones,
      gatewayEndpointServices: GATEWAY_ENDPOINT_SERVICES,
      interfaceEndpointServices: props.interfaceEndpointServices,
      logsKeyArn: this.keys.logs.arn,
      logRetentionDays: props.logRetentionDays,
      endpointPolicy: { accountId: props.accountId, region: props.region, imagePullAccounts: [eksRegistryAccount(props.region), ...props.imagePullAccounts] },
    });
    const nodeSubnetIds = this.network.nodeSubnets.map((subnet) => subnet.id);

    this.cluster = new PrivateEksCluster(this, 'eks', {
      name: props.environment,
      kubernetesVersion: props.kubernetesVersion,
      vpcId: this.network.vpc.id,
      vpcCidr: props.vpcCidr,
      subnetIds: nodeSubnetIds,
      serviceCidr: props.serviceCidr,
      secretsKeyArn: this.keys['eks-secrets'].arn,
      logsKeyArn: this.keys.logs.arn,
      ebsKeyArn: this.keys.ebs.arn,
      logRetentionDays: props.logRetentionDays,
      clusterAdminRoleArns: props.clusterAdminRoleArns,
      deployRoleArn: props.deployRoleArn,
      deployRunnerCidrs: props.deployRunnerCidrs,
      addonVersions: props.addonVersions,
    });

    const nodeRole = new ServiceRole(this, 'node-role', {
      name: `${props.environment}-nodes`,
      servicePrincipal: 'ec2.amazonaws.com',
      managedPolicies: ['AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryReadOnly', 'AmazonEKS_CNI_Policy', 'AmazonSSMManagedInstanceCore'],
      component: 'eks-nodes',
    });
    const common = {
      clusterName: this.cluster.cluster.name,
      nodeRoleArn: nodeRole.arn,
      subnetIds: nodeSubnetIds,
      ebsKeyArn: this.keys.ebs.arn,
      dependsOn: [...nodeRole.attachments, ...this.cluster.nodePrerequisites],
    };
    const { system, general, gpu } = props.pools;
    const pool = (name: string, size: PoolSize) => ({ poolName: name, instanceType: size.instanceType, minSize: size.min, maxSize: size.max, diskSizeGb: size.diskSizeGb });
    this.nodePools = {
      system: new ManagedNodePool(this, 'pool-system', {
        ...common,
        ...pool('system', system),
        amiType: 'AL2023_x86_64_STANDARD',
        labels: { [POOL_LABEL]: 'system' },
        taints: [SYSTEM_POOL_TAINT],
      }),
      // Qdrant, Postgres, Valkey and Prometheus keep EBS volumes (zonal) on this pool: one group per zone.
      general: new ManagedNodePool(this, 'pool-general', {
        ...common,
        ...pool('general', general),
        perZone: props.zones,
        amiType: 'AL2023_x86_64_STANDARD',
        labels: { [POOL_LABEL]: 'general' },
        taints: [],
      }),
      gpu: new ManagedNodePool(this, 'pool-gpu', {
        ...common,
        ...pool('gpu', gpu),
        // The NVIDIA AMI ships the driver and container toolkit: no driver DaemonSet needed.
        amiType: 'AL2023_x86_64_NVIDIA',
        labels: { [POOL_LABEL]: 'gpu', [GPU_FAMILY_LABEL]: gpu.family, [GPU_PRESENT_LABEL]: 'true', [AUTOSCALER_GPU_LABEL]: AUTOSCALER_GPU_TYPE[gpu.family] },
        taints: [GPU_TAINT],
        extendedResources: { 'nvidia.com/gpu': String(gpu.gpusPerNode) },
      }),
    };
    this.cluster.addWorkloadAddons(Object.values(this.nodePools).flatMap((nodePool) => nodePool.nodeGroups));

    this.repository = new PrivateRepository(this, 'orchestrator-repository', { name: `${props.environment}/orchestrator`, kmsKeyArn: this.keys.ecr.arn });
    // Explicit repositories: hashicorp/aws 5.100.0's aws_ecr_repository_creation_template accepts only
    // applied_for REPLICATION and PULL_THROUGH_CACHE (no CREATE_ON_PUSH), and a push to a missing repository
    // fails. Same settings as our own: the ECR CMK, immutable tags, scan on push. Id = the repository name.
    for (const name of props.mirrorRepositoryNames) {
      new PrivateRepository(this, `mirror-repository-${name.replace(/\//g, '--')}`, { name, kmsKeyArn: this.keys.ecr.arn });
    }
    this.bucket = new SecureBucket(this, 'platform-bucket', {
      bucketName: `${props.environment}-platform-${props.accountId}`,
      kmsKeyArn: this.keys.s3.arn,
      component: 'platform-storage',
      // Pods reach the bucket through the S3 gateway endpoint; nobody else but the deploy role reaches it.
      onlyThroughEndpoint: { vpcEndpointId: this.network.s3Endpoint!.id, exceptPrincipalArns: [props.deployRoleArn] },
    });
    this.addOutputs();
  }

  /** What an auditor (and the workloads stack) reads off the platform: where things are, which key. */
  private addOutputs(): void {
    new TerraformOutput(this, 'cluster_name', { value: this.cluster.cluster.name });
    new TerraformOutput(this, 'cluster_endpoint', { value: this.cluster.cluster.endpoint, description: 'Private endpoint only' });
    new TerraformOutput(this, 'platform_bucket', { value: this.bucket.bucket.bucket });
    new TerraformOutput(this, 'orchestrator_repository_url', { value: this.repository.repository.repositoryUrl });
    new TerraformOutput(this, 'kms_key_arns', {
      value: Object.fromEntries(Object.entries(this.keys).map(([purpose, key]) => [purpose, key.arn])),
    });
  }
}

function eksRegistryAccount(region: string): string {
  const account = eksAddonRegistryAccount(region);
  if (account === undefined) {
    throw new Error(`no EKS add-on registry account recorded for region ${region} (lib/sovereignty/endpoints.ts)`);
  }
  return account;
}
