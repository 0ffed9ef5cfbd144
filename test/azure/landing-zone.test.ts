import { configFrom, problemLines, resourcesOf, synthEnvironment } from '../helpers';
import { azureExampleInput, only } from './helpers';

const SPOKE = '/subscriptions/11111111-2222-4333-8444-555555555555/resourceGroups/spokes/providers/Microsoft.Network/virtualNetworks/rag-spoke';

/** The gcc example in a vended spoke (peered by the landing zone), central zones, isolated with no firewall at all. */
function vendedSpokePlatform() {
  const input = azureExampleInput();
  delete input.azure.landingZone.hubVirtualNetworkId;
  delete input.azure.firewallPrivateIp;
  input.azure.landingZone.spokeVirtualNetworkId = SPOKE;
  return synthEnvironment(configFrom(input)).stacks['uae-prod-azure-platform'];
}

describe('a vended spoke with central DNS and no egress at all', () => {
  const platform = vendedSpokePlatform();

  it('adds the platform subnets to the vended VNet instead of creating one, and peers nothing', () => {
    expect(resourcesOf(platform, 'azurerm_virtual_network')).toHaveLength(0);
    expect(resourcesOf(platform, 'azurerm_virtual_network_peering')).toHaveLength(0);
    expect(platform.provider.azurerm.find((provider: any) => provider.alias === 'hub')).toBeUndefined();
    const subnets = resourcesOf(platform, 'azurerm_subnet').map(([, value]) => value);
    expect(subnets).toHaveLength(3);
    for (const subnet of subnets) {
      expect(subnet).toMatchObject({ resource_group_name: 'spokes', virtual_network_name: 'rag-spoke' });
    }
  });

  it('creates no route table: an isolated cluster has nothing to route out', () => {
    expect(resourcesOf(platform, 'azurerm_route_table')).toHaveLength(0);
    expect(resourcesOf(platform, 'azurerm_subnet_route_table_association')).toHaveLength(0);
    const cluster = only(platform, 'azurerm_kubernetes_cluster');
    expect(cluster.network_profile.outbound_type).toBe('none');
    expect(cluster.bootstrap_profile.artifact_source).toBe('Cache');
    const networkGrants = resourcesOf(platform, 'azurerm_role_assignment').map(([, value]) => value).filter((a) => a.role_definition_name === 'Network Contributor');
    expect(networkGrants.map((a) => a.scope).join()).not.toMatch(/route-table/);
  });
});

describe('a landing zone that names its own Network Watcher', () => {
  it('writes the flow log through that watcher, and refuses an id that is not one', () => {
    const input = azureExampleInput();
    input.azure.landingZone.networkWatcherId = '/subscriptions/11111111-2222-4333-8444-555555555555/resourceGroups/lz-network-watchers/providers/Microsoft.Network/networkWatchers/nw-uaenorth';
    const platform = synthEnvironment(configFrom(input)).stacks['uae-prod-azure-platform'];
    expect(only(platform, 'azurerm_network_watcher_flow_log')).toMatchObject({ network_watcher_name: 'nw-uaenorth', resource_group_name: 'lz-network-watchers' });
    input.azure.landingZone.networkWatcherId = 'nw-uaenorth';
    expect(problemLines(input)).toEqual([expect.stringContaining('azure.landingZone.networkWatcherId: must be a network watcher resource id')]);
  });
});
