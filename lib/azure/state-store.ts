import { Construct } from 'constructs';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { KeyVaultKey } from '@cdktf/provider-azurerm/lib/key-vault-key';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { AzurePlacement, ROLES } from './placement';
import { SovereignKeyVault } from './key-vault';
import { ManagedIdentity } from './identity';
import { SecureStorageAccount } from './storage-account';

export interface AzureStateStoreProps {
  readonly environment: string;
  readonly region: string;
  readonly tenantId: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly resourceGroupName: string;
  readonly storageAccountName: string;
  readonly containerName: string;
  readonly keyVaultName: string;
  readonly softDeleteRetentionDays: number;
  /** ZRS where the region has zones, LRS where it has none. */
  readonly replication: 'ZRS' | 'LRS';
  /** The deploy runner's subnet: the only place the vault and the account are reachable from. */
  readonly runnerSubnetId: string;
  /**
   * The landing zone's central `privatelink.vaultcore.azure.net` and `privatelink.blob.core.windows.net`
   * zones: the endpoints register there. Without them the landing zone's own automation must register them.
   */
  readonly centralZoneIds?: { readonly vault: string; readonly blob: string };
  /** The deploy identity (stable object id from config): writes state. */
  readonly deployerPrincipalId: string;
  /** The drift identity: reads state (drift plans run with -lock=false: a reader cannot take the blob lease). */
  readonly driftPrincipalId?: string;
}

/**
 * Where every other stack of the environment keeps its Terraform state: a private storage account
 * (Entra ID only, versioning and soft delete, in-region replication) encrypted with a CMK. The key cannot
 * live in the platform's Key Vault, which is created later and keeps its own state here, so the state
 * store brings its own small Premium vault, key and user-assigned identity. Locking is the blob lease
 * the azurerm backend takes: nothing else to secure.
 *
 * Both get private endpoints in the deploy runner's subnet, registered in the landing zone's central
 * privatelink zones when the config names them (otherwise the landing zone's own automation, e.g. a
 * DeployIfNotExists policy, must register them: nothing else resolves them for the runner).
 */
export class AzureStateStore extends Construct {
  readonly resourceGroup: ResourceGroup;
  readonly keyVault: SovereignKeyVault;
  readonly key: KeyVaultKey;
  readonly identity: ManagedIdentity;
  readonly storage: SecureStorageAccount;
  readonly deployerAccess: RoleAssignment;

  constructor(scope: Construct, id: string, props: AzureStateStoreProps) {
    super(scope, id);
    this.resourceGroup = new ResourceGroup(this, 'resource-group', {
      name: props.resourceGroupName,
      location: props.region,
      tags: { ...props.tags, component: 'terraform-state' },
    });
    const placement: AzurePlacement = { location: props.region, resourceGroupName: this.resourceGroup.name, tags: props.tags };
    this.keyVault = new SovereignKeyVault(this, 'key-vault', {
      placement,
      name: props.keyVaultName,
      component: 'terraform-state',
      tenantId: props.tenantId,
      softDeleteRetentionDays: props.softDeleteRetentionDays,
      endpointSubnetId: props.runnerSubnetId,
      privateDnsZoneIds: props.centralZoneIds ? [props.centralZoneIds.vault] : undefined,
      deployerPrincipalId: props.deployerPrincipalId,
      driftPrincipalId: props.driftPrincipalId,
      holdsKeys: true,
    });
    this.key = this.keyVault.addKey('key', 'tfstate', 'terraform-state');
    this.identity = new ManagedIdentity(this, 'identity', { placement, name: `${props.environment}-tfstate-cmk`, component: 'terraform-state' });
    const keyGrant = this.identity.grant('key-encryption-user', ROLES.keyVaultCryptoServiceEncryptionUser, this.key.resourceVersionlessId);
    this.storage = new SecureStorageAccount(this, 'storage', {
      placement,
      name: props.storageAccountName,
      component: 'terraform-state',
      replication: props.replication,
      keyVaultKeyId: this.key.versionlessId,
      identityId: this.identity.identity.id,
      containers: [props.containerName],
      endpointSubnetId: props.runnerSubnetId,
      privateDnsZoneIds: props.centralZoneIds ? [props.centralZoneIds.blob] : undefined,
      // State history is the recovery path after a bad apply: keep versions and deletions for 90 days.
      retentionDays: 90,
      dependsOn: [keyGrant],
    });
    // The backend authenticates with Entra ID (shared keys are off): the deploy identity may read and
    // write state blobs in this container and nowhere else; the drift identity may only read them.
    const container = this.storage.containers[props.containerName].resourceManagerId;
    this.deployerAccess = new RoleAssignment(this, 'deployer-state-access', {
      principalId: props.deployerPrincipalId,
      roleDefinitionName: ROLES.storageBlobDataContributor,
      scope: container,
    });
    if (props.driftPrincipalId) {
      new RoleAssignment(this, 'drift-state-reader', { principalId: props.driftPrincipalId, roleDefinitionName: ROLES.storageBlobDataReader, scope: container });
    }
  }
}
