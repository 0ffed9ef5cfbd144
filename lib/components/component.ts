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

/** Zone spread used by the replicated components. */
export function zoneSpread(matchLabels: Record<string, string>, whenUnsatisfiable: 'ScheduleAnyway' | 'DoNotSchedule' = 'ScheduleAnyway') {
  return [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable, labelSelector: { matchLabels } }];
}
