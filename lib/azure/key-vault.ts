import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { KeyVault } from '@cdktf/provider-azurerm/lib/key-vault';
import { KeyVaultKey } from '@cdktf/provider-azurerm/lib/key-vault-key';
import { KeyVaultSecret } from '@cdktf/provider-azurerm/lib/key-vault-secret';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { PrivateEndpoint } from '@cdktf/provider-azurerm/lib/private-endpoint';
import { ManagementLock } from '@cdktf/provider-azurerm/lib/management-lock';
import { AzurePlacement, azureTags, ROLES } from './placement';
import { privateLink } from './private-endpoint';
import { afterPropagation } from './propagation';

export interface SovereignKeyVaultProps {
  readonly placement: AzurePlacement;
  readonly name: string;
  readonly component: string;
  readonly tenantId: string;
  readonly softDeleteRetentionDays: number;
  /** Subnet for the vault's private endpoint. */
  readonly endpointSubnetId: string;
  /** `privatelink.vaultcore.azure.net` (ours or the landing zone's). */
  readonly privateDnsZoneIds?: readonly string[];
  /** The deploy identity's object id (stable, from config): Key Vault Crypto Officer when the vault holds keys. */
  readonly deployerPrincipalId: string;
  /** The drift identity's object id: Key Vault Reader (key metadata, no key material, no secret values). */
  readonly driftPrincipalId?: string;
  /** Keys are created here (the deployer gets Crypto Officer); false for a vault of application secrets. */
  readonly holdsKeys: boolean;
  /** A CanNotDelete lock: for the vault whose key etcd cannot be decrypted without. */
  readonly deleteLock?: boolean;
  /** The runner's route and name resolution (peering, zone links): no data-plane call before they exist. */
  readonly pathReady?: readonly ITerraformDependable[];
}

/** RSA-HSM, 3072 bits: HSM-protected (Premium vault), above the 2048-bit floor most baselines set. */
export const KEY_TYPE = 'RSA-HSM';
export const KEY_SIZE = 3072;
/** Rotate yearly; a version expires after two years, so a missed rotation is noticed before data is lost. */
export const KEY_ROTATION = { timeAfterCreation: 'P1Y', expireAfter: 'P2Y', notifyBeforeExpiry: 'P30D' } as const;

/**
 * Attributes the provider reads from the NEWEST key version (azurerm v4.55.0 key_vault_key_resource.go:
 * Read calls GetKey with version ""), which Key Vault, not Terraform, creates on rotation. A rotated
 * version carries the rotation policy's expiry; our configuration sets none, and the resource's
 * CustomizeDiff forces a new key when an expiration_date goes from set to unset. Without this every
 * plan after the first rotation would replace the key (terraform-provider-azurerm #22838, #29159).
 */
export const ROTATION_COMPUTED_ATTRIBUTES = ['expiration_date'] as const;

/**
 * A Premium (HSM-backed) Key Vault that only answers on its private endpoint: RBAC authorization (no
 * access policies), purge protection, soft delete, public network access off and a deny-by-default
 * network ACL. `AzureServices` bypass stays on because disk encryption sets, storage accounts and
 * registries unwrap their CMKs as trusted Azure services, not through our private endpoint.
 *
 * Creating keys is a data-plane call from the runner: the deploy identity (a stable object id from the
 * config, so a drift run by another identity plans no change) is granted Key Vault Crypto Officer on this
 * vault only, and keys wait for that grant to propagate, for the private endpoint and for the runner's
 * path (peering, DNS).
 */
export class SovereignKeyVault extends Construct {
  readonly vault: KeyVault;
  readonly endpoint: PrivateEndpoint;
  readonly deployerAccess?: RoleAssignment;
  private readonly placement: AzurePlacement;
  /** What a key waits for: the deployer's propagated grant, the endpoint, the runner's path. */
  private readonly keysReady: ITerraformDependable[];
  private readonly props: SovereignKeyVaultProps;
  /** The deployer's Secrets Officer grant, propagated: created with the first secret Terraform writes. */
  private secretsWritable?: ITerraformDependable;

  constructor(scope: Construct, id: string, props: SovereignKeyVaultProps) {
    super(scope, id);
    this.placement = props.placement;
    this.props = props;
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
    this.keysReady = [this.endpoint, ...(props.pathReady ?? [])];
    if (props.holdsKeys) {
      this.deployerAccess = new RoleAssignment(this, 'deployer-crypto-officer', {
        principalId: props.deployerPrincipalId,
        roleDefinitionName: ROLES.keyVaultCryptoOfficer,
        scope: this.vault.id,
      });
      this.keysReady.push(afterPropagation(this, 'deployer-crypto-officer-propagation', [this.deployerAccess]));
    }
    if (props.driftPrincipalId) {
      new RoleAssignment(this, 'drift-reader', { principalId: props.driftPrincipalId, roleDefinitionName: ROLES.keyVaultReader, scope: this.vault.id });
    }
    if (props.deleteLock) {
      new ManagementLock(this, 'delete-lock', {
        name: 'do-not-delete',
        scope: this.vault.id,
        lockLevel: 'CanNotDelete',
        notes: 'Holds the key etcd secrets are encrypted with: deleting the vault makes the cluster unrecoverable.',
      });
    }
  }

  /**
   * A secret whose value only Azure knows at apply time (`value` is a reference to another resource's
   * attribute, never a literal: nothing secret is synthesized). The deploy identity writes it, so it gets
   * Key Vault Secrets Officer on this vault (created once, with the first secret) and the write waits for
   * that grant, the endpoint and the runner's path. No expiry date: it would need a clock at synth; the
   * value is rotated by re-applying after the source rotates (docs/operations.md).
   */
  addSecret(id: string, name: string, value: string, component: string): KeyVaultSecret {
    if (!this.secretsWritable) {
      const officer = new RoleAssignment(this, 'deployer-secrets-officer', {
        principalId: this.props.deployerPrincipalId,
        roleDefinitionName: ROLES.keyVaultSecretsOfficer,
        scope: this.vault.id,
      });
      this.secretsWritable = afterPropagation(this, 'deployer-secrets-officer-propagation', [officer]);
    }
    return new KeyVaultSecret(this, id, {
      name,
      keyVaultId: this.vault.id,
      value,
      contentType: 'text/plain',
      tags: azureTags(this.placement, component, name),
      dependsOn: [this.endpoint, ...(this.props.pathReady ?? []), this.secretsWritable],
    });
  }

  /**
   * An HSM key with a rotation policy. Rotated versions expire after `expireAfter`; the first version
   * carries no `expiration_date` because a fixed date would need a clock at synth (or a date in the
   * config that silently goes stale) and an expired KMS key stops the cluster. Consumers that follow
   * rotation (disk encryption set, storage, registry) use the versionless id; AKS KMS needs a versioned
   * id, which the platform reads from the newest version (see AksPlatform).
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
      dependsOn: [...this.keysReady, ...dependsOn],
      lifecycle: { ignoreChanges: [...ROTATION_COMPUTED_ATTRIBUTES] },
    });
  }
}
