import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { VirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { NetworkSecurityGroup } from '@cdktf/provider-azurerm/lib/network-security-group';
import { SubnetNetworkSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/subnet-network-security-group-association';
import { RouteTable } from '@cdktf/provider-azurerm/lib/route-table';
import { SubnetRouteTableAssociation } from '@cdktf/provider-azurerm/lib/subnet-route-table-association';
import { VirtualNetworkPeering } from '@cdktf/provider-azurerm/lib/virtual-network-peering';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { AzurePlacement, azureTags } from './placement';
import { nameOf, resourceGroupOf } from './resource-id';
import { AksSubnetPlan, planAksSubnets } from './subnet-plan';

export interface AksNetworkProps {
  readonly placement: AzurePlacement;
  readonly environment: string;
  readonly cidr: string;
  /** Hub firewall the node subnet's default route points at; no route table without it (isolated egress). */
  readonly firewallPrivateIp?: string;
  /** A vended spoke VNet (already peered by the landing zone): subnets go into it instead of a new VNet. */
  readonly spokeVirtualNetworkId?: string;
  /** The hub to peer with, both directions; `hubProvider` writes the hub side. */
  readonly hub?: { readonly virtualNetworkId: string; readonly provider: AzurermProvider };
}

/**
 * The platform's spoke with no public path of its own: subnets have default outbound access off, the node
 * subnet's only route out (when a firewall is named) is 0.0.0.0/0 to the hub firewall, and nothing here
 * owns a public IP. NSGs sit on every subnet; the private endpoint subnet turns on endpoint network
 * policies so its NSG applies to the endpoints.
 *
 * The spoke is either ours (a new VNet) or the landing zone's (a vended VNet we add subnets to). When a
 * hub is named we peer both directions, forwarded traffic allowed (the runners' packets may come through
 * the hub firewall); `pathReady` is what every data-plane call and the cluster wait for.
 */
export class AksNetwork extends Construct {
  /** Absent when the spoke is vended. */
  readonly vnet?: VirtualNetwork;
  readonly virtualNetworkId: string;
  readonly nodeSubnet: Subnet;
  readonly apiServerSubnet: Subnet;
  readonly endpointSubnet: Subnet;
  /** Only with a firewall to route to. */
  readonly routeTable?: RouteTable;
  readonly plan: AksSubnetPlan;
  /** Associations the cluster must wait for: AKS checks the subnet's route table at creation. */
  readonly nodeSubnetReady: ITerraformDependable[];
  /** The peerings the runner's path depends on (empty for a vended, pre-peered spoke). */
  readonly pathReady: ITerraformDependable[];

  constructor(scope: Construct, id: string, props: AksNetworkProps) {
    super(scope, id);
    const { placement, environment } = props;
    this.plan = planAksSubnets(props.cidr);
    const tags = (name: string) => azureTags(placement, 'network', name);
    let vnetResourceGroup: string;
    let vnetName: string;
    if (props.spokeVirtualNetworkId) {
      this.virtualNetworkId = props.spokeVirtualNetworkId;
      vnetResourceGroup = resourceGroupOf(props.spokeVirtualNetworkId);
      vnetName = nameOf(props.spokeVirtualNetworkId);
    } else {
      this.vnet = new VirtualNetwork(this, 'vnet', {
        name: `${environment}-vnet`,
        location: placement.location,
        resourceGroupName: placement.resourceGroupName,
        addressSpace: [props.cidr],
        tags: tags(`${environment}-vnet`),
      });
      this.virtualNetworkId = this.vnet.id;
      vnetResourceGroup = placement.resourceGroupName;
      vnetName = this.vnet.name;
    }
    const base = { resourceGroupName: vnetResourceGroup, virtualNetworkName: vnetName, defaultOutboundAccessEnabled: false };
    this.nodeSubnet = new Subnet(this, 'subnet-nodes', { ...base, name: 'nodes', addressPrefixes: [this.plan.nodes] });
    this.apiServerSubnet = new Subnet(this, 'subnet-apiserver', {
      ...base,
      name: 'apiserver',
      addressPrefixes: [this.plan.apiServer],
      delegation: [
        {
          name: 'aks-apiserver',
          serviceDelegation: { name: 'Microsoft.ContainerService/managedClusters', actions: ['Microsoft.Network/virtualNetworks/subnets/join/action'] },
        },
      ],
    });
    this.endpointSubnet = new Subnet(this, 'subnet-endpoints', {
      ...base,
      name: 'private-endpoints',
      addressPrefixes: [this.plan.privateEndpoints],
      privateEndpointNetworkPolicies: 'Enabled',
    });

    // Azure's default NSG rules already deny inbound from the internet and allow VNet-internal traffic,
    // which AKS needs between nodes and the API server subnet. The endpoint subnet is narrower: TLS only.
    const nsg = (key: string, rules: ConstructorParameters<typeof NetworkSecurityGroup>[2]['securityRule']) =>
      new NetworkSecurityGroup(this, `nsg-${key}`, {
        name: `${environment}-${key}-nsg`,
        location: placement.location,
        resourceGroupName: placement.resourceGroupName,
        securityRule: rules,
        tags: tags(`${environment}-${key}-nsg`),
      });
    const nodesNsg = nsg('nodes', []);
    const apiNsg = nsg('apiserver', []);
    const endpointsNsg = nsg('endpoints', [
      {
        name: 'allow-vnet-https',
        priority: 100,
        direction: 'Inbound',
        access: 'Allow',
        protocol: 'Tcp',
        sourcePortRange: '*',
        destinationPortRange: '443',
        sourceAddressPrefix: 'VirtualNetwork',
        destinationAddressPrefix: 'VirtualNetwork',
        description: 'Key Vault, registry and blob endpoints speak HTTPS only',
      },
      {
        name: 'deny-vnet-other',
        priority: 4000,
        direction: 'Inbound',
        access: 'Deny',
        protocol: '*',
        sourcePortRange: '*',
        destinationPortRange: '*',
        sourceAddressPrefix: 'VirtualNetwork',
        destinationAddressPrefix: 'VirtualNetwork',
        description: 'Overrides the default allow-VNet rule for this subnet',
      },
    ]);
    const nodesNsgAssociation = new SubnetNetworkSecurityGroupAssociation(this, 'nsg-nodes-association', { subnetId: this.nodeSubnet.id, networkSecurityGroupId: nodesNsg.id });
    new SubnetNetworkSecurityGroupAssociation(this, 'nsg-apiserver-association', { subnetId: this.apiServerSubnet.id, networkSecurityGroupId: apiNsg.id });
    new SubnetNetworkSecurityGroupAssociation(this, 'nsg-endpoints-association', { subnetId: this.endpointSubnet.id, networkSecurityGroupId: endpointsNsg.id });

    this.nodeSubnetReady = [nodesNsgAssociation];
    if (props.firewallPrivateIp) {
      this.routeTable = new RouteTable(this, 'route-table', {
        name: `${environment}-egress-rt`,
        location: placement.location,
        resourceGroupName: placement.resourceGroupName,
        // Routes learned over BGP (e.g. an on-premises default route) must not bypass the firewall.
        bgpRoutePropagationEnabled: false,
        route: [{ name: 'default-via-firewall', addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopInIpAddress: props.firewallPrivateIp }],
        tags: tags(`${environment}-egress-rt`),
      });
      this.nodeSubnetReady.push(new SubnetRouteTableAssociation(this, 'route-table-nodes-association', { subnetId: this.nodeSubnet.id, routeTableId: this.routeTable.id }));
    }
    this.pathReady = props.hub ? this.peerWithHub(environment, vnetResourceGroup, vnetName, props.hub) : [];
  }

  private peerWithHub(environment: string, spokeResourceGroup: string, spokeName: string, hub: NonNullable<AksNetworkProps['hub']>): ITerraformDependable[] {
    const link = { allowVirtualNetworkAccess: true, allowForwardedTraffic: true, allowGatewayTransit: false, useRemoteGateways: false };
    const toHub = new VirtualNetworkPeering(this, 'peering-to-hub', {
      ...link,
      name: `to-${nameOf(hub.virtualNetworkId)}`,
      resourceGroupName: spokeResourceGroup,
      virtualNetworkName: spokeName,
      remoteVirtualNetworkId: hub.virtualNetworkId,
    });
    const fromHub = new VirtualNetworkPeering(this, 'peering-from-hub', {
      ...link,
      provider: hub.provider,
      name: `to-${environment}`,
      resourceGroupName: resourceGroupOf(hub.virtualNetworkId),
      virtualNetworkName: nameOf(hub.virtualNetworkId),
      remoteVirtualNetworkId: this.virtualNetworkId,
    });
    return [toHub, fromHub];
  }
}
