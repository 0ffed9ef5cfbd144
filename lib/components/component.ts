import { ITerraformDependable } from 'cdktf';
import { ClusterInfo } from '../cluster/cluster-info';
import { Pins } from '../kubernetes/pins';
import { Values } from '../kubernetes/values';

/** What every component construct takes besides its own typed props. */
export interface ComponentProps {
  readonly cluster: ClusterInfo;
  readonly environment: string;
  readonly pins: Pins;
  /** Chart values merged over the component's defaults (the escape hatch; typed props come first). */
  readonly values?: Values;
  /** What must be deployed first (the deployment sequence). */
  readonly dependsOn?: ITerraformDependable[];
}

/** Well-known node labels the cloud sets on every node (EKS and AKS alike). */
export const ZONE_KEY = 'topology.kubernetes.io/zone';
export const NODE_KEY = 'kubernetes.io/hostname';

/**
 * Zone spread used by the replicated components. With `DoNotSchedule` and maxSkew 1 the replicas sit one
 * per zone where the region has zones; a region without zones (UAE Central) has one domain, so the
 * constraint holds trivially and only the node rule of the component spreads them.
 */
export function zoneSpread(matchLabels: Record<string, string>, whenUnsatisfiable: 'ScheduleAnyway' | 'DoNotSchedule' = 'ScheduleAnyway') {
  return [{ maxSkew: 1, topologyKey: ZONE_KEY, whenUnsatisfiable, labelSelector: { matchLabels } }];
}

/**
 * A pod anti-affinity for charts that take `affinity` but no topologySpreadConstraints. `required` topology
 * keys are hard (a pending pod rather than two replicas in one domain), `preferred` ones are best effort
 * (they hold while the domains have room, and need no node per domain in a region without zones).
 */
export function podAntiAffinity(
  matchLabels: Readonly<Record<string, string>>,
  keys: { readonly required?: readonly string[]; readonly preferred?: readonly string[] },
): Values {
  const term = (topologyKey: string) => ({ topologyKey, labelSelector: { matchLabels: { ...matchLabels } } });
  const required = keys.required ?? [];
  const preferred = keys.preferred ?? [];
  return {
    podAntiAffinity: {
      ...(required.length > 0 ? { requiredDuringSchedulingIgnoredDuringExecution: required.map(term) } : {}),
      ...(preferred.length > 0 ? { preferredDuringSchedulingIgnoredDuringExecution: preferred.map((key) => ({ weight: 100, podAffinityTerm: term(key) })) } : {}),
    },
  };
}
