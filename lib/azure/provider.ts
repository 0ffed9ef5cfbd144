import { Construct } from 'constructs';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';

export interface SovereignAzureProviderProps {
  readonly environment: string;
  readonly region: string;
  readonly subscriptionId: string;
  readonly tenantId: string;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * Resource providers the platform needs registered on the subscription. The provider registers none
 * itself (see below); the landing zone registers these once, together with the `EncryptionAtHost`
 * feature of Microsoft.Compute that `host_encryption_enabled` needs.
 */
export const REQUIRED_RESOURCE_PROVIDERS = [
  'Microsoft.Compute',
  'Microsoft.ContainerRegistry',
  'Microsoft.ContainerService',
  'Microsoft.Insights',
  'Microsoft.KeyVault',
  'Microsoft.ManagedIdentity',
  'Microsoft.Network',
  'Microsoft.OperationalInsights',
  'Microsoft.Storage',
] as const;

/**
 * The azurerm provider pinned to the environment's subscription and tenant: credentials for another
 * subscription cannot apply this configuration by accident.
 *
 * - `resource_provider_registrations = "none"`: registering providers is a subscription-wide write that
 *   the deploy identity should not hold; with "core" the provider would try to register ~20 namespaces
 *   on first use and fail (or succeed, worse) under a least-privilege identity. The list above is what
 *   the landing zone registers instead.
 * - Key Vault: never purge on destroy (purge protection forbids it anyway, and a purged CMK makes every
 *   disk, blob and etcd snapshot it encrypted unreadable); recover soft-deleted vaults and keys instead
 *   of failing on a name that still exists.
 * - Resource groups are not deleted while they contain resources Terraform does not know about.
 * - Storage data plane off: the accounts have public network access and shared keys disabled, so the
 *   provider must manage them through Azure Resource Manager only (containers included).
 * - Log Analytics workspaces are soft-deleted, not permanently deleted, on destroy (audit trail).
 */
export function sovereignAzureProvider(scope: Construct, props: SovereignAzureProviderProps): AzurermProvider {
  return new AzurermProvider(scope, 'azurerm', {
    subscriptionId: props.subscriptionId,
    tenantId: props.tenantId,
    resourceProviderRegistrations: 'none',
    storageUseAzuread: true,
    features: [
      {
        keyVault: [
          {
            purgeSoftDeleteOnDestroy: false,
            purgeSoftDeletedKeysOnDestroy: false,
            purgeSoftDeletedSecretsOnDestroy: false,
            purgeSoftDeletedCertificatesOnDestroy: false,
            recoverSoftDeletedKeyVaults: true,
            recoverSoftDeletedKeys: true,
            recoverSoftDeletedSecrets: true,
            recoverSoftDeletedCertificates: true,
          },
        ],
        resourceGroup: [{ preventDeletionIfContainsResources: true }],
        storage: [{ dataPlaneAvailable: false }],
        logAnalyticsWorkspace: [{ permanentlyDeleteOnDestroy: false }],
      },
    ],
  });
}

/**
 * A second azurerm provider, aliased `hub`, for what the platform writes on the landing zone's side: the
 * hub half of the VNet peering. It authenticates as the same deploy identity, pinned to the hub's
 * subscription; registrations off for the same reason as above.
 */
export function hubAzureProvider(scope: Construct, props: { subscriptionId: string; tenantId: string }): AzurermProvider {
  return new AzurermProvider(scope, 'azurerm-hub', {
    alias: 'hub',
    subscriptionId: props.subscriptionId,
    tenantId: props.tenantId,
    resourceProviderRegistrations: 'none',
    features: [{}],
  });
}
