import { Construct } from 'constructs';
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
}

/**
 * Our own private DNS zones, linked to the platform VNet (no auto-registration): private endpoints
 * register their records here, and the cluster's private API name lives in our AKS zone instead of one
 * AKS would create in its node resource group. A hub that resolves for the deploy runner links the same
 * zones from its side.
 */
export class PrivateZones extends Construct {
  readonly zones: Record<PrivateZoneKey, PrivateDnsZone>;

  constructor(scope: Construct, id: string, props: PrivateZonesProps) {
    super(scope, id);
    const names = privateZoneNames(props.region);
    const entries = (Object.keys(names) as PrivateZoneKey[]).map((key): [PrivateZoneKey, PrivateDnsZone] => {
      const zone = new PrivateDnsZone(this, `zone-${key}`, {
        name: names[key],
        resourceGroupName: props.placement.resourceGroupName,
        tags: azureTags(props.placement, 'network', names[key]),
      });
      new PrivateDnsZoneVirtualNetworkLink(this, `zone-${key}-link`, {
        name: 'platform-vnet',
        resourceGroupName: props.placement.resourceGroupName,
        privateDnsZoneName: zone.name,
        virtualNetworkId: props.virtualNetworkId,
        registrationEnabled: false,
        tags: azureTags(props.placement, 'network', names[key]),
      });
      return [key, zone];
    });
    this.zones = Object.fromEntries(entries) as Record<PrivateZoneKey, PrivateDnsZone>;
  }
}
