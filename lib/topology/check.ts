import { parse } from 'yaml';
import { apiGroupOf, BUILT_IN_API_GROUPS, CHART_API_GROUPS, MANAGED_CLUSTER_API_GROUPS, CHART_RENDERS_API_GROUPS, MONITORING_API_GROUP, MONITORING_VALUE_KEYS } from './api-providers';

/** One synthesized stack: its name, the stacks it depends on (manifest.json) and its parsed cdk.tf.json. */
export interface TopologyStack {
  readonly name: string;
  readonly dependencies: readonly string[];
  readonly config: { readonly resource?: Record<string, Record<string, TerraformResource>> };
}

interface TerraformResource {
  readonly depends_on?: readonly string[];
  readonly chart?: string;
  readonly values?: readonly string[];
  readonly manifest?: { readonly apiVersion?: string; readonly kind?: string };
}

export interface TopologyViolation {
  readonly stack: string;
  /** Terraform address in the stack, e.g. `kubernetes_manifest.baseline_cluster-secret-store_E6510659`. */
  readonly address: string;
  readonly message: string;
}

/** A helm_release that installs the CRDs of an API group. */
interface Provider {
  readonly stack: string;
  readonly address: string;
}

const sortedEntries = <T>(record: Record<string, T> | undefined): Array<[string, T]> =>
  Object.entries(record ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** Everything `start` reaches through `edges`, `start` excluded. */
function reachable(start: string, edges: (node: string) => readonly string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...edges(start)];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (seen.has(node)) continue;
    seen.add(node);
    stack.push(...edges(node));
  }
  return seen;
}

/** Values paths (`metrics.prometheus.serviceMonitor`) whose `enabled: true` renders a prometheus-operator object. */
export function monitoringSwitches(values: unknown, at: string[] = []): string[] {
  if (typeof values !== 'object' || values === null || Array.isArray(values)) return [];
  const found: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    const path = [...at, key];
    if (MONITORING_VALUE_KEYS.test(key) && typeof value === 'object' && value !== null && (value as { enabled?: unknown }).enabled === true) {
      found.push(path.join('.'));
    }
    found.push(...monitoringSwitches(value, path));
  }
  return found;
}

/**
 * Checks that an empty cluster can be planned and applied in the stacks' dependency order:
 * - every kubernetes_manifest of a custom resource is in a stack that depends (transitively) on the stack
 *   whose helm_release installs its CRD: terraform-provider-kubernetes resolves the CRD at plan time, so
 *   the same stack is too early;
 * - every helm_release whose chart renders a custom resource (a monitoring switch in its values, or a group
 *   in CHART_RENDERS_API_GROUPS) comes after the release installing that API, through stack dependencies
 *   or, within one stack, through depends_on: helm refuses to render (or apply) an unknown kind.
 * "After" is the dependency relation, not a list position: parallel rollouts run unrelated stacks at once.
 * `cloud` adds the API groups its managed cluster serves itself (MANAGED_CLUSTER_API_GROUPS).
 */
export function checkTopology(stacks: readonly TopologyStack[], cloud: 'aws' | 'azure'): TopologyViolation[] {
  const clusterGroups = new Set(MANAGED_CLUSTER_API_GROUPS[cloud]);
  const byName = new Map(stacks.map((s) => [s.name, s]));
  const upstreamStacks = new Map(stacks.map((s) => [s.name, reachable(s.name, (n) => byName.get(n)?.dependencies ?? [])]));

  const providers = new Map<string, Provider[]>();
  for (const stack of stacks) {
    for (const [name, release] of sortedEntries(stack.config.resource?.helm_release)) {
      for (const group of CHART_API_GROUPS[release.chart ?? ''] ?? []) {
        providers.set(group, [...(providers.get(group) ?? []), { stack: stack.name, address: `helm_release.${name}` }]);
      }
    }
  }
  const describe = (group: string) => (providers.get(group) ?? []).map((p) => `${p.address} in ${p.stack}`).join(', ');

  const violations: TopologyViolation[] = [];
  for (const stack of stacks) {
    const resources = stack.config.resource ?? {};
    const dependsOn = (address: string): readonly string[] => {
      const [type, ...rest] = address.split('.');
      return resources[type]?.[rest.join('.')]?.depends_on ?? [];
    };
    const earlierStacks = upstreamStacks.get(stack.name)!;

    for (const [name, resource] of sortedEntries(resources.kubernetes_manifest)) {
      const apiVersion = resource.manifest?.apiVersion ?? '';
      const group = apiGroupOf(apiVersion);
      if (BUILT_IN_API_GROUPS.has(group) || clusterGroups.has(group)) continue;
      const address = `kubernetes_manifest.${name}`;
      const what = `${resource.manifest?.kind ?? 'object'} (${apiVersion})`;
      if (!providers.has(group)) {
        violations.push({ stack: stack.name, address, message: `${what}: no helm_release installs API group "${group}" (or its chart is missing from CHART_API_GROUPS)` });
      } else if (!providers.get(group)!.some((p) => earlierStacks.has(p.stack))) {
        violations.push({
          stack: stack.name,
          address,
          message: `${what} is planned in ${stack.name}, which does not depend on the stack installing its CRD (${describe(group)}); the kubernetes provider needs the CRD at plan time`,
        });
      }
    }

    for (const [name, release] of sortedEntries(resources.helm_release)) {
      const address = `helm_release.${name}`;
      const own = new Set(CHART_API_GROUPS[release.chart ?? ''] ?? []);
      const switches = (release.values ?? []).flatMap((doc) => monitoringSwitches(parse(doc)));
      const needs = new Map<string, string>();
      for (const group of CHART_RENDERS_API_GROUPS[release.chart ?? ''] ?? []) needs.set(group, `chart ${release.chart} renders ${group} objects`);
      if (switches.length > 0) needs.set(MONITORING_API_GROUP, `values ${switches.join(', ')} render ${MONITORING_API_GROUP} objects`);
      const upstreamResources = reachable(address, dependsOn);
      for (const [group, why] of needs) {
        if (own.has(group)) continue;
        const installed = (providers.get(group) ?? []).some((p) => earlierStacks.has(p.stack) || (p.stack === stack.name && upstreamResources.has(p.address)));
        if (!installed) {
          const from = providers.has(group) ? describe(group) : 'no release';
          violations.push({ stack: stack.name, address, message: `${why}, but is not ordered after the release installing them (${from})` });
        }
      }
    }
  }
  return violations;
}
