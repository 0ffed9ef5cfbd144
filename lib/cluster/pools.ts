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
