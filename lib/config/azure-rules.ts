import { ConfigProblem } from './errors';
import { EnvironmentConfig } from './schema';
import { contains, overlaps, parseCidr } from './cidr';
import { findRegion, regionsOf } from '../sovereignty/regions';
import { findProfile, permittedRegions } from '../sovereignty/profiles';
import { azureNames } from '../azure/names';
import { subscriptionOf } from '../azure/resource-id';
import { endpointSubnetCapacity } from '../azure/endpoint-capacity';

/**
 * Rules for an Azure environment inside a landing zone: the deploy runner lives in the hub, so every
 * endpoint the platform stack creates or calls (Key Vault keys are data-plane calls, the registry, blob
 * storage, the private API) must be routable from the runner network and resolvable by the hub's DNS
 * during the very first apply. Each rule refuses an environment in which that could not happen.
 */
type AzureRule = (config: EnvironmentConfig, azure: NonNullable<EnvironmentConfig['azure']>) => ConfigProblem[];

const egress: AzureRule = (config, azure) => {
  const ip = azure.firewallPrivateIp;
  if (ip === undefined) {
    return azure.egress === 'firewall'
      ? [
          {
            path: ['azure', 'firewallPrivateIp'],
            message: 'is required with egress firewall: AKS egress is routed (userDefinedRouting) to the hub firewall at this private IP; public IPs, load balancer and NAT gateway egress are not allowed',
            allowed: ['an IPv4 address in the hub', 'egress: isolated (no egress at bootstrap)'],
          },
        ]
      : [];
  }
  const address = parseCidr(`${ip}/32`);
  if (!address) {
    return [{ path: ['azure', 'firewallPrivateIp'], message: 'must be an IPv4 address with octets 0-255' }];
  }
  return (['cidr', 'serviceCidr', 'podCidr'] as const)
    .filter((field) => contains(parseCidr(config.network[field])!, address))
    .map((field) => ({ path: ['azure', 'firewallPrivateIp'], message: `lies inside network.${field} (${config.network[field]}); the firewall sits in the hub network, outside this cluster's ranges` }));
};

/** The runner must have a route to the platform VNet: a peering we create, or a vended spoke the landing zone peered. */
const runnerRoute: AzureRule = (config, azure) => {
  const zone = azure.landingZone;
  const problems: ConfigProblem[] = [];
  if (!zone.hubVirtualNetworkId && !zone.spokeVirtualNetworkId) {
    problems.push({
      path: ['azure', 'landingZone', 'hubVirtualNetworkId'],
      message:
        'is required unless spokeVirtualNetworkId names a vended spoke already peered to the hub: without a peering the deploy runner cannot reach the Key Vault (keys are created through its private endpoint) or the private API during the first apply',
    });
  }
  if (zone.hubVirtualNetworkId && zone.hubVirtualNetworkId.toLowerCase() === zone.spokeVirtualNetworkId?.toLowerCase()) {
    problems.push({ path: ['azure', 'landingZone', 'spokeVirtualNetworkId'], message: 'is the hub VNet itself; the platform needs its own spoke' });
  }
  if (zone.spokeVirtualNetworkId && subscriptionOf(zone.spokeVirtualNetworkId).toLowerCase() !== azure.subscriptionId.toLowerCase()) {
    problems.push({
      path: ['azure', 'landingZone', 'spokeVirtualNetworkId'],
      message: `is in subscription ${subscriptionOf(zone.spokeVirtualNetworkId)}, not azure.subscriptionId ${azure.subscriptionId}: the platform's subnets, endpoints and cluster are created in its own subscription`,
    });
  }
  const platformRanges = (['cidr', 'serviceCidr', 'podCidr'] as const).map((field) => ({ field, range: parseCidr(config.network[field])! }));
  zone.runnerCidrs.forEach((runner, index) => {
    for (const { field, range } of platformRanges) {
      if (overlaps(parseCidr(runner)!, range)) {
        problems.push({
          path: ['azure', 'landingZone', 'runnerCidrs', index],
          message: `overlaps network.${field} (${config.network[field]}): peered address spaces must not overlap, and the runner's replies would stay inside the cluster`,
        });
      }
    }
  });
  return problems;
};

/**
 * The runner resolves through the hub's DNS. Either the landing zone's central privatelink zones are
 * named (endpoints register there), or we create the zones and link them to the hub VNet as well, which
 * only works when the hub does not link zones of the same names already (documented in operations.md).
 */
const runnerResolution: AzureRule = (config, azure) => {
  const zone = azure.landingZone;
  if (zone.privateDnsZoneIds) {
    const expected = `privatelink.${config.region}.azmk8s.io`;
    const aksZone = zone.privateDnsZoneIds.aks.split('/').pop()!;
    return aksZone === expected ? [] : [{ path: ['azure', 'landingZone', 'privateDnsZoneIds', 'aks'], message: `names zone ${aksZone}; the cluster in ${config.region} registers its API in ${expected}`, allowed: [expected] }];
  }
  if (zone.hubVirtualNetworkId) {
    return [];
  }
  return [
    {
      path: ['azure', 'landingZone', 'privateDnsZoneIds'],
      message:
        'is required when hubVirtualNetworkId is not set: privatelink zones the platform created would be linked to the spoke only, so the runner in the hub could not resolve the vault, registry, blob and private API names',
    },
  ];
};

/** KMS with a private vault needs API server VNet integration; some regions do not offer it. */
const apiServerIntegration: AzureRule = (config) => {
  const region = findRegion('azure', config.region);
  if (!region || region.apiServerVnetIntegration !== false) {
    return [];
  }
  const profile = findProfile(config.sovereignty.profile);
  const inProfile = profile ? permittedRegions(profile, 'azure', config.sovereignty.dataSharingAgreements) : [];
  const alternatives = regionsOf('azure')
    .filter((candidate) => candidate.apiServerVnetIntegration && inProfile.includes(candidate.name))
    .map((candidate) => (candidate.restrictedAccess ? `${candidate.name} (restricted access: Microsoft enables it per subscription)` : candidate.name));
  return [
    {
      path: ['region'],
      message: `${region.name} does not offer AKS API server VNet integration, which etcd encryption with the private Key Vault requires; place the Azure platform in another region`,
      allowed: alternatives,
    },
  ];
};

/**
 * Nodes pull from the platform registry only: the kubelet holds AcrPull there, its private endpoint is
 * registered in the privatelink zone, and network-isolated nodes reach nothing else. Another registry
 * would be unresolvable (NXDOMAIN in privatelink.azurecr.io) and unauthorised.
 */
const mirrorIsPlatformRegistry: AzureRule = (config) => {
  const platform = `${azureNames(config.name).registry}.azurecr.io`;
  return (['imageMirror', 'chartMirror'] as const).flatMap((field): ConfigProblem[] => {
    const host = config.registry[field].replace(/^oci:\/\//, '').split('/')[0];
    if (host === platform) {
      return [];
    }
    const example = field === 'imageMirror' ? `${platform}/mirror` : `oci://${platform}/charts`;
    return [
      {
        path: ['registry', field],
        message: `is on ${host}, not the platform registry ${platform}: nodes can resolve and pull (AcrPull, private endpoint) only from the platform registry, which is the in-region mirror`,
        allowed: [example],
      },
    ];
  });
};

/** Each tenant's Key Vault endpoint takes one address of the endpoint subnet: refuse more tenants than it holds. */
const tenantVaultEndpoints: AzureRule = (config) => {
  const openAiAccounts = new Set(config.llm.models.flatMap((m) => (m.provider === 'azure-openai' && m.resourceId ? [m.resourceId] : []))).size;
  const capacity = endpointSubnetCapacity(config.network.cidr, openAiAccounts);
  if (config.tenants.length <= capacity.tenants) {
    return [];
  }
  return [
    {
      path: ['tenants'],
      message:
        `lists ${config.tenants.length} tenants, but on Azure each tenant's Key Vault takes one address of the private endpoint subnet ${capacity.subnet} ` +
        `(a sixteenth of network.cidr ${config.network.cidr}): ${capacity.size} addresses - 5 reserved by Azure - ${capacity.platform} for the platform's own endpoints = ${capacity.tenants} tenants`,
      allowed: [`at most ${capacity.tenants} tenants`, 'a larger network.cidr (one prefix bit shorter doubles the subnet)'],
    },
  ];
};

const AZURE_RULES: readonly AzureRule[] = [egress, runnerRoute, runnerResolution, apiServerIntegration, mirrorIsPlatformRegistry, tenantVaultEndpoints];

/** All landing-zone rules of an Azure environment (none for AWS). */
export function azureLandingZoneRules(config: EnvironmentConfig): ConfigProblem[] {
  const azure = config.azure;
  if (config.cloud !== 'azure' || !azure) {
    return [];
  }
  return AZURE_RULES.flatMap((rule) => rule(config, azure));
}
