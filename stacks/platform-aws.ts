import { TerraformStack } from 'cdktf';
import { EnvironmentConfig } from '../lib/config/schema';
import { ClusterInfo } from '../lib/cluster/cluster-info';
import { EKS_ADDON_VERSIONS_BY_KUBERNETES } from '../lib/versions';
import { getRegion } from '../lib/sovereignty/regions';
import { findGpuOffer } from '../lib/sovereignty/gpu';
import { interfaceEndpointServices } from '../lib/sovereignty/endpoints';
import { ecrRegistryAccount } from '../lib/aws/endpoint-policies';
import { sovereignAwsProvider } from '../lib/aws/provider';
import { EksPlatform } from '../lib/aws/eks-platform';
import { EksClusterInfo } from '../lib/aws/eks-cluster-info';
import { mirrorInventory, mirrorRepositoryNames } from '../lib/mirror/inventory';

/**
 * The mirror repositories this environment's account must hold: both mirrors in this account's ECR in this
 * region, or none (a mirror run by another account, e.g. a shared-services registry, is managed there).
 */
function ownedMirrorRepositories(config: EnvironmentConfig): string[] {
  const ownHost = `${config.aws!.accountId}.dkr.ecr.${config.region}.amazonaws.com/`;
  const { imageMirror, chartMirror } = config.registry;
  const owned = imageMirror.startsWith(ownHost) && chartMirror.replace(/^oci:\/\//, '').startsWith(ownHost);
  return owned ? mirrorRepositoryNames(mirrorInventory(config)) : [];
}

/** The platform stack's content on AWS (stacks/platform-stack.ts loads this module only there). */
export function buildAwsPlatform(stack: TerraformStack, config: EnvironmentConfig): ClusterInfo {
  const aws = config.aws!;
  const provider = { environment: config.name, region: config.region, accountId: aws.accountId, tags: config.tags };
  sovereignAwsProvider(stack, provider);
  const region = getRegion('aws', config.region);
  const { system, general, gpu } = config.nodePools;
  const gpuSize = findGpuOffer('aws', gpu.family)!.sizes.find((size) => size.name === gpu.instanceType)!;
  const platform = new EksPlatform(stack, 'eks-platform', {
    environment: config.name,
    region: config.region,
    accountId: aws.accountId,
    zones: region.zones.slice(0, config.network.zoneCount),
    vpcCidr: config.network.cidr,
    serviceCidr: config.network.serviceCidr,
    interfaceEndpointServices: interfaceEndpointServices(config.region, config.llm.models.some((m) => m.provider === 'bedrock') ? ['bedrock-runtime'] : []),
    imagePullAccounts: [config.registry.imageMirror, config.registry.chartMirror].flatMap((mirror) => ecrRegistryAccount(mirror) ?? []),
    kubernetesVersion: config.versions.kubernetes,
    addonVersions: EKS_ADDON_VERSIONS_BY_KUBERNETES[config.versions.kubernetes],
    clusterAdminRoleArns: aws.clusterAdminRoleArns,
    // rules.ts requires both on AWS.
    deployRoleArn: aws.deployRoleArn!,
    deployRunnerCidrs: config.network.deployRunnerCidrs,
    keyAdminRoleArns: aws.keyAdminRoleArns,
    mirrorRepositoryNames: ownedMirrorRepositories(config),
    logRetentionDays: config.logRetentionDays,
    pools: { system, general, gpu: { ...gpu, gpusPerNode: gpuSize.gpus } },
  });
  return new EksClusterInfo(platform, {
    provider,
    gpuFamily: gpu.family,
    imageMirror: config.registry.imageMirror,
    chartMirror: config.registry.chartMirror,
    // A zone-less region has no zone names: its nodes are one failure domain.
    zoneCount: Math.max(1, region.zones.slice(0, config.network.zoneCount).length),
  });
}
