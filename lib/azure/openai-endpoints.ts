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
}

/**
 * Private endpoints (subresource `account`) to the Azure OpenAI accounts the environment names, and the
 * privatelink zone their records go in, linked to the platform VNet. Created only when there is an
 * account: a linked zone without the account's record would make its name unresolvable from the VNet.
 * The connection is approved automatically only if the deploying identity may approve private endpoint
 * connections on the account (it usually lives in another team's subscription); otherwise its owner
 * approves it once.
 */
export class AzureOpenAiEndpoints extends Construct {
  readonly zone: PrivateDnsZone;
  readonly endpoints: PrivateEndpoint[];

  constructor(scope: Construct, id: string, props: AzureOpenAiEndpointsProps) {
    super(scope, id);
    const { placement } = props;
    this.zone = new PrivateDnsZone(this, 'zone', {
      name: OPENAI_PRIVATE_ZONE,
      resourceGroupName: placement.resourceGroupName,
      tags: azureTags(placement, 'llm-gateway', OPENAI_PRIVATE_ZONE),
    });
    new PrivateDnsZoneVirtualNetworkLink(this, 'zone-link', {
      name: 'platform-vnet',
      resourceGroupName: placement.resourceGroupName,
      privateDnsZoneName: this.zone.name,
      virtualNetworkId: props.virtualNetworkId,
      registrationEnabled: false,
      tags: azureTags(placement, 'llm-gateway', OPENAI_PRIVATE_ZONE),
    });
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
        privateDnsZoneIds: [this.zone.id],
      });
    });
  }
}
