import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { PrivateDnsZone } from '@cdktf/provider-azurerm/lib/private-dns-zone';
import { PrivateDnsZoneVirtualNetworkLink } from '@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link';
import { AzurePlacement, azureTags } from './placement';

export type PrivateZoneKey = 'aks' | 'vault' | 'registry' | 'blob';

/** The privatelink zones the platform resolves; the AKS zone is per region. */
export function privateZoneNames(region: string): Record<PrivateZoneKey, string> {
  return {
    aks: `privatelink.${region}.azmk8s.io`,
    vault: 'privatelink.vaultcore.azure.net',
    registry: 'privatelink.azurecr.io',
    blob: 'privatelink.blob.core.windows.net',
  };
}

export interface PrivateZonesProps {
  readonly placement: AzurePlacement;
  readonly region: string;
  readonly virtualNetworkId: string;
  /** The landing zone's central zones: when given, the platform creates no zone and no link. */
  readonly centralZoneIds?: Readonly<Record<PrivateZoneKey, string>>;
  /** The hub VNet, where the runners resolve: our own zones are linked there too. */
  readonly hubVirtualNetworkId?: string;
}

/**
 * The privatelink zones private endpoints register in and the cluster's private API name lives in.
 *
 * In a landing zone these are the central zones, linked to the hub where runners (and, through the hub's
 * DNS, every spoke) resolve; spokes often may not create their own (`Deny-Private-DNS-Zones`). Without
 * them we create the zones and link them to our VNet and to the hub VNet (no auto-registration), which
 * only works while the hub links no zone of the same name: a VNet cannot link two zones of one name.
 * `ready` is what endpoints' callers wait for: a record nobody can resolve yet is no path.
 */
export class PrivateZones extends Construct {
  readonly zoneIds: Record<PrivateZoneKey, string>;
  readonly ready: ITerraformDependable[] = [];

  constructor(scope: Construct, id: string, props: PrivateZonesProps) {
    super(scope, id);
    if (props.centralZoneIds) {
      this.zoneIds = { ...props.centralZoneIds };
      return;
    }
    const names = privateZoneNames(props.region);
    const entries = (Object.keys(names) as PrivateZoneKey[]).map((key): [PrivateZoneKey, string] => {
      const zone = new PrivateDnsZone(this, `zone-${key}`, {
        name: names[key],
        resourceGroupName: props.placement.resourceGroupName,
        tags: azureTags(props.placement, 'network', names[key]),
      });
      const link = (linkId: string, name: string, virtualNetworkId: string) =>
        new PrivateDnsZoneVirtualNetworkLink(this, linkId, {
          name,
          resourceGroupName: props.placement.resourceGroupName,
          privateDnsZoneName: zone.name,
          virtualNetworkId,
          registrationEnabled: false,
          tags: azureTags(props.placement, 'network', names[key]),
        });
      this.ready.push(link(`zone-${key}-link`, 'platform-vnet', props.virtualNetworkId));
      if (props.hubVirtualNetworkId) {
        this.ready.push(link(`zone-${key}-hub-link`, 'hub-vnet', props.hubVirtualNetworkId));
      }
      return [key, zone.id];
    });
    this.zoneIds = Object.fromEntries(entries) as Record<PrivateZoneKey, string>;
  }
}
