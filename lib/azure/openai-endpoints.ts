import { Construct } from 'constructs';
import { PrivateDnsZone } from '@cdktf/provider-azurerm/lib/private-dns-zone';
import { PrivateDnsZoneVirtualNetworkLink } from '@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link';
import { PrivateEndpoint } from '@cdktf/provider-azurerm/lib/private-endpoint';
import { AzurePlacement, azureTags } from './placement';
import { privateLink } from './private-endpoint';

/** `<account>.openai.azure.com` is a CNAME to `<account>.privatelink.openai.azure.com`. */
export const OPENAI_PRIVATE_ZONE = 'privatelink.openai.azure.com';

export interface AzureOpenAiEndpointsProps {
  readonly placement: AzurePlacement;
  readonly environment: string;
  readonly virtualNetworkId: string;
  readonly subnetId: string;
  /** ARM ids of the Azure OpenAI accounts (`Microsoft.CognitiveServices/accounts`) LiteLLM calls. */
  readonly accountIds: readonly string[];
  /**
   * The landing zone's central `privatelink.openai.azure.com` zone, or none: then we create it, linked to
   * our VNet and to the hub (like lib/azure/private-dns.ts does for the platform's other zones).
   */
  readonly zone: { readonly centralZoneId: string } | { readonly hubVirtualNetworkId?: string };
}

/**
 * Private endpoints (subresource `account`) to the Azure OpenAI accounts the environment names, their
 * records in the landing zone's central privatelink zone or in one we create (only when there is an
 * account: a linked zone without the account's record would make its name unresolvable from the VNet).
 * The connection is approved automatically only if the deploying identity may approve private endpoint
 * connections on the account (it usually lives in another team's subscription); otherwise its owner
 * approves it once.
 */
export class AzureOpenAiEndpoints extends Construct {
  readonly zoneId: string;
  readonly endpoints: PrivateEndpoint[];

  constructor(scope: Construct, id: string, props: AzureOpenAiEndpointsProps) {
    super(scope, id);
    const { placement } = props;
    this.zoneId = 'centralZoneId' in props.zone ? props.zone.centralZoneId : this.ownZone(props, props.zone.hubVirtualNetworkId);
    const accounts = [...new Set(props.accountIds)].sort();
    this.endpoints = accounts.map((accountId) => {
      const account = accountId.split('/').pop()!;
      return privateLink(this, `account-${account}`, {
        placement,
        name: `${props.environment}-openai-${account}`,
        component: 'llm-gateway',
        subnetId: props.subnetId,
        resourceId: accountId,
        subresource: 'account',
        privateDnsZoneIds: [this.zoneId],
      });
    });
  }

  private ownZone(props: AzureOpenAiEndpointsProps, hubVirtualNetworkId: string | undefined): string {
    const { placement } = props;
    const zone = new PrivateDnsZone(this, 'zone', {
      name: OPENAI_PRIVATE_ZONE,
      resourceGroupName: placement.resourceGroupName,
      tags: azureTags(placement, 'llm-gateway', OPENAI_PRIVATE_ZONE),
    });
    const links: Array<[string, string, string]> = [['zone-link', 'platform-vnet', props.virtualNetworkId]];
    if (hubVirtualNetworkId) {
      links.push(['zone-hub-link', 'hub-vnet', hubVirtualNetworkId]);
    }
    for (const [linkId, name, virtualNetworkId] of links) {
      new PrivateDnsZoneVirtualNetworkLink(this, linkId, {
        name,
        resourceGroupName: placement.resourceGroupName,
        privateDnsZoneName: zone.name,
        virtualNetworkId,
        registrationEnabled: false,
        tags: azureTags(placement, 'llm-gateway', OPENAI_PRIVATE_ZONE),
      });
    }
    return zone.id;
  }
}
