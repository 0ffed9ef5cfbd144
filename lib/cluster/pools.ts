import { ClusterInfo, Toleration } from './cluster-info';
import { GPU_FAMILY_LABEL, GPU_TAINT } from '../sovereignty/gpu';

/**
 * Pool placement constants shared by every cloud, so workloads select pools the same way on EKS and
 * AKS. Kept out of lib/aws and lib/azure: a cloud module importing the other's constants would couple
 * them for no reason.
 */

export interface PoolTaint {
  readonly key: string;
  readonly value: string;
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** Label every pool carries (`system`, `general`, `gpu`). */
export const POOL_LABEL = 'rag.platform/pool';

/**
 * The system pool only runs cluster-critical add-ons. This is the taint AKS itself puts on a pool with
 * `only_critical_addons_enabled`; EKS sets it explicitly, so tolerations are identical on both clouds.
 */
export const SYSTEM_POOL_TAINT: PoolTaint = { key: 'CriticalAddonsOnly', value: 'true', effect: 'NoSchedule' };

function tolerationFor(taint: PoolTaint): Toleration {
  return { key: taint.key, operator: 'Equal', value: taint.value, effect: taint.effect };
}

/**
 * Where workloads land on each pool, derived only from the shared labels and taints above, so an EKS
 * and an AKS cluster hand the workloads layer identical placements.
 */
export function poolPlacements(gpuFamily: string, gpuDriverPreinstalled: boolean): ClusterInfo['pools'] {
  return {
    system: { nodeSelector: { [POOL_LABEL]: 'system' }, tolerations: [tolerationFor(SYSTEM_POOL_TAINT)] },
    general: { nodeSelector: { [POOL_LABEL]: 'general' }, tolerations: [] },
    gpu: {
      nodeSelector: { [POOL_LABEL]: 'gpu', [GPU_FAMILY_LABEL]: gpuFamily },
      tolerations: [tolerationFor(GPU_TAINT)],
      family: gpuFamily,
      driverPreinstalled: gpuDriverPreinstalled,
    },
  };
}
