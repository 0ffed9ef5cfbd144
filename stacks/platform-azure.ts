import { TerraformStack } from 'cdktf';
import { EnvironmentConfig } from '../lib/config/schema';
import { ClusterInfo } from '../lib/cluster/cluster-info';
import { getRegion } from '../lib/sovereignty/regions';
import { hubAzureProvider, sovereignAzureProvider } from '../lib/azure/provider';
import { subscriptionOf } from '../lib/azure/resource-id';
import { AksPlatform } from '../lib/azure/aks-platform';
import { AksClusterInfo } from '../lib/azure/aks-cluster-info';
import { environmentTags } from '../lib/tags';

/** The platform stack's content on Azure (stacks/platform-stack.ts loads this module only there). */
export function buildAzurePlatform(stack: TerraformStack, config: EnvironmentConfig): ClusterInfo {
  const azure = config.azure!;
  const provider = { environment: config.name, region: config.region, subscriptionId: azure.subscriptionId, tenantId: azure.tenantId, tags: config.tags };
  sovereignAzureProvider(stack, provider);
  const region = getRegion('azure', config.region);
  const { system, general, gpu } = config.nodePools;
  const { hubVirtualNetworkId } = azure.landingZone;
  const platform = new AksPlatform(stack, 'aks-platform', {
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
      hub: hubVirtualNetworkId ? { virtualNetworkId: hubVirtualNetworkId, provider: hubAzureProvider(stack, { subscriptionId: subscriptionOf(hubVirtualNetworkId), tenantId: azure.tenantId }) } : undefined,
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
