import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { ContainerRegistry } from '@cdktf/provider-azurerm/lib/container-registry';
import { PrivateEndpoint } from '@cdktf/provider-azurerm/lib/private-endpoint';
import { ContainerRegistryCacheRule } from '@cdktf/provider-azurerm/lib/container-registry-cache-rule';
import { AzurePlacement, azureTags } from './placement';
import { privateLink } from './private-endpoint';

export interface PrivateRegistryProps {
  readonly placement: AzurePlacement;
  readonly name: string;
  readonly zoneRedundant: boolean;
  readonly keyVaultKeyId: string;
  readonly identityId: string;
  readonly identityClientId: string;
  readonly endpointSubnetId: string;
  readonly privateDnsZoneIds: readonly string[];
  /** The cache rule network-isolated nodes bootstrap from (anonymous upstream: no credential set). */
  readonly bootstrapCacheRule: { readonly name: string; readonly sourceRepo: string; readonly targetRepo: string };
  readonly dependsOn: ITerraformDependable[];
}

/**
 * The platform registry, which is also the environment's in-region mirror (`registry.imageMirror` and
 * `chartMirror` must point at it: the kubelet may pull from it and nothing else). Premium (the tier with private endpoints and CMK), encrypted with our key
 * through a user-assigned identity, admin user and anonymous pull off, public network access off, no
 * geo-replication (it would copy images out of the region), export off (images cannot be copied to
 * another registry), dedicated data endpoints so layer downloads also go through the private endpoint.
 * Content trust stays off: ACR does not support it on CMK-encrypted registries, and Microsoft is
 * retiring it; image signing belongs to the supply-chain policy instead.
 */
export class PrivateRegistry extends Construct {
  readonly registry: ContainerRegistry;
  readonly endpoint: PrivateEndpoint;
  readonly cacheRules: ContainerRegistryCacheRule[];

  constructor(scope: Construct, id: string, props: PrivateRegistryProps) {
    super(scope, id);
    this.registry = new ContainerRegistry(this, 'registry', {
      name: props.name,
      location: props.placement.location,
      resourceGroupName: props.placement.resourceGroupName,
      sku: 'Premium',
      adminEnabled: false,
      anonymousPullEnabled: false,
      publicNetworkAccessEnabled: false,
      exportPolicyEnabled: false,
      dataEndpointEnabled: true,
      networkRuleBypassOption: 'None',
      zoneRedundancyEnabled: props.zoneRedundant,
      quarantinePolicyEnabled: false,
      trustPolicyEnabled: false,
      // Untagged manifests are deleted after a week: a re-push never leaves unreferenced layers for long.
      retentionPolicyInDays: 7,
      georeplications: [],
      identity: { type: 'UserAssigned', identityIds: [props.identityId] },
      encryption: [{ keyVaultKeyId: props.keyVaultKeyId, identityClientId: props.identityClientId }],
      tags: azureTags(props.placement, 'registry', props.name),
      dependsOn: props.dependsOn,
    });
    this.endpoint = privateLink(this, 'endpoint', {
      placement: props.placement,
      name: `${props.name}-registry`,
      component: 'registry',
      subnetId: props.endpointSubnetId,
      resourceId: this.registry.id,
      subresource: 'registry',
      privateDnsZoneIds: props.privateDnsZoneIds,
    });
    const rule = props.bootstrapCacheRule;
    this.cacheRules = [
      new ContainerRegistryCacheRule(this, `cache-${rule.name}`, { name: rule.name, containerRegistryId: this.registry.id, sourceRepo: rule.sourceRepo, targetRepo: rule.targetRepo }),
    ];
  }
}
