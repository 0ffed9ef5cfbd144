import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { KeyVaultKey } from '@cdktf/provider-azurerm/lib/key-vault-key';
import { DiskEncryptionSet } from '@cdktf/provider-azurerm/lib/disk-encryption-set';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { GPU_FAMILY_LABEL, GPU_PRESENT_LABEL, GPU_TAINT } from '../sovereignty/gpu';
import { POOL_LABEL } from '../cluster/pools';
import { AzurePlacement, ROLES } from './placement';
import { azureNames } from './names';
import { AksNetwork } from './network';
import { PrivateZones } from './private-dns';
import { SovereignKeyVault } from './key-vault';
import { ManagedIdentity } from './identity';
import { nodeDiskEncryptionSet } from './disk-encryption-set';
import { PoolSize, PrivateAksCluster } from './aks-cluster';
import { AksNodePool } from './node-pool';
import { PrivateRegistry } from './container-registry';
import { SecureStorageAccount } from './storage-account';
import { AKS_LOG_CATEGORIES, PlatformLogs } from './log-analytics';
import { AzureOpenAiEndpoints } from './openai-endpoints';

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
  readonly firewallPrivateIp: string;
  readonly kubernetesVersion: string;
  readonly adminGroupObjectIds: readonly string[];
  readonly softDeleteRetentionDays: number;
  readonly logRetentionDays: number;
  readonly pools: { readonly system: PoolSize; readonly general: PoolSize; readonly gpu: PoolSize & { readonly family: string } };
  /** Azure OpenAI accounts (ARM ids) the LLM gateway calls: each gets a private endpoint in the VNet. */
  readonly openAiAccountIds?: readonly string[];
}

export type AzureKeyPurpose = 'aks-etcd' | 'node-disks' | 'storage' | 'registry';
const KEY_PURPOSES: readonly AzureKeyPurpose[] = ['aks-etcd', 'node-disks', 'storage', 'registry'];

/** Container for backups and Langfuse blobs; workload identities get prefixes inside it. */
export const PLATFORM_CONTAINER = 'platform';

/**
 * The Azure cloud layer of one environment, the AKS counterpart of EksPlatform: a resource group, a
 * private VNet routed through the hub firewall, our own privatelink DNS zones, a Premium Key Vault with
 * one HSM key per purpose, least-privilege user-assigned identities, a disk encryption set, a private
 * AKS cluster with system/general/GPU pools, a private Premium registry, a private storage account and
 * an in-region Log Analytics workspace for control-plane audit logs.
 */
export class AksPlatform extends Construct {
  readonly placement: AzurePlacement;
  readonly resourceGroup: ResourceGroup;
  readonly network: AksNetwork;
  readonly dns: PrivateZones;
  readonly keyVault: SovereignKeyVault;
  readonly keys: Record<AzureKeyPurpose, KeyVaultKey>;
  readonly identities: Record<'controlPlane' | 'diskEncryption' | 'storage' | 'registry', ManagedIdentity>;
  readonly diskEncryptionSet: DiskEncryptionSet;
  readonly cluster: PrivateAksCluster;
  readonly nodePools: Record<'general' | 'gpu', AksNodePool>;
  readonly registry: PrivateRegistry;
  readonly storage: SecureStorageAccount;
  readonly logs: PlatformLogs;
  readonly kubeletAcrPull: RoleAssignment;
  /** The region has zones to spread over: ZRS storage and disks, zone-redundant registry. */
  readonly zoneRedundant: boolean;

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

    this.network = new AksNetwork(this, 'network', { placement, environment: props.environment, cidr: props.vnetCidr, firewallPrivateIp: props.firewallPrivateIp });
    this.dns = new PrivateZones(this, 'private-dns', { placement, region: props.region, virtualNetworkId: this.network.vnet.id });
    this.logs = new PlatformLogs(this, 'logs', { placement, name: names.logs, retentionDays: props.logRetentionDays });

    this.keyVault = new SovereignKeyVault(this, 'key-vault', {
      placement,
      name: names.keyVault,
      component: 'keys',
      tenantId: props.tenantId,
      softDeleteRetentionDays: props.softDeleteRetentionDays,
      endpointSubnetId: this.network.endpointSubnet.id,
      privateDnsZoneIds: [this.dns.zones.vault.id],
    });
    this.logs.diagnostics(this.keyVault, 'diagnostics', this.keyVault.vault.id, { categoryGroups: ['audit'] });
    this.keys = Object.fromEntries(KEY_PURPOSES.map((purpose) => [purpose, this.keyVault.addKey(`key-${purpose}`, purpose, 'keys')])) as Record<AzureKeyPurpose, KeyVaultKey>;

    const identity = (key: string, component: string) => new ManagedIdentity(this, `identity-${key}`, { placement, name: `${props.environment}-${key}`, component });
    this.identities = {
      controlPlane: identity('aks-control-plane', 'aks'),
      diskEncryption: identity('disk-encryption', 'disk-encryption'),
      storage: identity('storage-cmk', 'platform-storage'),
      registry: identity('registry-cmk', 'registry'),
    };
    // Services that wrap/unwrap a data key get exactly that, on their own key only.
    const keyUser = (who: ManagedIdentity, purpose: AzureKeyPurpose) => who.grant(`key-${purpose}-encryption-user`, ROLES.keyVaultCryptoServiceEncryptionUser, this.keys[purpose].resourceVersionlessId);
    const desKeyGrant = keyUser(this.identities.diskEncryption, 'node-disks');
    const storageKeyGrant = keyUser(this.identities.storage, 'storage');
    const registryKeyGrant = keyUser(this.identities.registry, 'registry');

    this.diskEncryptionSet = nodeDiskEncryptionSet(this, 'disk-encryption-set', {
      placement,
      name: names.diskEncryptionSet,
      keyVaultKeyId: this.keys['node-disks'].versionlessId,
      identityId: this.identities.diskEncryption.identity.id,
      dependsOn: [desKeyGrant],
    });

    const controlPlane = this.identities.controlPlane;
    const controlPlaneGrants = [
      // KMS v2 encrypts and decrypts etcd's data keys with this key and no other.
      controlPlane.grant('kms-key-crypto-user', ROLES.keyVaultCryptoUser, this.keys['aks-etcd'].resourceVersionlessId),
      // AKS documents this management-plane role as required for KMS with a private vault (key_vault_network_access
      // = Private). Under RBAC authorization it grants no access to keys, secrets or certificates.
      controlPlane.grant('kms-vault-contributor', ROLES.keyVaultContributor, this.keyVault.vault.id),
      // The private API's A record goes into our zone.
      controlPlane.grant('aks-dns-zone-contributor', ROLES.privateDnsZoneContributor, this.dns.zones.aks.id),
      // API server VNet integration places the API server's internal load balancer in this subnet.
      controlPlane.grant('apiserver-subnet-network-contributor', ROLES.networkContributor, this.network.apiServerSubnet.id),
      // Bring-your-own subnet and route table: AKS joins nodes to the subnet and checks the route table (UDR).
      controlPlane.grant('nodes-subnet-network-contributor', ROLES.networkContributor, this.network.nodeSubnet.id),
      controlPlane.grant('route-table-network-contributor', ROLES.networkContributor, this.network.routeTable.id),
      // CSI volumes are created with our disk encryption set; reading it is all the cluster needs.
      controlPlane.grant('disk-encryption-set-reader', ROLES.reader, this.diskEncryptionSet.id),
    ];

    const { system, general, gpu } = props.pools;
    this.cluster = new PrivateAksCluster(this, 'aks', {
      placement,
      name: names.cluster,
      tenantId: props.tenantId,
      kubernetesVersion: props.kubernetesVersion,
      adminGroupObjectIds: props.adminGroupObjectIds,
      identityId: controlPlane.identity.id,
      privateDnsZoneId: this.dns.zones.aks.id,
      nodeSubnetId: this.network.nodeSubnet.id,
      apiServerSubnetId: this.network.apiServerSubnet.id,
      kmsKeyId: this.keys['aks-etcd'].id,
      diskEncryptionSetId: this.diskEncryptionSet.id,
      podCidr: props.podCidr,
      serviceCidr: props.serviceCidr,
      zones: props.zones,
      systemPool: system,
      dependsOn: [...controlPlaneGrants, ...this.network.nodeSubnetReady, this.keyVault.endpoint],
    });
    const cluster = this.cluster.cluster;
    this.logs.diagnostics(this.cluster, 'diagnostics', cluster.id, { categories: AKS_LOG_CATEGORIES });

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

    this.registry = new PrivateRegistry(this, 'orchestrator-registry', {
      placement,
      name: names.registry,
      zoneRedundant: this.zoneRedundant,
      keyVaultKeyId: this.keys.registry.versionlessId,
      identityId: this.identities.registry.identity.id,
      identityClientId: this.identities.registry.identity.clientId,
      endpointSubnetId: this.network.endpointSubnet.id,
      privateDnsZoneIds: [this.dns.zones.registry.id],
      dependsOn: [registryKeyGrant],
    });
    this.logs.diagnostics(this.registry, 'diagnostics', this.registry.registry.id, { categoryGroups: ['audit'] });
    // Nodes pull the orchestrator image as the kubelet identity AKS creates; pull only, this registry only.
    this.kubeletAcrPull = new RoleAssignment(this, 'kubelet-acr-pull', {
      principalId: cluster.kubeletIdentity.objectId,
      principalType: 'ServicePrincipal',
      roleDefinitionName: ROLES.acrPull,
      scope: this.registry.registry.id,
      skipServicePrincipalAadCheck: true,
    });

    this.storage = new SecureStorageAccount(this, 'platform-storage', {
      placement,
      name: names.storageAccount,
      component: 'platform-storage',
      replication: this.zoneRedundant ? 'ZRS' : 'LRS',
      keyVaultKeyId: this.keys.storage.versionlessId,
      identityId: this.identities.storage.identity.id,
      containers: [PLATFORM_CONTAINER],
      endpointSubnetId: this.network.endpointSubnet.id,
      privateDnsZoneIds: [this.dns.zones.blob.id],
      retentionDays: 30,
      dependsOn: [storageKeyGrant],
    });
    this.logs.diagnostics(this.storage, 'diagnostics', `${this.storage.account.id}/blobServices/default`, { categoryGroups: ['audit'] });
    if (props.openAiAccountIds?.length) {
      new AzureOpenAiEndpoints(this, 'openai-endpoints', {
        placement,
        environment: props.environment,
        virtualNetworkId: this.network.vnet.id,
        subnetId: this.network.endpointSubnet.id,
        accountIds: props.openAiAccountIds,
      });
    }
    this.addOutputs();
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
}
