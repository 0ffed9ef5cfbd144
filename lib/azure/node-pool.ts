import { Construct } from 'constructs';
import { KubernetesClusterNodePool } from '@cdktf/provider-azurerm/lib/kubernetes-cluster-node-pool';
import { PoolTaint } from '../cluster/pools';
import { AzurePlacement, azureTags } from './placement';
import { AKS_MAX_PODS_PER_NODE, PoolSize } from './aks-cluster';

export interface AksNodePoolProps {
  readonly placement: AzurePlacement;
  readonly clusterId: string;
  readonly clusterName: string;
  /** At most 12 lowercase alphanumerics. */
  readonly poolName: string;
  readonly size: PoolSize;
  readonly kubernetesVersion: string;
  readonly nodeSubnetId: string;
  readonly zones: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly PoolTaint[];
}

/**
 * A user node pool: autoscaled between the configured bounds (GPU pools may scale to zero; AKS's cluster
 * autoscaler reads labels and taints from the pool itself, so nothing extra is needed for that), host
 * encryption on, no node public IP, in the node subnet and the region's zones.
 *
 * GPU pools leave `gpu_driver` unset: AKS's default is `Install`, which puts the NVIDIA driver on the
 * node image, so only the device plugin runs in the cluster.
 */
export class AksNodePool extends Construct {
  readonly pool: KubernetesClusterNodePool;

  constructor(scope: Construct, id: string, props: AksNodePoolProps) {
    super(scope, id);
    const { size } = props;
    this.pool = new KubernetesClusterNodePool(this, 'pool', {
      name: props.poolName,
      kubernetesClusterId: props.clusterId,
      mode: 'User',
      vmSize: size.instanceType,
      orchestratorVersion: props.kubernetesVersion,
      autoScalingEnabled: true,
      minCount: size.min,
      maxCount: size.max,
      osType: 'Linux',
      osSku: 'Ubuntu',
      osDiskSizeGb: size.diskSizeGb,
      osDiskType: 'Managed',
      maxPods: AKS_MAX_PODS_PER_NODE,
      hostEncryptionEnabled: true,
      nodePublicIpEnabled: false,
      vnetSubnetId: props.nodeSubnetId,
      zones: [...props.zones],
      nodeLabels: { ...props.labels },
      nodeTaints: props.taints.map((taint) => `${taint.key}=${taint.value}:${taint.effect}`),
      upgradeSettings: { maxSurge: '1' },
      tags: azureTags(props.placement, 'aks-nodes', `${props.clusterName}-${props.poolName}`),
      lifecycle: { ignoreChanges: ['node_count'] },
    });
  }
}
