import * as path from 'path';
import { CLICKHOUSE_POD_LABELS } from '../../lib/components/langfuse';
import { REPO_ROOT, synthExample } from '../helpers';

/**
 * Zone loss: what the synthesized stacks ask the scheduler for, per stateful and stateless component, in a
 * region with three zones (gcc-uae-aws) and one without zones (core42-uae-azure, UAE Central). The keys are
 * the ones the pinned charts read (qdrant 1.19.0 statefulset/pdb, langfuse 2.0.0 web/worker/clickhouse
 * templates, our tei and orchestrator charts); test/components/workloads-values.test.ts checks they exist.
 */
function synth(example: string) {
  const { stacks } = synthExample(path.join(REPO_ROOT, 'examples', example));
  const stack = (kind: string) => Object.entries<any>(stacks).find(([name]) => name.endsWith(`-${kind}`))![1];
  const workloads = stack('workloads');
  const values = (name: string) => {
    const release = Object.values(workloads.resource.helm_release as Record<string, any>).find((r) => r.name === name);
    if (release === undefined) throw new Error(`no helm_release ${name}`);
    return JSON.parse(release.values[0]);
  };
  return { values, platform: stack('platform'), addons: stack('addons') };
}

const zoned = synth('gcc-uae-aws.yaml');
const zoneless = synth('core42-uae-azure.yaml');

const ZONE = 'topology.kubernetes.io/zone';
const NODE = 'kubernetes.io/hostname';
const qdrantSelector = { 'app.kubernetes.io/name': 'qdrant', 'app.kubernetes.io/instance': 'qdrant' };

describe.each([
  ['three zones (gcc-uae-aws)', zoned],
  ['no zones (core42-uae-azure)', zoneless],
])('zone loss, %s', (_name, { values }) => {
  test('Qdrant: one peer per zone (hard), never two on a node (hard), PDB of one, replication >= 2', () => {
    const qdrant = values('qdrant');
    expect(qdrant.topologySpreadConstraints).toEqual([{ maxSkew: 1, topologyKey: ZONE, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: qdrantSelector } }]);
    expect(qdrant.affinity.podAntiAffinity).toEqual({ requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: NODE, labelSelector: { matchLabels: qdrantSelector } }] });
    expect(qdrant.podDisruptionBudget).toEqual({ enabled: true, maxUnavailable: 1 });
    expect(qdrant.config.storage.collection.replication_factor).toBeGreaterThanOrEqual(2);
    expect(qdrant.persistence.storageClassName).toBe('encrypted');
  });

  test('ClickHouse: two replicas and three Keepers, each set on distinct nodes and preferring distinct zones', () => {
    const { clickhouse } = values('langfuse');
    expect(clickhouse.cluster.replicas).toBe(2);
    // Keeper stays at the chart's 3 (values.yaml `clickhouse.keeper.replicas: 3`): a quorum survives one loss.
    expect(clickhouse.keeper.replicas).toBeUndefined();
    for (const [set, labels] of [
      [clickhouse.cluster, CLICKHOUSE_POD_LABELS.server],
      [clickhouse.keeper, CLICKHOUSE_POD_LABELS.keeper],
    ] as const) {
      expect(set.affinity.podAntiAffinity).toEqual({
        requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: NODE, labelSelector: { matchLabels: labels } }],
        preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: ZONE, labelSelector: { matchLabels: labels } } }],
      });
      expect(set.storage.className).toBe('encrypted');
    }
    // The operator's pod labels: `app: <ClickHouseCluster/KeeperCluster name>-clickhouse|-keeper`; the chart
    // names both after the release (langfuse.fullname).
    expect(CLICKHOUSE_POD_LABELS.server.app).toBe('langfuse-clickhouse');
    expect(CLICKHOUSE_POD_LABELS.keeper.app).toBe('langfuse-keeper');
  });

  test('stateless services spread over zones and keep a PDB', () => {
    const langfuse = values('langfuse').langfuse;
    for (const component of ['web', 'worker']) {
      expect(langfuse[component].replicas).toBeGreaterThanOrEqual(2);
      expect(langfuse[component].pod.topologySpreadConstraints).toEqual([
        {
          maxSkew: 1,
          topologyKey: ZONE,
          whenUnsatisfiable: 'ScheduleAnyway',
          labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'langfuse', 'app.kubernetes.io/instance': 'langfuse', 'app.kubernetes.io/component': component } },
        },
      ]);
      // The chart's PDB (`langfuse.<component>.pdb.create`, default true, maxUnavailable 1) is not turned off.
      expect(langfuse[component].pdb?.create).not.toBe(false);
    }
    const litellm = values('litellm');
    expect(litellm.pdb).toEqual({ enabled: true, minAvailable: 1 });
    expect(litellm.topologySpreadConstraints[0]).toMatchObject({ topologyKey: ZONE });
    const tei = values('tei');
    expect(tei.podDisruptionBudget?.enabled).not.toBe(false);
    expect(tei.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution.map((term: any) => term.podAffinityTerm.topologyKey)).toEqual([ZONE, NODE]);
    const orchestrator = values('orchestrator');
    expect(orchestrator.podDisruptionBudget).toEqual({ minAvailable: 2 });
    expect(orchestrator.topologySpread).toEqual({ zoneWhenUnsatisfiable: 'ScheduleAnyway', hostnameWhenUnsatisfiable: 'DoNotSchedule' });
  });
});

describe('zonal volumes and node groups', () => {
  const storageClass = (addons: any) => Object.values(addons.resource.kubernetes_storage_class_v1 as Record<string, any>)[0];

  test('the encrypted class binds a volume only once its pod is scheduled (in the pod zone)', () => {
    for (const { addons } of [zoned, zoneless]) expect(storageClass(addons).volume_binding_mode).toBe('WaitForFirstConsumer');
  });

  test('EKS: the general pool (EBS volumes are zonal) is one node group per zone, so the autoscaler can add a node in the zone of a pending pod', () => {
    const groups = Object.values(zoned.platform.resource.aws_eks_node_group as Record<string, any>).filter((group) => group.labels['rag.platform/pool'] === 'general');
    expect(groups).toHaveLength(3);
    for (const group of groups) expect(group.subnet_ids).toHaveLength(1);
    expect(new Set(groups.map((group) => JSON.stringify(group.subnet_ids))).size).toBe(3);
  });

  test('AKS: disks are zone-redundant where the region has zones (a pod moves zones with its disk), LRS where it has none', () => {
    expect(storageClass(zoneless.addons).parameters.skuName).toBe('Premium_LRS');
    const zonedAzure = synth('gcc-uae-azure.yaml');
    expect(storageClass(zonedAzure.addons).parameters.skuName).toBe('Premium_ZRS');
    const general = Object.values(zonedAzure.platform.resource.azurerm_kubernetes_cluster_node_pool as Record<string, any>).find((pool) => pool.name === 'general');
    expect(general.zones).toEqual(['1', '2', '3']);
    const single = Object.values(zoneless.platform.resource.azurerm_kubernetes_cluster_node_pool as Record<string, any>).find((pool) => pool.name === 'general');
    expect(single.zones ?? []).toEqual([]);
  });
});
