import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { KubernetesCluster } from '@cdktf/provider-azurerm/lib/kubernetes-cluster';
import { hostAddress, parseCidr } from '../config/cidr';
import { POOL_LABEL } from '../cluster/pools';
import { AzurePlacement, azureTags } from './placement';

export interface PoolSize {
  readonly instanceType: string;
  readonly min: number;
  readonly max: number;
  readonly diskSizeGb: number;
}

export interface PrivateAksClusterProps {
  readonly placement: AzurePlacement;
  readonly name: string;
  readonly tenantId: string;
  readonly kubernetesVersion: string;
  readonly adminGroupObjectIds: readonly string[];
  /** User-assigned control-plane identity (holds the KMS, DNS and network grants below). */
  readonly identityId: string;
  /** User-assigned kubelet identity, granted AcrPull before the nodes boot. */
  readonly kubeletIdentity: { readonly id: string; readonly clientId: string; readonly principalId: string };
  /** Our `privatelink.<region>.azmk8s.io` zone. */
  readonly privateDnsZoneId: string;
  readonly nodeSubnetId: string;
  readonly apiServerSubnetId: string;
  /** Versioned key id: AKS KMS does not accept a versionless one. */
  readonly kmsKeyId: string;
  readonly diskEncryptionSetId: string;
  readonly podCidr: string;
  readonly serviceCidr: string;
  /** Zone names from the region catalog; empty where the region has none. */
  readonly zones: readonly string[];
  readonly systemPool: PoolSize;
  /**
   * `none`: network-isolated, nodes bootstrap from the registry's `aks-managed-repository` cache and
   * nothing is routed out; `userDefinedRouting`: egress through the hub firewall's route.
   */
  readonly egress: { readonly outboundType: 'none'; readonly bootstrapRegistryId: string } | { readonly outboundType: 'userDefinedRouting' };
  /** Grants, route table and NSG associations the cluster must not be created before. */
  readonly dependsOn: ITerraformDependable[];
}

/** AKS node pool names: lowercase alphanumerics, at most 12 characters. */
export const SYSTEM_POOL_NAME = 'system';

/**
 * Pods per node on every pool, set explicitly rather than left to the network plugin's default (which
 * differs between Azure CNI flavours and is what CIS/checkov CKV_AZURE_168 cannot see): 110 is
 * Kubernetes' tested per-node limit and well above the 50 a node needs for daemonsets plus workloads.
 * With CNI overlay each node gets its own /24 from the pod CIDR, so this does not consume VNet addresses.
 */
export const AKS_MAX_PODS_PER_NODE = 110;

/** Upgrades run in a fixed weekly window, Gulf working week aside (Saturday night, UTC+4). */
const MAINTENANCE = { frequency: 'Weekly', interval: 1, dayOfWeek: 'Saturday', startTime: '22:00', utcOffset: '+04:00', duration: 4 } as const;

/**
 * A private AKS cluster:
 * - API: private cluster in our own private DNS zone, no public FQDN, API server VNet integration (the
 *   API server gets an internal IP in the delegated subnet; KMS with a private vault requires it).
 * - Access: Entra ID only with Azure RBAC, local accounts off (no static admin kubeconfig), run command off.
 * - Identity: OIDC issuer + workload identity for pods; user-assigned control-plane identity.
 * - Encryption: etcd secrets with our HSM key (KMS v2, vault reached privately), OS and data disks with
 *   our disk encryption set, host encryption on every pool.
 * - Network: Azure CNI overlay with the Cilium data plane and network policy; network-isolated by default
 *   (outbound type none, bootstrap artifacts from the platform registry's cache), or egress only through
 *   the hub firewall (userDefinedRouting); either way no outbound public IP is ever created.
 * - Upgrades: the Kubernetes minor is pinned from config; patches and node images roll automatically in
 *   the maintenance windows.
 */
export class PrivateAksCluster extends Construct {
  readonly cluster: KubernetesCluster;

  constructor(scope: Construct, id: string, props: PrivateAksClusterProps) {
    super(scope, id);
    const { placement, systemPool } = props;
    this.cluster = new KubernetesCluster(this, 'cluster', {
      name: props.name,
      location: placement.location,
      resourceGroupName: placement.resourceGroupName,
      nodeResourceGroup: `${props.name}-aks-nodes`,
      dnsPrefixPrivateCluster: props.name,
      kubernetesVersion: props.kubernetesVersion,
      skuTier: 'Standard',
      supportPlan: 'KubernetesOfficial',
      automaticUpgradeChannel: 'patch',
      nodeOsUpgradeChannel: 'NodeImage',
      maintenanceWindowAutoUpgrade: { ...MAINTENANCE },
      maintenanceWindowNodeOs: { ...MAINTENANCE },

      privateClusterEnabled: true,
      privateDnsZoneId: props.privateDnsZoneId,
      privateClusterPublicFqdnEnabled: false,
      apiServerAccessProfile: { virtualNetworkIntegrationEnabled: true, subnetId: props.apiServerSubnetId },

      localAccountDisabled: true,
      roleBasedAccessControlEnabled: true,
      azureActiveDirectoryRoleBasedAccessControl: {
        azureRbacEnabled: true,
        tenantId: props.tenantId,
        adminGroupObjectIds: [...props.adminGroupObjectIds],
      },
      runCommandEnabled: false,
      oidcIssuerEnabled: true,
      workloadIdentityEnabled: true,
      identity: { type: 'UserAssigned', identityIds: [props.identityId] },
      kubeletIdentity: { userAssignedIdentityId: props.kubeletIdentity.id, clientId: props.kubeletIdentity.clientId, objectId: props.kubeletIdentity.principalId },
      bootstrapProfile: props.egress.outboundType === 'none' ? { artifactSource: 'Cache', containerRegistryId: props.egress.bootstrapRegistryId } : undefined,

      keyManagementService: { keyVaultKeyId: props.kmsKeyId, keyVaultNetworkAccess: 'Private' },
      diskEncryptionSetId: props.diskEncryptionSetId,
      storageProfile: { diskDriverEnabled: true, fileDriverEnabled: false, blobDriverEnabled: false, snapshotControllerEnabled: true },

      networkProfile: {
        networkPlugin: 'azure',
        networkPluginMode: 'overlay',
        networkDataPlane: 'cilium',
        networkPolicy: 'cilium',
        podCidr: props.podCidr,
        serviceCidr: props.serviceCidr,
        dnsServiceIp: hostAddress(parseCidr(props.serviceCidr)!, 10),
        outboundType: props.egress.outboundType,
        loadBalancerSku: 'standard',
      },

      // The built-in cluster autoscaler, set to behave like the EKS one (lib/aws/eks-cluster-info.ts):
      // least-waste expander, zone-balanced pools, emptyDir does not pin a node. A GPU node may take up to
      // 20 minutes (VM allocation, node image with the NVIDIA driver, device plugin) before it counts as failed.
      autoScalerProfile: {
        expander: 'least-waste',
        balanceSimilarNodeGroups: true,
        skipNodesWithLocalStorage: false,
        maxNodeProvisioningTime: '20m',
      },
      defaultNodePool: {
        name: SYSTEM_POOL_NAME,
        temporaryNameForRotation: 'systemtmp',
        vmSize: systemPool.instanceType,
        autoScalingEnabled: true,
        minCount: systemPool.min,
        maxCount: systemPool.max,
        osDiskSizeGb: systemPool.diskSizeGb,
        osDiskType: 'Managed',
        osSku: 'Ubuntu',
        maxPods: AKS_MAX_PODS_PER_NODE,
        // AKS taints this pool CriticalAddonsOnly=true:NoSchedule (SYSTEM_POOL_TAINT in lib/cluster/pools.ts).
        onlyCriticalAddonsEnabled: true,
        hostEncryptionEnabled: true,
        nodePublicIpEnabled: false,
        vnetSubnetId: props.nodeSubnetId,
        zones: [...props.zones],
        nodeLabels: { [POOL_LABEL]: 'system' },
        upgradeSettings: { maxSurge: '1' },
        tags: azureTags(placement, 'aks-nodes', `${props.name}-${SYSTEM_POOL_NAME}`),
      },
      tags: azureTags(placement, 'aks', props.name),
      // The autoscaler owns the current size; Terraform only owns the bounds.
      lifecycle: { ignoreChanges: ['default_node_pool[0].node_count'] },
      dependsOn: props.dependsOn,
    });
  }
}
