import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { EnvironmentConfig } from '../lib/config/schema';
import { ClusterInfo } from '../lib/cluster/cluster-info';
import { stackName } from '../lib/naming';
import { EKS_ADDON_VERSIONS_BY_KUBERNETES, TERRAFORM_REQUIRED_VERSION } from '../lib/versions';
import { getRegion } from '../lib/sovereignty/regions';
import { findGpuOffer } from '../lib/sovereignty/gpu';
import { interfaceEndpointServices } from '../lib/sovereignty/endpoints';
import { ecrRegistryAccount } from '../lib/aws/endpoint-policies';
import { sovereignAwsProvider } from '../lib/aws/provider';
import { EksPlatform } from '../lib/aws/eks-platform';
import { EksClusterInfo } from '../lib/aws/eks-cluster-info';
import { hubAzureProvider, sovereignAzureProvider } from '../lib/azure/provider';
import { subscriptionOf } from '../lib/azure/resource-id';
import { AksPlatform } from '../lib/azure/aks-platform';
import { AksClusterInfo } from '../lib/azure/aks-cluster-info';
import { environmentTags } from '../lib/tags';
import { configureBackend } from './backend';
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
    this.clusterInfo = config.cloud === 'aws' ? this.buildAws(config) : this.buildAzure(config);
  }

  private buildAzure(config: EnvironmentConfig): ClusterInfo {
    const azure = config.azure!;
    const provider = { environment: config.name, region: config.region, subscriptionId: azure.subscriptionId, tenantId: azure.tenantId, tags: config.tags };
    sovereignAzureProvider(this, provider);
    const region = getRegion('azure', config.region);
    const { system, general, gpu } = config.nodePools;
    const { hubVirtualNetworkId } = azure.landingZone;
    const platform = new AksPlatform(this, 'aks-platform', {
      environment: config.name,
      region: config.region,
      tenantId: azure.tenantId,
      tags: environmentTags(config.name, config.tags),
      // Empty for a zone-less region (UAE Central): pools and storage then run without zones.
      zones: region.zones.slice(0, config.network.zoneCount),
      vnetCidr: config.network.cidr,
      podCidr: config.network.podCidr,
      serviceCidr: config.network.serviceCidr,
      egress: azure.egress,
      // azure-rules.ts requires it for firewall egress.
      firewallPrivateIp: azure.firewallPrivateIp,
      landingZone: {
        hub: hubVirtualNetworkId ? { virtualNetworkId: hubVirtualNetworkId, provider: hubAzureProvider(this, { subscriptionId: subscriptionOf(hubVirtualNetworkId), tenantId: azure.tenantId }) } : undefined,
        spokeVirtualNetworkId: azure.landingZone.spokeVirtualNetworkId,
        privateDnsZoneIds: azure.landingZone.privateDnsZoneIds,
        networkWatcherId: azure.landingZone.networkWatcherId,
      },
      deployerPrincipalId: azure.deployerPrincipalId,
      driftPrincipalId: azure.driftPrincipalId,
      kubernetesVersion: config.versions.kubernetes,
      adminGroupObjectIds: azure.adminGroupObjectIds,
      softDeleteRetentionDays: azure.softDeleteRetentionDays,
      logRetentionDays: config.logRetentionDays,
      pools: { system, general, gpu },
      openAiAccountIds: config.llm.models.flatMap((model) => (model.provider === 'azure-openai' && model.resourceId ? [model.resourceId] : [])),
    });
    return new AksClusterInfo(platform, {
      provider,
      gpuFamily: gpu.family,
      imageMirror: config.registry.imageMirror,
      chartMirror: config.registry.chartMirror,
      // A zone-less region has no zone names: its nodes are one failure domain.
      zoneCount: Math.max(1, region.zones.slice(0, config.network.zoneCount).length),
    });
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
}
