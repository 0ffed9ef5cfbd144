import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { StorageAccount } from '@cdktf/provider-azurerm/lib/storage-account';
import { StorageContainer } from '@cdktf/provider-azurerm/lib/storage-container';
import { PrivateEndpoint } from '@cdktf/provider-azurerm/lib/private-endpoint';
import { AzurePlacement, azureTags } from './placement';
import { privateLink } from './private-endpoint';

export interface SecureStorageAccountProps {
  readonly placement: AzurePlacement;
  readonly name: string;
  readonly component: string;
  /** ZRS where the region has zones, LRS where it has none. Never GRS/GZRS: they copy to the paired region. */
  readonly replication: 'ZRS' | 'LRS';
  /** Versionless Key Vault key id, so the account follows key rotation. */
  readonly keyVaultKeyId: string;
  /** User-assigned identity holding Key Vault Crypto Service Encryption User on that key. */
  readonly identityId: string;
  readonly containers: readonly string[];
  readonly endpointSubnetId: string;
  readonly privateDnsZoneIds?: readonly string[];
  /** Soft delete and version retention for blobs and containers. */
  readonly retentionDays: number;
  /**
   * Let trusted Azure services write through the firewall (Network Watcher's flow logs do: they arrive
   * from Azure's backbone, not through the private endpoint). Off for every account workloads use.
   */
  readonly trustedServicesBypass?: boolean;
  /**
   * Allow shared-key (account key) requests. Only for an account that holds one application's data alone,
   * when that application's storage client cannot use Entra ID (Langfuse on Azure Blob: see
   * LangfuseBlobStore). The key then reaches that data only, through the private endpoint only.
   */
  readonly sharedKeyAccess?: boolean;
  /** The identity's key grant: the account cannot be created before it. */
  readonly dependsOn: ITerraformDependable[];
}

/**
 * A blob storage account reachable only on its private endpoint and only with Entra ID: public network
 * access off, shared keys off (no account keys, no SAS; see `sharedKeyAccess` for the one exception), TLS 1.2, infrastructure (double) encryption,
 * customer-managed key, in-region replication only, versioning and soft delete on, no anonymous or
 * cross-tenant access, and copies limited to private-link sources.
 */
export class SecureStorageAccount extends Construct {
  readonly account: StorageAccount;
  readonly containers: Record<string, StorageContainer>;
  readonly endpoint: PrivateEndpoint;

  constructor(scope: Construct, id: string, props: SecureStorageAccountProps) {
    super(scope, id);
    this.account = new StorageAccount(this, 'account', {
      name: props.name,
      location: props.placement.location,
      resourceGroupName: props.placement.resourceGroupName,
      accountKind: 'StorageV2',
      accountTier: 'Standard',
      accountReplicationType: props.replication,
      accessTier: 'Hot',
      publicNetworkAccessEnabled: false,
      sharedAccessKeyEnabled: props.sharedKeyAccess === true,
      // With keys on, the holder can also sign SAS URLs (Langfuse signs media and export links): any SAS
      // valid for more than a day is recorded in the account's audit logs. `Log`, not `Block`: a refused
      // link would break Langfuse's downloads without telling anyone why.
      ...(props.sharedKeyAccess ? { sasPolicy: { expirationPeriod: '01.00:00:00', expirationAction: 'Log' } } : {}),
      defaultToOauthAuthentication: true,
      httpsTrafficOnlyEnabled: true,
      minTlsVersion: 'TLS1_2',
      infrastructureEncryptionEnabled: true,
      allowNestedItemsToBePublic: false,
      crossTenantReplicationEnabled: false,
      allowedCopyScope: 'PrivateLink',
      localUserEnabled: false,
      sftpEnabled: false,
      identity: { type: 'UserAssigned', identityIds: [props.identityId] },
      customerManagedKey: { keyVaultKeyId: props.keyVaultKeyId, userAssignedIdentityId: props.identityId },
      networkRules: { defaultAction: 'Deny', bypass: [props.trustedServicesBypass ? 'AzureServices' : 'None'], ipRules: [], virtualNetworkSubnetIds: [] },
      blobProperties: {
        versioningEnabled: true,
        changeFeedEnabled: true,
        changeFeedRetentionInDays: props.retentionDays,
        deleteRetentionPolicy: { days: props.retentionDays },
        containerDeleteRetentionPolicy: { days: props.retentionDays },
      },
      tags: azureTags(props.placement, props.component, props.name),
      dependsOn: props.dependsOn,
    });
    this.containers = Object.fromEntries(
      props.containers.map((name) => [
        name,
        // storage_account_id (not _name): containers are managed through Resource Manager, which works with
        // public access and shared keys off; the data-plane API would not.
        new StorageContainer(this, `container-${name}`, { name, storageAccountId: this.account.id, containerAccessType: 'private' }),
      ]),
    );
    this.endpoint = privateLink(this, 'endpoint-blob', {
      placement: props.placement,
      name: `${props.name}-blob`,
      component: props.component,
      subnetId: props.endpointSubnetId,
      resourceId: this.account.id,
      subresource: 'blob',
      privateDnsZoneIds: props.privateDnsZoneIds,
    });
  }
}
