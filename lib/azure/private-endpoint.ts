import { Construct } from 'constructs';
import { PrivateEndpoint } from '@cdktf/provider-azurerm/lib/private-endpoint';
import { AzurePlacement, azureTags } from './placement';

export interface PrivateLinkProps {
  readonly placement: AzurePlacement;
  readonly name: string;
  readonly component: string;
  readonly subnetId: string;
  readonly resourceId: string;
  /** `vault`, `blob`, `registry`. */
  readonly subresource: string;
  /**
   * Our privatelink zones: the endpoint registers its A records there. Absent for endpoints in a subnet
   * we do not own (the deploy runner's), whose DNS belongs to the landing zone.
   */
  readonly privateDnsZoneIds?: readonly string[];
}

/** A private endpoint: the only way the resource behind it is reached (its public access is off). */
export function privateLink(scope: Construct, id: string, props: PrivateLinkProps): PrivateEndpoint {
  return new PrivateEndpoint(scope, id, {
    name: props.name,
    location: props.placement.location,
    resourceGroupName: props.placement.resourceGroupName,
    subnetId: props.subnetId,
    customNetworkInterfaceName: `${props.name}-nic`,
    privateServiceConnection: {
      name: props.name,
      privateConnectionResourceId: props.resourceId,
      subresourceNames: [props.subresource],
      isManualConnection: false,
    },
    privateDnsZoneGroup: props.privateDnsZoneIds?.length ? { name: 'default', privateDnsZoneIds: [...props.privateDnsZoneIds] } : undefined,
    tags: azureTags(props.placement, props.component, props.name),
  });
}
