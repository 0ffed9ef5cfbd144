/**
 * How many instances a CloudNativePG Cluster runs in a region with `zoneCount` zones: one per zone (required
 * anti-affinity spreads them), and at least 2 so a zone-less region still survives a node or volume loss.
 * The Cluster construct and the capacity planner both size from this, so the plan prices what is deployed.
 */
export function postgresInstances(zoneCount: number): number {
  return Math.max(2, zoneCount);
}
