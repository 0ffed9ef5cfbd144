import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { KeyVaultKey } from '@cdktf/provider-azurerm/lib/key-vault-key';
import { DiskEncryptionSet } from '@cdktf/provider-azurerm/lib/disk-encryption-set';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { DataAzurermKeyVaultKey } from '@cdktf/provider-azurerm/lib/data-azurerm-key-vault-key';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { GPU_FAMILY_LABEL, GPU_PRESENT_LABEL, GPU_TAINT } from '../sovereignty/gpu';
import { POOL_LABEL } from '../cluster/pools';
import { AzurePlacement, ROLES } from './placement';
import { azureNames } from './names';
import { AksNetwork } from './network';
import { PrivateZoneKey, PrivateZones } from './private-dns';
import { SovereignKeyVault, SovereignKeyVaultProps } from './key-vault';
import { ManagedIdentity } from './identity';
import { nodeDiskEncryptionSet } from './disk-encryption-set';
import { PoolSize, PrivateAksCluster } from './aks-cluster';
import { AksNodePool } from './node-pool';
import { PrivateRegistry } from './container-registry';
import { SecureStorageAccount, SecureStorageAccountProps } from './storage-account';
import { AKS_LOG_CATEGORIES, PlatformLogs } from './log-analytics';
import { AzureOpenAiEndpoints } from './openai-endpoints';
import { afterPropagation } from './propagation';
import { VnetFlowLogs } from './flow-logs';
import { nameOf, resourceGroupOf } from './resource-id';
import { secretPath } from '../kubernetes/secret-catalog';

export interface AksPlatformProps {
  readonly environment: string;
  readonly region: string;
  readonly tenantId: string;
  /** Environment tags (environment, managed-by, config tags). */
  readonly tags: Readonly<Record<string, string>>;
  /** Zone names from the region catalog, already cut to network.zoneCount; empty where the region has none. */
  readonly zones: readonly string[];
  readonly vnetCidr: string;
  readonly podCidr: string;
  readonly serviceCidr: string;
  /** `isolated`: outbound type none, bootstrap from the registry cache; `firewall`: userDefinedRouting. */
  readonly egress: 'isolated' | 'firewall';
  /** The hub firewall the node subnet routes 0.0.0.0/0 to; required for `firewall` egress. */
  readonly firewallPrivateIp?: string;
  readonly landingZone: {
    /** The hub VNet to peer with, and the provider aliased to its subscription. */
    readonly hub?: { readonly virtualNetworkId: string; readonly provider: AzurermProvider };
    readonly spokeVirtualNetworkId?: string;
    readonly privateDnsZoneIds?: Readonly<Record<PrivateZoneKey, string>> & { readonly openai?: string };
    /** Default: Azure's `NetworkWatcherRG/NetworkWatcher_<region>`. */
    readonly networkWatcherId?: string;
  };
  /** Stable object ids from the config: the deploy identity (keys, cluster admin) and the read-only drift identity. */
  readonly deployerPrincipalId: string;
  readonly driftPrincipalId?: string;
  readonly kubernetesVersion: string;
  readonly adminGroupObjectIds: readonly string[];
  readonly softDeleteRetentionDays: number;
  readonly logRetentionDays: number;
  readonly pools: { readonly system: PoolSize; readonly general: PoolSize; readonly gpu: PoolSize & { readonly family: string } };
  /** Azure OpenAI accounts (ARM ids) the LLM gateway calls: each gets a private endpoint in the VNet. */
  readonly openAiAccountIds?: readonly string[];
}

export type AzureKeyPurpose = 'aks-etcd' | 'node-disks' | 'storage' | 'registry';
/** Keys of the CMK vault; the etcd key has a vault of its own. */
const DATA_KEY_PURPOSES = ['node-disks', 'storage', 'registry'] as const;

/**
 * The ACR cache rule network-isolated AKS bootstraps from: nodes pull their artifacts from
 * `<registry>/aks-managed-repository/*`, which the registry fills from MCR on first pull (the registry
 * fetches upstream on Azure's side; the VNet needs no egress). Name and repositories as AKS documents them.
 */
export const AKS_BOOTSTRAP_CACHE_RULE = { name: 'aks-managed-mcr', sourceRepo: 'mcr.microsoft.com/*', targetRepo: 'aks-managed-repository/*' } as const;

/** Container for backups and model files; workload identities get prefixes inside it. */
export const PLATFORM_CONTAINER = 'platform';

/** Key Vault secret names allow no `/`: entries are `rag-<env>-<component>-<key>`. */
export const AZURE_SECRET_SEPARATOR = '-';

/**
 * Langfuse's blobs live in an account of their own: Langfuse's Azure Blob client authenticates only with
 * the account name and key (`StorageSharedKeyCredential` in its StorageService, v4.4.0 and still v4.16.0),
 * and the platform account refuses keys. The key reaches this account's data only, through its private
 * endpoint only; Terraform writes it to the secrets vault (entry `langfuse/blob-account-key`) and
 * external-secrets hands it to Langfuse. When Langfuse can use workload identity for blobs
 * (langfuse/langfuse#15596), this account goes and Langfuse moves to a prefix of the platform container.
 */
export const LANGFUSE_BLOB = { container: 'langfuse', secret: { component: 'langfuse', key: 'blob-account-key' } } as const;

/**
 * The Azure cloud layer of one environment, the AKS counterpart of EksPlatform, built to apply the first
 * time inside a hub-and-spoke landing zone:
 * - network: our spoke (new, or vended) peered with the hub both ways; privatelink names in the landing
 *   zone's central zones (or ours, linked to the hub too); every data-plane call and the cluster wait
 *   for that path;
 * - keys: one HSM key per purpose in a Premium CMK vault, the etcd key in a vault of its own with a
 *   delete lock, application secrets in a third vault; rotation never replaces a key;
 * - identities: least-privilege user-assigned identities, each group of grants followed by a
 *   propagation wait; the deploy and drift identities are stable ids from the config;
 * - a private, network-isolated AKS cluster (or UDR through the hub firewall) that bootstraps from the
 *   platform registry's cache, a private Premium registry that is also the image mirror, a private
 *   storage account and an in-region Log Analytics workspace.
 */
export class AksPlatform extends Construct {
  readonly placement: AzurePlacement;
  readonly resourceGroup: ResourceGroup;
  readonly network: AksNetwork;
  readonly dns: PrivateZones;
  /** CMKs of disks, storage and registry. */
  readonly keyVault: SovereignKeyVault;
  /** The etcd (KMS) key alone, delete-locked. */
  readonly kmsVault: SovereignKeyVault;
  /** Application secrets (external-secrets reads and writes here): no key lives in it. */
  readonly secretsVault: SovereignKeyVault;
  readonly keys: Record<AzureKeyPurpose, KeyVaultKey>;
  readonly identities: Record<'controlPlane' | 'kubelet' | 'diskEncryption' | 'storage' | 'registry', ManagedIdentity>;
  readonly diskEncryptionSet: DiskEncryptionSet;
  readonly cluster: PrivateAksCluster;
  readonly nodePools: Record<'general' | 'gpu', AksNodePool>;
  readonly registry: PrivateRegistry;
  readonly storage: SecureStorageAccount;
  /** Langfuse's blobs alone, with shared keys on (LANGFUSE_BLOB). */
  readonly langfuseStorage: SecureStorageAccount;
  readonly logs: PlatformLogs;
  readonly kubeletAcrPull: RoleAssignment;
  /** The region has zones to spread over: ZRS storage and disks, zone-redundant registry. */
  readonly zoneRedundant: boolean;
  /** What every vault of the environment shares: placement, retention, private endpoint and zone, deploy/drift identities. */
  private readonly vaultDefaults: Omit<SovereignKeyVaultProps, 'name' | 'component' | 'holdsKeys'>;

  constructor(scope: Construct, id: string, props: AksPlatformProps) {
    super(scope, id);
    const names = azureNames(props.environment);
    this.zoneRedundant = props.zones.length > 1;
    this.resourceGroup = new ResourceGroup(this, 'resource-group', {
      name: names.resourceGroup,
      location: props.region,
      tags: { ...props.tags, component: 'platform' },
    });
    const placement: AzurePlacement = { location: props.region, resourceGroupName: this.resourceGroup.name, tags: props.tags };
    this.placement = placement;

    const { landingZone } = props;
    this.network = new AksNetwork(this, 'network', {
      placement,
      environment: props.environment,
      cidr: props.vnetCidr,
      firewallPrivateIp: props.firewallPrivateIp,
      spokeVirtualNetworkId: landingZone.spokeVirtualNetworkId,
      hub: landingZone.hub,
    });
    this.dns = new PrivateZones(this, 'private-dns', {
      placement,
      region: props.region,
      virtualNetworkId: this.network.virtualNetworkId,
      centralZoneIds: landingZone.privateDnsZoneIds,
      hubVirtualNetworkId: landingZone.hub?.virtualNetworkId,
    });
    // The runner in the hub can route to and resolve the spoke's endpoints only after these exist.
    const pathReady = [...this.network.pathReady, ...this.dns.ready];
    this.logs = new PlatformLogs(this, 'logs', { placement, name: names.logs, retentionDays: props.logRetentionDays });

    this.vaultDefaults = {
      placement,
      tenantId: props.tenantId,
      softDeleteRetentionDays: props.softDeleteRetentionDays,
      endpointSubnetId: this.network.endpointSubnet.id,
      privateDnsZoneIds: [this.dns.zoneIds.vault],
      deployerPrincipalId: props.deployerPrincipalId,
      driftPrincipalId: props.driftPrincipalId,
    };
    const vault = (id: string, name: string, component: string, options: { holdsKeys: boolean; deleteLock?: boolean }) =>
      this.addKeyVault(this, id, { name, component, pathReady, ...options });
    this.keyVault = vault('key-vault', names.keyVault, 'keys', { holdsKeys: true });
    this.kmsVault = vault('kms-key-vault', names.kmsKeyVault, 'aks-kms', { holdsKeys: true, deleteLock: true });
    this.secretsVault = vault('secrets-key-vault', names.secretsKeyVault, 'secrets', { holdsKeys: false });
    this.keys = {
      ...(Object.fromEntries(DATA_KEY_PURPOSES.map((purpose) => [purpose, this.keyVault.addKey(`key-${purpose}`, purpose, 'keys')])) as Record<(typeof DATA_KEY_PURPOSES)[number], KeyVaultKey>),
      'aks-etcd': this.kmsVault.addKey('key-aks-etcd', 'aks-etcd', 'aks-kms'),
    };

    const identity = (key: string, component: string) => new ManagedIdentity(this, `identity-${key}`, { placement, name: `${props.environment}-${key}`, component });
    this.identities = {
      controlPlane: identity('aks-control-plane', 'aks'),
      kubelet: identity('aks-kubelet', 'aks'),
      diskEncryption: identity('disk-encryption', 'disk-encryption'),
      storage: identity('storage-cmk', 'platform-storage'),
      registry: identity('registry-cmk', 'registry'),
    };
    // Services that wrap/unwrap a data key get exactly that, on their own key only.
    const keyUser = (who: ManagedIdentity, purpose: AzureKeyPurpose) => who.grant(`key-${purpose}-encryption-user`, ROLES.keyVaultCryptoServiceEncryptionUser, this.keys[purpose].resourceVersionlessId);
    const dataKeyGrants = afterPropagation(this, 'data-key-grants-propagation', [
      keyUser(this.identities.diskEncryption, 'node-disks'),
      keyUser(this.identities.storage, 'storage'),
      keyUser(this.identities.registry, 'registry'),
    ]);

    this.diskEncryptionSet = nodeDiskEncryptionSet(this, 'disk-encryption-set', {
      placement,
      name: names.diskEncryptionSet,
      keyVaultKeyId: this.keys['node-disks'].versionlessId,
      identityId: this.identities.diskEncryption.identity.id,
      dependsOn: [dataKeyGrants],
    });

    this.registry = new PrivateRegistry(this, 'orchestrator-registry', {
      placement,
      name: names.registry,
      zoneRedundant: this.zoneRedundant,
      keyVaultKeyId: this.keys.registry.versionlessId,
      identityId: this.identities.registry.identity.id,
      identityClientId: this.identities.registry.identity.clientId,
      endpointSubnetId: this.network.endpointSubnet.id,
      privateDnsZoneIds: [this.dns.zoneIds.registry],
      bootstrapCacheRule: AKS_BOOTSTRAP_CACHE_RULE,
      dependsOn: [dataKeyGrants],
    });
    this.logs.diagnostics(this.registry, 'diagnostics', this.registry.registry.id, { categoryGroups: ['audit'] });
    // Nodes pull (bootstrap artifacts, the mirror, the orchestrator) as our kubelet identity; pull only,
    // this registry only. Granted before the cluster exists: isolated nodes pull while they boot.
    this.kubeletAcrPull = this.identities.kubelet.grant('kubelet-acr-pull', ROLES.acrPull, this.registry.registry.id);

    const controlPlane = this.identities.controlPlane;
    const controlPlaneGrants = [
      // KMS v2 encrypts and decrypts etcd's data keys with this key and no other.
      controlPlane.grant('kms-key-crypto-user', ROLES.keyVaultCryptoUser, this.keys['aks-etcd'].resourceVersionlessId),
      // AKS documents this management-plane role as required for KMS with a private vault (key_vault_network_access
      // = Private). Under RBAC authorization it grants no access to keys, secrets or certificates; it is
      // held on the etcd key's own vault, not on the vault of the other CMKs or of application secrets.
      controlPlane.grant('kms-vault-contributor', ROLES.keyVaultContributor, this.kmsVault.vault.id),
      // The private API's A record goes into the AKS zone (ours or the landing zone's).
      controlPlane.grant('aks-dns-zone-contributor', ROLES.privateDnsZoneContributor, this.dns.zoneIds.aks),
      // API server VNet integration places the API server's internal load balancer in this subnet.
      controlPlane.grant('apiserver-subnet-network-contributor', ROLES.networkContributor, this.network.apiServerSubnet.id),
      // Bring-your-own subnet: AKS joins nodes to it.
      controlPlane.grant('nodes-subnet-network-contributor', ROLES.networkContributor, this.network.nodeSubnet.id),
      // CSI volumes are created with our disk encryption set; reading it is all the cluster needs.
      controlPlane.grant('disk-encryption-set-reader', ROLES.reader, this.diskEncryptionSet.id),
      // A user-assigned kubelet identity is assigned to the nodes by the control plane.
      controlPlane.grant('kubelet-identity-operator', ROLES.managedIdentityOperator, this.identities.kubelet.identity.id),
    ];
    if (this.network.routeTable) {
      // Bring-your-own route table (UDR): AKS checks and may join it.
      controlPlaneGrants.push(controlPlane.grant('route-table-network-contributor', ROLES.networkContributor, this.network.routeTable.id));
    }
    const clusterGrants = afterPropagation(this, 'cluster-grants-propagation', [...controlPlaneGrants, this.kubeletAcrPull]);

    // KMS needs a versioned key id, and the resource's own `id` stays on the version Terraform created
    // (azurerm reads attributes from the newest version but never moves the id). The data source reads
    // the newest version: after a rotation the next plan moves KMS to it, an in-place cluster update.
    const currentEtcdKey = new DataAzurermKeyVaultKey(this, 'key-aks-etcd-current', {
      name: this.keys['aks-etcd'].name,
      keyVaultId: this.kmsVault.vault.id,
      dependsOn: [this.keys['aks-etcd']],
    });

    const { system, general, gpu } = props.pools;
    this.cluster = new PrivateAksCluster(this, 'aks', {
      placement,
      name: names.cluster,
      tenantId: props.tenantId,
      kubernetesVersion: props.kubernetesVersion,
      adminGroupObjectIds: props.adminGroupObjectIds,
      identityId: controlPlane.identity.id,
      kubeletIdentity: this.identities.kubelet.identity,
      privateDnsZoneId: this.dns.zoneIds.aks,
      nodeSubnetId: this.network.nodeSubnet.id,
      apiServerSubnetId: this.network.apiServerSubnet.id,
      kmsKeyId: currentEtcdKey.id,
      diskEncryptionSetId: this.diskEncryptionSet.id,
      podCidr: props.podCidr,
      serviceCidr: props.serviceCidr,
      zones: props.zones,
      systemPool: system,
      egress: props.egress === 'isolated' ? { outboundType: 'none', bootstrapRegistryId: this.registry.registry.id } : { outboundType: 'userDefinedRouting' },
      dependsOn: [clusterGrants, ...this.network.nodeSubnetReady, ...pathReady, this.kmsVault.endpoint, this.registry.endpoint, ...this.registry.cacheRules],
    });
    const cluster = this.cluster.cluster;
    this.logs.diagnostics(this.cluster, 'diagnostics', cluster.id, { categories: AKS_LOG_CATEGORIES });
    this.grantClusterAccess(props.deployerPrincipalId, props.driftPrincipalId);

    const common = {
      placement,
      clusterId: cluster.id,
      clusterName: names.cluster,
      kubernetesVersion: props.kubernetesVersion,
      nodeSubnetId: this.network.nodeSubnet.id,
      zones: props.zones,
    };
    this.nodePools = {
      general: new AksNodePool(this, 'pool-general', { ...common, poolName: 'general', size: general, labels: { [POOL_LABEL]: 'general' }, taints: [] }),
      gpu: new AksNodePool(this, 'pool-gpu', {
        ...common,
        poolName: 'gpu',
        size: gpu,
        labels: { [POOL_LABEL]: 'gpu', [GPU_FAMILY_LABEL]: gpu.family, [GPU_PRESENT_LABEL]: 'true' },
        taints: [GPU_TAINT],
      }),
    };

    // Workload storage accounts: in-region replication, the storage CMK, blob endpoint only, audit logs.
    const storageAccount = (id: string, props: Pick<SecureStorageAccountProps, 'name' | 'component' | 'containers' | 'sharedKeyAccess'>) => {
      const account = new SecureStorageAccount(this, id, {
        placement,
        replication: this.zoneRedundant ? 'ZRS' : 'LRS',
        keyVaultKeyId: this.keys.storage.versionlessId,
        identityId: this.identities.storage.identity.id,
        endpointSubnetId: this.network.endpointSubnet.id,
        privateDnsZoneIds: [this.dns.zoneIds.blob],
        retentionDays: 30,
        dependsOn: [dataKeyGrants],
        ...props,
      });
      this.logs.diagnostics(account, 'diagnostics', `${account.account.id}/blobServices/default`, { categoryGroups: ['audit'] });
      return account;
    };
    this.storage = storageAccount('platform-storage', { name: names.storageAccount, component: 'platform-storage', containers: [PLATFORM_CONTAINER] });
    this.langfuseStorage = storageAccount('langfuse-storage', {
      name: names.langfuseStorageAccount,
      component: 'langfuse',
      containers: [LANGFUSE_BLOB.container],
      sharedKeyAccess: true,
    });
    // The key as a vault secret named the way the ClusterSecretStore reads `rag/<env>/langfuse/...` here.
    this.secretsVault.addSecret(
      'langfuse-blob-account-key',
      secretPath({ separator: AZURE_SECRET_SEPARATOR }, props.environment, LANGFUSE_BLOB.secret.component, LANGFUSE_BLOB.secret.key),
      this.langfuseStorage.account.primaryAccessKey,
      'langfuse',
    );
    new VnetFlowLogs(this, 'flow-logs', {
      placement,
      environment: props.environment,
      storageAccountName: names.flowLogStorageAccount,
      virtualNetworkId: this.network.virtualNetworkId,
      networkWatcher: landingZone.networkWatcherId
        ? { name: nameOf(landingZone.networkWatcherId), resourceGroupName: resourceGroupOf(landingZone.networkWatcherId) }
        : { name: `NetworkWatcher_${props.region}`, resourceGroupName: 'NetworkWatcherRG' },
      retentionDays: props.logRetentionDays,
      zoneRedundant: this.zoneRedundant,
      keyVaultKeyId: this.keys.storage.versionlessId,
      identityId: this.identities.storage.identity.id,
      endpointSubnetId: this.network.endpointSubnet.id,
      privateDnsZoneId: this.dns.zoneIds.blob,
      workspace: this.logs.workspace,
      dependsOn: [dataKeyGrants],
    });
    if (props.openAiAccountIds?.length) {
      new AzureOpenAiEndpoints(this, 'openai-endpoints', {
        placement,
        environment: props.environment,
        virtualNetworkId: this.network.virtualNetworkId,
        subnetId: this.network.endpointSubnet.id,
        accountIds: props.openAiAccountIds,
        // rules.ts requires the central zone when the landing zone owns the privatelink zones.
        zone: landingZone.privateDnsZoneIds ? { centralZoneId: landingZone.privateDnsZoneIds.openai! } : { hubVirtualNetworkId: landingZone.hub?.virtualNetworkId },
      });
    }
    this.addOutputs();
  }

  /**
   * The deploy identity administers the cluster through Azure RBAC (the Kubernetes stacks apply as it,
   * via kubelogin) and pulls charts from the platform registry (helm, after `helm registry login` with an
   * `az acr login --expose-token` token); the drift identity reads. All wait for propagation so the next
   * stack's first call is authorised.
   */
  private grantClusterAccess(deployerPrincipalId: string, driftPrincipalId?: string): void {
    const clusterId = this.cluster.cluster.id;
    const grants = [
      new RoleAssignment(this, 'deployer-cluster-admin', { principalId: deployerPrincipalId, roleDefinitionName: ROLES.kubernetesRbacClusterAdmin, scope: clusterId }),
      new RoleAssignment(this, 'deployer-chart-pull', { principalId: deployerPrincipalId, roleDefinitionName: ROLES.acrPull, scope: this.registry.registry.id }),
    ];
    if (driftPrincipalId) {
      grants.push(
        new RoleAssignment(this, 'drift-cluster-reader', { principalId: driftPrincipalId, roleDefinitionName: ROLES.kubernetesRbacReader, scope: clusterId }),
        // Control-plane reads of everything in the platform resource group (no data-plane access).
        new RoleAssignment(this, 'drift-reader', { principalId: driftPrincipalId, roleDefinitionName: ROLES.reader, scope: this.resourceGroup.id }),
      );
    }
    afterPropagation(this, 'cluster-access-propagation', grants);
  }

  /** What an auditor (and the workloads stack) reads off the platform: where things are, which key. */
  private addOutputs(): void {
    const cluster = this.cluster.cluster;
    new TerraformOutput(this, 'cluster_name', { value: cluster.name });
    new TerraformOutput(this, 'cluster_private_fqdn', { value: cluster.privateFqdn, description: 'Private API only (no public FQDN)' });
    new TerraformOutput(this, 'oidc_issuer_url', { value: cluster.oidcIssuerUrl });
    new TerraformOutput(this, 'registry_login_server', { value: this.registry.registry.loginServer });
    new TerraformOutput(this, 'platform_storage_account', { value: this.storage.account.name });
    new TerraformOutput(this, 'key_vault_uri', { value: this.keyVault.vault.vaultUri });
    new TerraformOutput(this, 'key_ids', {
      value: Object.fromEntries(Object.entries(this.keys).map(([purpose, key]) => [purpose, key.versionlessId])),
    });
  }

  /**
   * A vault like the platform's (private endpoint in the endpoint subnet with the vault zone, RBAC, purge
   * protection, audit logs to the platform workspace), created in `scope`: another stack (a tenant's)
   * may own it, so it leaves with that stack. No runner path wait: only vaults that hold keys need one.
   */
  addKeyVault(
    scope: Construct,
    id: string,
    props: Pick<SovereignKeyVaultProps, 'name' | 'component' | 'holdsKeys' | 'deleteLock' | 'pathReady'>,
  ): SovereignKeyVault {
    const created = new SovereignKeyVault(scope, id, { ...this.vaultDefaults, ...props });
    this.logs.diagnostics(created, 'diagnostics', created.vault.id, { categoryGroups: ['audit'] });
    return created;
  }
}
