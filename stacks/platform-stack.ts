import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { EnvironmentConfig } from '../lib/config/schema';
import { ClusterInfo } from '../lib/cluster/cluster-info';
import { stackName } from '../lib/naming';
import { EKS_ADDON_VERSIONS, TERRAFORM_REQUIRED_VERSION } from '../lib/versions';
import { getRegion } from '../lib/sovereignty/regions';
import { findGpuOffer } from '../lib/sovereignty/gpu';
import { interfaceEndpointServices } from '../lib/sovereignty/endpoints';
import { sovereignAwsProvider } from '../lib/aws/provider';
import { EksPlatform } from '../lib/aws/eks-platform';
import { EksClusterInfo } from '../lib/aws/eks-cluster-info';
import { configureBackend } from './backend';

/**
 * `<env>-platform`: the cloud layer (network, endpoints, keys, cluster, node pools, registry, storage).
 * Exposes `clusterInfo`, the only thing the workloads and tenant stacks learn about the cluster.
 */
export class PlatformStack extends TerraformStack {
  readonly clusterInfo: ClusterInfo;

  constructor(scope: Construct, config: EnvironmentConfig) {
    const name = stackName(config.name, 'platform');
    super(scope, name);
    configureBackend(this, config, name);
    this.addOverride('terraform.required_version', TERRAFORM_REQUIRED_VERSION);
    if (config.cloud !== 'aws') {
      throw new Error(`cloud ${config.cloud} has no platform implementation yet`);
    }
    this.clusterInfo = this.buildAws(config);
  }

  private buildAws(config: EnvironmentConfig): ClusterInfo {
    const aws = config.aws!;
    const provider = { environment: config.name, region: config.region, accountId: aws.accountId, tags: config.tags };
    sovereignAwsProvider(this, provider);
    const region = getRegion('aws', config.region);
    const { system, general, gpu } = config.nodePools;
    const gpuSize = findGpuOffer('aws', gpu.family)!.sizes.find((size) => size.name === gpu.instanceType)!;
    const platform = new EksPlatform(this, 'eks-platform', {
      environment: config.name,
      region: config.region,
      accountId: aws.accountId,
      zones: region.zones.slice(0, config.network.zoneCount),
      vpcCidr: config.network.cidr,
      serviceCidr: config.network.serviceCidr,
      interfaceEndpointServices: interfaceEndpointServices(config.region),
      kubernetesVersion: config.versions.kubernetes,
      addonVersions: EKS_ADDON_VERSIONS,
      clusterAdminRoleArns: aws.clusterAdminRoleArns,
      keyAdminRoleArns: aws.keyAdminRoleArns,
      logRetentionDays: config.logRetentionDays,
      pools: { system, general, gpu: { ...gpu, gpusPerNode: gpuSize.gpus } },
    });
    return new EksClusterInfo(platform, {
      provider,
      gpuFamily: gpu.family,
      imageMirror: config.registry.imageMirror,
      chartMirror: config.registry.chartMirror,
    });
  }
}
