import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { KeyVault } from '@cdktf/provider-azurerm/lib/key-vault';
import { KeyVaultKey } from '@cdktf/provider-azurerm/lib/key-vault-key';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { PrivateEndpoint } from '@cdktf/provider-azurerm/lib/private-endpoint';
import { DataAzurermClientConfig } from '@cdktf/provider-azurerm/lib/data-azurerm-client-config';
import { AzurePlacement, azureTags, ROLES } from './placement';
import { privateLink } from './private-endpoint';

export interface SovereignKeyVaultProps {
  readonly placement: AzurePlacement;
  readonly name: string;
  readonly component: string;
  readonly tenantId: string;
  readonly softDeleteRetentionDays: number;
  /** Subnet for the vault's private endpoint. */
  readonly endpointSubnetId: string;
  /** `privatelink.vaultcore.azure.net` when we own the zone. */
  readonly privateDnsZoneIds?: readonly string[];
}

/** RSA-HSM, 3072 bits: HSM-protected (Premium vault), above the 2048-bit floor most baselines set. */
export const KEY_TYPE = 'RSA-HSM';
export const KEY_SIZE = 3072;
/** Rotate yearly; a version expires after two years, so a missed rotation is noticed before data is lost. */
export const KEY_ROTATION = { timeAfterCreation: 'P1Y', expireAfter: 'P2Y', notifyBeforeExpiry: 'P30D' } as const;

/**
 * A Premium (HSM-backed) Key Vault that only answers on its private endpoint: RBAC authorization (no
 * access policies), purge protection, soft delete, public network access off and a deny-by-default
 * network ACL. `AzureServices` bypass stays on because disk encryption sets, storage accounts and
 * registries unwrap their CMKs as trusted Azure services, not through our private endpoint.
 *
 * Creating keys is a data-plane call: the deployer (whoever runs Terraform, read at plan time, never at
 * synth) is granted Key Vault Crypto Officer on this vault only, and keys wait for that grant and for
 * the private endpoint.
 */
export class SovereignKeyVault extends Construct {
  readonly vault: KeyVault;
  readonly endpoint: PrivateEndpoint;
  readonly deployerAccess: RoleAssignment;
  private readonly placement: AzurePlacement;

  constructor(scope: Construct, id: string, props: SovereignKeyVaultProps) {
    super(scope, id);
    this.placement = props.placement;
    this.vault = new KeyVault(this, 'vault', {
      name: props.name,
      location: props.placement.location,
      resourceGroupName: props.placement.resourceGroupName,
      tenantId: props.tenantId,
      skuName: 'premium',
      rbacAuthorizationEnabled: true,
      purgeProtectionEnabled: true,
      softDeleteRetentionDays: props.softDeleteRetentionDays,
      publicNetworkAccessEnabled: false,
      enabledForDeployment: false,
      enabledForDiskEncryption: false,
      enabledForTemplateDeployment: false,
      networkAcls: { defaultAction: 'Deny', bypass: 'AzureServices', ipRules: [], virtualNetworkSubnetIds: [] },
      tags: azureTags(props.placement, props.component, props.name),
    });
    this.endpoint = privateLink(this, 'endpoint', {
      placement: props.placement,
      name: `${props.name}-vault`,
      component: props.component,
      subnetId: props.endpointSubnetId,
      resourceId: this.vault.id,
      subresource: 'vault',
      privateDnsZoneIds: props.privateDnsZoneIds,
    });
    const deployer = new DataAzurermClientConfig(this, 'deployer', {});
    this.deployerAccess = new RoleAssignment(this, 'deployer-crypto-officer', {
      principalId: deployer.objectId,
      roleDefinitionName: ROLES.keyVaultCryptoOfficer,
      scope: this.vault.id,
    });
  }

  /**
   * An HSM key with a rotation policy. Rotated versions expire after `expireAfter`; the first version
   * carries no `expiration_date` because a fixed date would need a clock at synth (or a date in the
   * config that silently goes stale) and an expired KMS key stops the cluster. Consumers that follow
   * rotation (disk encryption set, storage, registry) use the versionless id; AKS KMS needs a versioned
   * id, which Terraform updates on the next apply after a rotation.
   */
  addKey(id: string, name: string, component: string, dependsOn: ITerraformDependable[] = []): KeyVaultKey {
    return new KeyVaultKey(this, id, {
      name,
      keyVaultId: this.vault.id,
      keyType: KEY_TYPE,
      keySize: KEY_SIZE,
      keyOpts: ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'],
      rotationPolicy: {
        automatic: { timeAfterCreation: KEY_ROTATION.timeAfterCreation },
        expireAfter: KEY_ROTATION.expireAfter,
        notifyBeforeExpiry: KEY_ROTATION.notifyBeforeExpiry,
      },
      tags: azureTags(this.placement, component, name),
      dependsOn: [this.deployerAccess, this.endpoint, ...dependsOn],
    });
  }
}
